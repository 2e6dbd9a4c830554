//! People: partners work on activities only while they take part in the programme.

use super::Ctx;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::graph::{Element, NodeKind};

/// PG501: partner effort on an activity whose timeframe falls outside the partner's participation.
pub(super) fn effort_outside_participation(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for &n in ctx.g.indices_of_kind(NodeKind::Activity) {
        let Element::Activity(a) = ctx.g.element(n) else {
            continue;
        };
        if a.effort.is_empty() {
            continue;
        }
        let Some((activity_tf, _)) = ctx.timeframe_of(n) else {
            continue;
        };
        for (i, e) in a.effort.iter().enumerate() {
            let Some(pn) = ctx.g.node(e.partner.as_str()) else {
                continue;
            };
            let Element::Partner(partner) = pn.element() else {
                continue;
            };
            let Some(participation) = &partner.participation else {
                continue;
            };
            if super::time::inside(ctx, activity_tf, participation) == Some(false) {
                let tf = activity_tf.text();
                out.push(
                    Diagnostic::new(
                        Code::EffortOutsideParticipation,
                        format!("{}/effort/{i}", ctx.pointer(n)),
                        format!(
                            "`{}` puts effort into `{}` (`{tf}`), but takes part only `{participation}`",
                            partner.id, a.id
                        ),
                    )
                    .with_elements([a.id.as_str(), partner.id.as_str()])
                    .with_related(format!("`{}` takes part `{participation}`", partner.id), format!("{}/participation", pn.pointer()))
                    .with_help("move the effort to activities within the partner's participation, or correct the dates"),
                );
            }
        }
    }
}
