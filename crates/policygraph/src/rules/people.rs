//! People: partners work on activities only while they take part in the programme.

use super::Ctx;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::graph::{Element, NodeKind};
use crate::model::{Effort, Id, Interval, Timeframe};

/// An activity's time for the participation rules: its own or inherited timeframe, or,
/// with none, the time its sub-activities cover together; with how a message says it.
fn activity_time<'d>(
    ctx: &Ctx<'_, 'd>,
    n: petgraph::stable_graph::NodeIndex,
) -> Option<(Vec<Interval>, String, Option<&'d Timeframe>)> {
    if let Some((tf, _)) = ctx.timeframe_of(n) {
        return Some((
            super::time::intervals_of(ctx, tf),
            super::time::shown(ctx, tf),
            Some(tf),
        ));
    }
    let span = ctx.derived.derived_span(n)?;
    let text = super::time::span_text(span)?;
    Some((
        vec![span],
        format!("`{text}`, when its sub-activities run"),
        None,
    ))
}

/// PG501: partner effort on an activity whose timeframe falls outside the partner's participation.
pub(super) fn effort_outside_participation(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for &n in ctx.g.indices_of_kind(NodeKind::Activity) {
        let Element::Activity(a) = ctx.g.element(n) else {
            continue;
        };
        if a.effort.is_empty() {
            continue;
        }
        let Some((activity_time, tf, activity_tf)) = activity_time(ctx, n) else {
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
            let during_intervals = super::time::intervals_of(ctx, participation);
            if super::time::inside_intervals(&activity_time, &during_intervals) == Some(false) {
                let during = super::time::shown(ctx, participation);
                let d = Diagnostic::new(
                        Code::EffortOutsideParticipation,
                        format!("{}/effort/{i}", ctx.pointer(n)),
                        format!(
                            "`{}` puts effort into `{}` ({tf}), but takes part only {during}",
                            partner.id, a.id
                        ),
                    )
                    .with_elements([a.id.as_str(), partner.id.as_str()])
                    .with_related(format!("`{}` takes part `{participation}`", partner.id), format!("{}/participation", pn.pointer()))
                    .with_help("move the effort to activities within the partner's participation, or correct the dates");
                let d = match activity_tf {
                    Some(t) => super::time::with_anchor(ctx, d, t),
                    None => d,
                };
                out.push(super::time::with_anchor(ctx, d, participation));
            }
        }
    }
}

/// How an element's time relates to a partner's participation.
enum Overlap {
    Inside,
    Partly,
    /// Not inside, and whether any of it is inside is unknown (a deadline against a
    /// deadline: `by 2021-01` against `by 2020-06` ends after the partner leaves, but when
    /// either starts is unknown).
    NotInside,
    Outside,
}

fn overlap(mine: &[Interval], during: &[Interval]) -> Option<Overlap> {
    // unknown (`None`) when it cannot be told whether it fits
    if super::time::inside_intervals(mine, during)? {
        return Some(Overlap::Inside);
    }
    let mut comparable = false;
    for i in mine {
        for o in during {
            if let Some(shared) = i.overlaps(o) {
                comparable = true;
                if shared {
                    return Some(Overlap::Partly);
                }
            }
        }
    }
    Some(if comparable {
        Overlap::Outside
    } else {
        Overlap::NotInside
    })
}

/// PG502 and PG503: a partner leads or takes part in an activity, deliverable or milestone
/// whose time lies entirely (PG502) or partly (PG503) outside its participation.
pub(super) fn role_outside_participation(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    check_roles(ctx, out, true);
}

/// PG503: see [`role_outside_participation`].
pub(super) fn role_partly_outside_participation(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    check_roles(ctx, out, false);
}

fn check_roles<'d>(ctx: &Ctx<'_, 'd>, out: &mut Vec<Diagnostic>, entirely: bool) {
    if !ctx.doc.partners.iter().any(|p| p.participation.is_some()) {
        return;
    }
    for kind in [
        NodeKind::Activity,
        NodeKind::Deliverable,
        NodeKind::Milestone,
    ] {
        for &n in ctx.g.indices_of_kind(kind) {
            let due = |tf: Option<&'d Timeframe>| {
                tf.map(|t| {
                    (
                        super::time::intervals_of(ctx, t),
                        super::time::shown(ctx, t),
                        Some(t),
                    )
                })
            };
            let (time, lead, partners, effort): (_, _, &[Id], &[Effort]) = match ctx.g.element(n) {
                Element::Activity(a) => (
                    activity_time(ctx, n),
                    a.lead.as_ref(),
                    &a.partners,
                    &a.effort,
                ),
                Element::Deliverable(d) => (due(d.due.as_ref()), d.lead.as_ref(), &d.partners, &[]),
                Element::Milestone(m) => (due(m.due.as_ref()), m.lead.as_ref(), &m.partners, &[]),
                _ => continue,
            };
            let Some((mine, shown, tf)) = time else {
                continue;
            };
            let roles = lead
                .map(|l| ("lead".to_owned(), l, "leads"))
                .into_iter()
                .chain(
                    partners
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (format!("partners/{i}"), p, "takes part in")),
                );
            for (path, pid, verb) in roles {
                // effort on the activity is PG501's
                if effort.iter().any(|e| e.partner == *pid) {
                    continue;
                }
                let Some(pn) = ctx.g.node(pid.as_str()) else {
                    continue;
                };
                let Element::Partner(partner) = pn.element() else {
                    continue;
                };
                let Some(participation) = &partner.participation else {
                    continue;
                };
                let during = super::time::intervals_of(ctx, participation);
                let (code, how) = match overlap(&mine, &during) {
                    Some(Overlap::Outside) if entirely => {
                        (Code::RoleOutsideParticipation, "entirely outside")
                    }
                    Some(Overlap::Partly) if !entirely => {
                        (Code::RolePartlyOutsideParticipation, "partly outside")
                    }
                    Some(Overlap::NotInside) if !entirely => (
                        Code::RolePartlyOutsideParticipation,
                        "at least partly outside",
                    ),
                    _ => continue,
                };
                let id = ctx.id(n);
                let when = if kind == NodeKind::Activity {
                    "runs"
                } else {
                    "is due"
                };
                let d = Diagnostic::new(
                    code,
                    format!("{}/{path}", ctx.pointer(n)),
                    format!(
                        "`{}` {verb} {} `{id}`, which {when} {}, {how} its participation {}",
                        partner.id,
                        kind.noun(),
                        shown,
                        super::time::shown(ctx, participation)
                    ),
                )
                .with_elements([id, partner.id.as_str()])
                .with_related(
                    format!("`{}` takes part `{participation}`", partner.id),
                    format!("{}/participation", pn.pointer()),
                )
                .with_help("give the role to a partner that takes part then, or correct the dates");
                let d = match tf {
                    Some(t) => super::time::with_anchor(ctx, d, t),
                    None => d,
                };
                out.push(super::time::with_anchor(ctx, d, participation));
            }
        }
    }
}
