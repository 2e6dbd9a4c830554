//! Time: timeframes inside the period and inside their parents, deliverables due while
//! their activity runs, every activity scheduled, dependencies in order.

use petgraph::stable_graph::NodeIndex;

use super::Ctx;
use super::structure::cycles;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::graph::{EdgeKind, Element, NodeKind};
use crate::model::{Anchor, Dependency, DependencyType, Instant, Interval, Point, Timeframe};

use crate::derive::ANCHOR_DEPTH;

/// The timeframe or due date of a scheduled element: an activity's own or inherited
/// timeframe, a milestone's or deliverable's due date.
fn scheduled_timeframe<'d>(ctx: &Ctx<'_, 'd>, n: NodeIndex) -> Option<&'d Timeframe> {
    ctx.derived.scheduled_timeframe(ctx.g, n)
}

/// The window an anchored timeframe covers, derived from its anchor's dates; `None`
/// when the anchor is unknown, of another kind, undated, or the anchors form a cycle.
pub(super) fn derived(ctx: &Ctx<'_, '_>, anchor: &Anchor) -> Option<Interval> {
    ctx.derived.anchored(ctx.g, anchor, ctx.start)
}

/// Whether following the anchors from `anchor` comes back to an anchor already passed.
fn anchor_cycle(ctx: &Ctx<'_, '_>, anchor: &Anchor) -> bool {
    let mut seen: Vec<NodeIndex> = Vec::new();
    let mut next = Some(anchor);
    while let Some(a) = next {
        let Some(node) = ctx.g.node(a.id.as_str()).map(|t| t.index()) else {
            return false;
        };
        if seen.contains(&node) || seen.len() > ANCHOR_DEPTH {
            return true;
        }
        seen.push(node);
        next = scheduled_timeframe(ctx, node).and_then(Timeframe::anchor);
    }
    false
}

/// The intervals a timeframe covers; an anchored one's is derived from its anchor.
pub(super) fn intervals_of(ctx: &Ctx<'_, '_>, tf: &Timeframe) -> Vec<Interval> {
    match tf.anchor() {
        Some(a) => derived(ctx, a).into_iter().collect(),
        None => tf.intervals(ctx.start).collect(),
    }
}

/// A timeframe for a message: `` `2024` ``, or for an anchored one its text with the
/// derived dates (or months from the start) and the anchor (`` `12 months after A8.M1`
/// (`2025-07-01 to 2026-07-01`, derived from `A8.M1`) ``).
pub(super) fn shown(ctx: &Ctx<'_, '_>, tf: &Timeframe) -> String {
    let Some(a) = tf.anchor() else {
        return format!("`{tf}`");
    };
    let day = |i: Instant| match i {
        Instant::Day(d) => crate::model::Date::from_day_number(d).map(|d| d.to_string()),
        Instant::Month(m) => Some(format!("M{m}")),
    };
    match derived(ctx, a).and_then(|i| Some((day(i.start)?, day(i.end)?))) {
        Some((from, to)) => format!("`{tf}` (`{from} to {to}`, derived from `{}`)", a.id),
        None => format!("`{tf}`"),
    }
}

/// A finding with a related place for the anchor of an anchored timeframe, when it
/// resolves: the derived dates the message names are counted from there.
pub(super) fn with_anchor(ctx: &Ctx<'_, '_>, d: Diagnostic, tf: &Timeframe) -> Diagnostic {
    let Some(a) = tf.anchor() else { return d };
    match ctx.g.node(a.id.as_str()).map(|t| t.index()) {
        Some(target) => d.with_related(
            format!("`{}` is the anchor of `{tf}`", ctx.id(target)),
            ctx.pointer(target),
        ),
        None => d,
    }
}

/// Where a finding about when an element runs points in its timeframe field: at
/// `within` for an anchored timeframe (the anchor's date is fine, the distance from it
/// is what puts it out of place), at the field itself otherwise.
pub(super) fn at_part(tf: &Timeframe) -> &'static str {
    if tf.anchor().is_some() { "/within" } else { "" }
}

/// PG104: an anchored timeframe whose anchor has no date to count from.
pub(super) fn undated_anchor(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    const SCHEDULED: [NodeKind; 3] = [
        NodeKind::Activity,
        NodeKind::Milestone,
        NodeKind::Deliverable,
    ];
    const ANCHORED: [NodeKind; 6] = [
        NodeKind::Activity,
        NodeKind::Milestone,
        NodeKind::Deliverable,
        NodeKind::Indicator,
        NodeKind::Partner,
        NodeKind::Review,
    ];
    for kind in ANCHORED {
        for &n in ctx.g.indices_of_kind(kind) {
            let (field, verb, tf) = match ctx.g.element(n) {
                Element::Activity(a) => ("timeframe", "timeframe", a.timeframe.as_ref()),
                Element::Milestone(m) => ("due", "due date", m.due.as_ref()),
                Element::Deliverable(d) => ("due", "due date", d.due.as_ref()),
                Element::Indicator(i) => ("target_date", "target date", i.target_date.as_ref()),
                Element::Partner(p) => ("participation", "participation", p.participation.as_ref()),
                Element::Review(r) => ("date", "date", r.date.as_ref()),
                _ => continue,
            };
            let Some(a) = tf.and_then(Timeframe::anchor) else {
                continue;
            };
            // an unknown anchor is PG101, one of another kind PG103
            let Some(target) = ctx.g.node(a.id.as_str()).map(|t| t.index()) else {
                continue;
            };
            if !SCHEDULED.contains(&ctx.g.kind_of(target)) || derived(ctx, a).is_some() {
                continue;
            }
            let id = ctx.id(n);
            let target_id = ctx.id(target);
            let end = match a.side {
                crate::model::Side::After => "end",
                crate::model::Side::Before => "start",
            };
            let why = if anchor_cycle(ctx, a) {
                "but the anchors form a cycle".to_owned()
            } else if scheduled_timeframe(ctx, target).is_some_and(|t| {
                t.anchor().is_none()
                    && t.span(ctx.start).is_some_and(|s| {
                        if a.side == crate::model::Side::After {
                            s.end_known
                        } else {
                            s.start_known
                        }
                    })
            }) {
                // known, but in months from a start not on the calendar
                format!(
                    "whose {end} is in months from the programme's start, which has no date: count in months or years, or state the start"
                )
            } else if scheduled_timeframe(ctx, target).is_some_and(|t| t.anchor().is_some()) {
                format!("whose own anchor has no stated {end}")
            } else {
                format!("which has no stated {end}")
            };
            out.push(
                Diagnostic::new(
                    Code::UndatedAnchor,
                    format!("{}/{field}/{}", ctx.pointer(n), a.side.key()),
                    format!(
                        "the {verb} of `{id}` is counted from `{target_id}`, {why}: the date cannot be derived"
                    ),
                )
                .with_elements([id, target_id])
                .with_related(format!("`{target_id}` is defined here"), ctx.pointer(target))
                .with_help(format!("give `{target_id}` a date, or date `{id}` directly")),
            );
        }
    }
}

/// Whether every interval of `tf` lies within one of the intervals of `outer` (so a
/// topic in 2024 is outside an activity that runs "2023 and 2025"); `None` when they
/// cannot be compared.
pub(super) fn inside(ctx: &Ctx<'_, '_>, tf: &Timeframe, outer: &Timeframe) -> Option<bool> {
    inside_intervals(&intervals_of(ctx, tf), &intervals_of(ctx, outer))
}

/// [`inside`] on intervals: whether every one of `mine` lies within one of `outer`.
pub(super) fn inside_intervals(mine: &[Interval], outer: &[Interval]) -> Option<bool> {
    let mut any = false;
    let mut all = true;
    for i in mine {
        any = true;
        let mut fits = false;
        let mut comparable = false;
        for o in outer {
            if let Some(w) = i.within(o) {
                comparable = true;
                fits |= w;
            }
        }
        if !comparable {
            return None;
        }
        all &= fits;
    }
    any.then_some(all)
}

fn period_text(ctx: &Ctx<'_, '_>) -> String {
    ctx.doc
        .programme
        .period
        .as_ref()
        .map(|p| p.text().to_owned())
        .unwrap_or_default()
}

/// Whether `tf` lies (in part) outside the programme period.
fn outside_period(ctx: &Ctx<'_, '_>, tf: &Timeframe) -> bool {
    ctx.doc
        .programme
        .period
        .as_ref()
        .is_some_and(|period| inside(ctx, tf, period) == Some(false))
}

/// The activity an element is nested in, when `tf` (the element's own date or
/// timeframe) lies outside that activity's effective timeframe: the activity, that
/// timeframe, and the activity that states it.
fn outside_parent<'d>(
    ctx: &Ctx<'_, 'd>,
    n: NodeIndex,
    tf: &Timeframe,
) -> Option<(NodeIndex, &'d Timeframe, NodeIndex)> {
    let parent = ctx
        .g
        .parent_index(n)
        .filter(|p| ctx.g.kind_of(*p) == NodeKind::Activity)?;
    let (parent_tf, source) = ctx.timeframe_of(parent)?;
    (inside(ctx, tf, parent_tf) == Some(false)).then_some((parent, parent_tf, source))
}

/// Whose timeframe an element's parent activity runs in, for a message: `of its parent
/// `A1`` for a sub-activity, `of `WP1`` for a deliverable or milestone, with the
/// activity it is inherited from when it is.
fn whose(ctx: &Ctx<'_, '_>, n: NodeIndex, parent: NodeIndex, source: NodeIndex) -> String {
    let (parent_id, source_id) = (ctx.id(parent), ctx.id(source));
    match (ctx.g.kind_of(n) == NodeKind::Activity, source == parent) {
        (true, true) => format!("of its parent `{parent_id}`"),
        (true, false) => format!("of its parent `{parent_id}`, which has it from `{source_id}`"),
        (false, true) => format!("of `{parent_id}`"),
        (false, false) => format!("that `{parent_id}` has from `{source_id}`"),
    }
}

/// PG301: an activity's timeframe, a milestone's or a review's date outside the period.
/// When it is outside its activity's timeframe too, this one finding names both (and
/// PG302 or PG303 leaves it to this one).
pub(super) fn timeframe_outside_period(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    if ctx.doc.programme.period.is_none() {
        return;
    }
    let period_text = period_text(ctx);
    let mut check = |n: NodeIndex, field: &str, tf: &Timeframe, what: &str| {
        // cancelled work takes place at no time
        if ctx.g.at(n).is_cancelled() || !outside_period(ctx, tf) {
            return;
        }
        let id = ctx.id(n);
        let verb = match what {
            "milestone" => "is due",
            "review" => "takes place",
            _ => "runs",
        };
        let parent = outside_parent(ctx, n, tf);
        let also = match parent {
            Some((p, parent_tf, source)) => {
                format!(
                    " and the timeframe {} {}",
                    shown(ctx, parent_tf),
                    whose(ctx, n, p, source)
                )
            }
            None => String::new(),
        };
        let mut d = Diagnostic::new(
            Code::TimeframeOutsidePeriod,
            format!("{}/{field}{}", ctx.pointer(n), at_part(tf)),
            format!(
                "{what} `{id}` {verb} {}, outside the programme period `{period_text}`{also}",
                shown(ctx, tf)
            ),
        )
        .with_elements([id])
        .with_related("the programme period", "/programme/period");
        match parent {
            Some((p, parent_tf, source)) => {
                d = d
                    .with_elements([id, ctx.id(p)])
                    .with_related(
                        format!("`{}` runs `{parent_tf}`", ctx.id(source)),
                        format!("{}/timeframe", ctx.pointer(source)),
                    )
                    .with_help(
                        "move it into the period and its activity's timeframe, or correct them",
                    );
            }
            None => d = d.with_help("move it into the period, or correct the period"),
        }
        out.push(with_anchor(ctx, d, tf));
    };
    for &n in ctx.g.indices_of_kind(NodeKind::Activity) {
        if let Element::Activity(a) = ctx.g.element(n)
            && let Some(tf) = &a.timeframe
        {
            check(n, "timeframe", tf, "activity");
        }
    }
    for &n in ctx.g.indices_of_kind(NodeKind::Milestone) {
        if let Element::Milestone(m) = ctx.g.element(n)
            && let Some(tf) = &m.due
        {
            check(n, "due", tf, "milestone");
        }
    }
    for &n in ctx.g.indices_of_kind(NodeKind::Review) {
        if let Element::Review(r) = ctx.g.element(n)
            && let Some(tf) = &r.date
        {
            check(n, "date", tf, "review");
        }
    }
}

/// PG302: a sub-activity's own timeframe outside its parent's (own or inherited).
pub(super) fn child_outside_parent(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for &n in ctx.g.indices_of_kind(NodeKind::Activity) {
        let Element::Activity(a) = ctx.g.element(n) else {
            continue;
        };
        let Some(tf) = &a.timeframe else { continue };
        // cancelled work runs at no time
        if ctx.g.at(n).is_cancelled() {
            continue;
        }
        if ctx.period_rule && outside_period(ctx, tf) {
            // PG301 reports it, naming the parent's timeframe too
            continue;
        }
        let Some((parent, parent_tf, source)) = outside_parent(ctx, n, tf) else {
            continue;
        };
        let id = ctx.id(n);
        let source_id = ctx.id(source);
        out.push(
            Diagnostic::new(
                Code::ChildOutsideParent,
                format!("{}/timeframe{}", ctx.pointer(n), at_part(tf)),
                format!(
                    "`{id}` runs {}, outside the timeframe {} {}",
                    shown(ctx, tf),
                    shown(ctx, parent_tf),
                    whose(ctx, n, parent, source)
                ),
            )
            .with_elements([id, ctx.id(parent)])
            .with_related(
                format!("`{source_id}` runs `{parent_tf}`"),
                format!("{}/timeframe", ctx.pointer(source)),
            )
            .with_help("align the two timeframes"),
        );
        if let Some(d) = out.pop() {
            out.push(with_anchor(ctx, d, tf));
        }
    }
}

/// PG303: a deliverable or milestone due outside its activity's timeframe. A milestone
/// due outside the period too is PG301's (one finding naming both); a deliverable, which
/// PG301 does not check, is reported here with the period named as well.
pub(super) fn due_outside_activity(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for kind in [NodeKind::Deliverable, NodeKind::Milestone] {
        for &n in ctx.g.indices_of_kind(kind) {
            // cancelled work is due at no time (a deliverable of a cancelled activity too)
            if ctx.g.at(n).is_cancelled() {
                continue;
            }
            // the due date, and a deliverable's recurrence when it is bounded
            // (`every 12 months in 2025-2029`)
            let times: [(&str, Option<&Timeframe>, &str); 2] = match ctx.g.element(n) {
                Element::Deliverable(d) => [
                    ("due", d.due.as_ref(), "is due"),
                    ("recurrence", d.recurrence.as_deref(), "recurs"),
                ],
                Element::Milestone(m) => [("due", m.due.as_ref(), "is due"), ("", None, "")],
                _ => continue,
            };
            for (field, tf, verb) in times {
                let Some(due) = tf else { continue };
                due_outside_one(ctx, n, kind, field, due, verb, out);
            }
        }
    }
}

/// PG303 (or PG301) for one due date or recurrence of a deliverable or milestone.
fn due_outside_one(
    ctx: &Ctx<'_, '_>,
    n: NodeIndex,
    kind: NodeKind,
    field: &str,
    due: &Timeframe,
    verb: &str,
    out: &mut Vec<Diagnostic>,
) {
    let beyond_period = outside_period(ctx, due);
    if kind == NodeKind::Milestone && ctx.period_rule && beyond_period {
        // PG301 reports it, naming the activity's timeframe too
        return;
    }
    if let Element::Milestone(m) = ctx.g.element(n) {
        shared_milestone_outside(ctx, n, m, due, out);
    }
    let id = ctx.id(n);
    let at = format!("{}/{field}{}", ctx.pointer(n), at_part(due));
    let Some(outside) = due_outside(ctx, n, due) else {
        // with no time of its activity to compare with, the period still is (a
        // deliverable's; a milestone's is PG301's)
        let untimed = ctx
            .g
            .parent_index(n)
            .is_none_or(|a| scheduled(ctx, a).is_none() && ctx.derived.derived_span(a).is_none());
        if kind == NodeKind::Deliverable && beyond_period && untimed && ctx.period_rule {
            let d = Diagnostic::new(
                Code::TimeframeOutsidePeriod,
                at,
                format!(
                    "deliverable `{id}` {verb} {}, outside the programme period `{}`",
                    shown(ctx, due),
                    period_text(ctx)
                ),
            )
            .with_elements([id])
            .with_related("the programme period", "/programme/period")
            .with_help("move it into the period, or correct the period");
            out.push(with_anchor(ctx, d, due));
        }
        return;
    };
    let period = if beyond_period {
        format!(" and the programme period `{}`", period_text(ctx))
    } else {
        String::new()
    };
    let mut d = Diagnostic::new(
        Code::DueOutsideActivity,
        at,
        format!(
            "{} `{id}` {verb} {}, outside {}{period}",
            kind.noun(),
            shown(ctx, due),
            outside.what
        ),
    )
    .with_elements([id, ctx.id(outside.activity)])
    .with_related(outside.related.0, outside.related.1);
    if beyond_period {
        d = d.with_related("the programme period", "/programme/period");
    }
    d = with_anchor(ctx, d, due);
    out.push(d.with_help(outside.help));
}

/// PG303 for a milestone shared with further activities (`also_in`): due outside the
/// effective timeframe of one of them.
fn shared_milestone_outside(
    ctx: &Ctx<'_, '_>,
    n: NodeIndex,
    m: &crate::model::Milestone,
    due: &Timeframe,
    out: &mut Vec<Diagnostic>,
) {
    for (i, other) in m.also_in.iter().enumerate() {
        let Some(a) = ctx.g.node(other.as_str()).map(|t| t.index()) else {
            continue;
        };
        if ctx.g.kind_of(a) != NodeKind::Activity {
            continue;
        }
        let Some((tf, source)) = ctx.timeframe_of(a) else {
            continue;
        };
        if inside(ctx, due, tf) != Some(false) {
            continue;
        }
        let (id, a_id) = (ctx.id(n), ctx.id(a));
        let d = Diagnostic::new(
            Code::DueOutsideActivity,
            format!("{}/also_in/{i}", ctx.pointer(n)),
            format!(
                "milestone `{id}` is due {}, outside the timeframe {} of `{a_id}`, which it is also in",
                shown(ctx, due),
                shown(ctx, tf)
            ),
        )
        .with_elements([id, a_id])
        .with_related(
            format!("`{}` runs `{tf}`", ctx.id(source)),
            format!("{}/timeframe", ctx.pointer(source)),
        )
        .with_help("move the due date into the time of every activity the milestone is in, or take it out of `also_in`");
        out.push(with_anchor(ctx, d, due));
    }
}

/// What a deliverable or milestone is due outside of.
struct DueOutside {
    /// The activity it belongs to.
    activity: NodeIndex,
    /// The time it is outside, for the message (`the timeframe `M1-M6` of `WP1``).
    what: String,
    /// Where that time is stated: a message and a pointer.
    related: (String, String),
    help: &'static str,
}

/// Whether a deliverable or milestone is due outside its activity's time: the effective
/// timeframe (own or inherited), or for an activity with none, the time its
/// sub-activities cover together (its timeframe is derived from theirs).
fn due_outside(ctx: &Ctx<'_, '_>, n: NodeIndex, due: &Timeframe) -> Option<DueOutside> {
    if let Some((activity, tf, source)) = outside_parent(ctx, n, due) {
        return Some(DueOutside {
            activity,
            what: format!(
                "the timeframe {} {}",
                shown(ctx, tf),
                whose(ctx, n, activity, source)
            ),
            related: (
                format!("`{}` runs `{tf}`", ctx.id(source)),
                format!("{}/timeframe", ctx.pointer(source)),
            ),
            help: "move the due date into the activity's timeframe, or extend the activity",
        });
    }
    let activity = ctx
        .g
        .parent_index(n)
        .filter(|p| ctx.g.kind_of(*p) == NodeKind::Activity)?;
    let span = ctx.derived.derived_span(activity)?;
    if inside_intervals(&intervals_of(ctx, due), &[span]) != Some(false) {
        return None;
    }
    let activity_id = ctx.id(activity);
    Some(DueOutside {
        activity,
        what: format!(
            "`{}`, when the sub-activities of `{activity_id}` run",
            span_text(span)?
        ),
        related: (
            format!(
                "`{activity_id}` has no timeframe of its own: it runs when its sub-activities do"
            ),
            format!("{}/activities", ctx.pointer(activity)),
        ),
        help: "move the due date into the time of the activity's sub-activities, or give the activity a timeframe",
    })
}

/// PG304: an indicator's target date outside the period.
pub(super) fn target_date_outside_period(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let Some(period) = &ctx.doc.programme.period else {
        return;
    };
    let period_text = period_text(ctx);
    for &n in ctx.g.indices_of_kind(NodeKind::Indicator) {
        let Element::Indicator(ind) = ctx.g.element(n) else {
            continue;
        };
        let Some(tf) = &ind.target_date else { continue };
        if inside(ctx, tf, period) == Some(false) {
            let d = Diagnostic::new(
                Code::TargetDateOutsidePeriod,
                format!("{}/target_date{}", ctx.pointer(n), at_part(tf)),
                format!(
                    "indicator `{}` has its target date {} outside the programme period `{period_text}`",
                    ind.id,
                    shown(ctx, tf)
                ),
            )
            .with_elements([ind.id.as_str()])
            .with_related("the programme period", "/programme/period")
            .with_help("set a target date within the period");
            out.push(with_anchor(ctx, d, tf));
        }
    }
}

/// PG305: an activity with no timeframe of its own or inherited, nor one derived from
/// sub-activities that all have one. Reported once per activity whose parent is
/// scheduled (or that has no parent activity), naming the sub-activities that are
/// unscheduled with it.
pub(super) fn missing_timeframe(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for &n in ctx.g.indices_of_kind(NodeKind::Activity) {
        if ctx.timeframe_of(n).is_some() {
            continue;
        }
        let parent = ctx
            .g
            .parent_index(n)
            .filter(|p| ctx.g.kind_of(*p) == NodeKind::Activity);
        if parent.is_some() {
            // its parent is unscheduled too, and is reported with it
            continue;
        }
        if ctx.derived.timeframe_from_children(n) {
            // its timeframe is derived from its sub-activities, which all have one
            continue;
        }
        if super::structure::in_cancelled_work(ctx, n) {
            // cancelled work is not scheduled
            continue;
        }
        let id = ctx.id(n);
        let mut unscheduled: Vec<&str> = Vec::new();
        let mut stack: Vec<NodeIndex> = ctx.g.hierarchy_children(n).collect();
        while let Some(c) = stack.pop() {
            if let Element::Activity(a) = ctx.g.element(c)
                && a.timeframe.is_none()
                && !ctx.derived.timeframe_from_children(c)
                && !super::structure::is_cancelled(a.status.as_ref())
            {
                unscheduled.push(a.id.as_str());
                stack.extend(ctx.g.hierarchy_children(c));
            }
        }
        unscheduled.sort_unstable();
        let message = match unscheduled.len() {
            0 => format!("activity `{id}` has no timeframe, and no parent activity gives one"),
            k => format!(
                "activity `{id}` has no timeframe, and neither {} its {} {} (nothing to inherit)",
                if k == 1 { "has" } else { "have" },
                if k == 1 {
                    "sub-activity"
                } else {
                    "sub-activities"
                },
                super::id_list(&unscheduled, ", ")
            ),
        };
        let mut elements = vec![id];
        elements.extend(unscheduled);
        out.push(
            Diagnostic::new(Code::MissingTimeframe, ctx.pointer(n), message)
                .with_elements(elements)
                .with_help("add the timeframe the source gives, or a `condition` when it states one instead of a date"),
        );
    }
}

/// When an element runs, for the dependency rules: an activity's effective timeframe
/// (with the activity that states it, and its field), a milestone's or deliverable's due.
fn scheduled<'d>(
    ctx: &Ctx<'_, 'd>,
    n: NodeIndex,
) -> Option<(&'d Timeframe, NodeIndex, &'static str)> {
    match ctx.g.element(n) {
        Element::Activity(_) => ctx
            .timeframe_of(n)
            .map(|(tf, source)| (tf, source, "timeframe")),
        Element::Milestone(m) => m.due.as_ref().map(|tf| (tf, n, "due")),
        Element::Deliverable(d) => d.due.as_ref().map(|tf| (tf, n, "due")),
        _ => None,
    }
}

/// The dependencies an element states (activities, milestones and deliverables).
fn dependencies<'d>(ctx: &Ctx<'_, 'd>, n: NodeIndex) -> &'d [Dependency] {
    match ctx.g.element(n) {
        Element::Activity(a) => &a.depends_on,
        Element::Milestone(m) => &m.depends_on,
        Element::Deliverable(d) => &d.depends_on,
        _ => &[],
    }
}

/// One end of an element's time, for comparing along a dependency: the instant, and the
/// point as written. An activity starts and ends where its timeframe does; a milestone
/// or deliverable happens when it is due, at the end of its due (`M18`, the end of
/// `2024`), which is both its start and its end.
struct End {
    at: Instant,
    written: Point,
    /// Whether it is the start of a window counted `after` another element: that
    /// window opens as the anchor ends, and is after it by its wording.
    opens_after: bool,
    /// The element that states the timeframe, and its field.
    source: NodeIndex,
    field: &'static str,
}

/// An instant as a point written in a message: a date, or a month from the start.
fn point_of(i: Instant) -> Option<Point> {
    match i {
        Instant::Day(d) => crate::model::Date::from_day_number(d).map(Point::Date),
        Instant::Month(m) => Some(Point::RelativeMonth(m)),
    }
}

/// An interval for a message: `M1-M12`, `2024-01-01 to 2024-12-31`; `None` when an end
/// is unknown.
pub(super) fn span_text(span: Interval) -> Option<String> {
    if !span.bounded() {
        return None;
    }
    Some(match (point_of(span.start)?, point_of(span.end)?) {
        (Point::RelativeMonth(a), Point::RelativeMonth(b)) => format!("M{a}-M{b}"),
        (a, b) => format!("{a} to {b}"),
    })
}

fn end_of(ctx: &Ctx<'_, '_>, n: NodeIndex, starting: bool) -> Option<End> {
    // an activity whose timeframe is derived from its sub-activities runs when they do
    if let Some(span) = ctx.derived.derived_span(n) {
        let known = if starting {
            span.start_known
        } else {
            span.end_known
        };
        if !known {
            return None;
        }
        let at = if starting { span.start } else { span.end };
        return point_of(at).map(|written| End {
            at,
            written,
            opens_after: false,
            source: n,
            field: "activities",
        });
    }
    let (tf, source, field) = scheduled(ctx, n)?;
    let opens_after = starting
        && tf
            .anchor()
            .is_some_and(|a| a.side == crate::model::Side::After);
    let (span, (first, last)) = match tf.anchor() {
        // counted from its anchor: the derived window, its ends as dates or months
        Some(a) => {
            let span = derived(ctx, a)?;
            (span, (point_of(span.start)?, point_of(span.end)?))
        }
        None => (tf.span(ctx.start)?, tf.span_points(ctx.start)?),
    };
    let point = ctx.g.kind_of(n) != NodeKind::Activity;
    // only a known start or end compares (a deadline's start and open-ended work's end
    // are unknown: never invented)
    let (at, written) = if starting && !point {
        (span.start, first)
    } else {
        (span.end, last)
    };
    let known = if starting && !point {
        span.start_known
    } else {
        span.end_known
    };
    if !known {
        return None;
    }
    Some(End {
        at,
        written,
        opens_after,
        source,
        field,
    })
}

/// A broken timing dependency, as the rules compare it: `n` depends on `dep` by the
/// `i`-th entry of its `depends_on`, of type `kind`; the start or end of each compared.
struct Broken<'a> {
    n: NodeIndex,
    i: usize,
    dep: NodeIndex,
    kind: DependencyType,
    mine: End,
    theirs: End,
    id: &'a str,
    dep_id: &'a str,
}

/// Every dependency of a timing type in `kinds` that the two elements' times break.
fn broken_dependencies<'a>(ctx: &Ctx<'_, 'a>, kinds: &[DependencyType]) -> Vec<Broken<'a>> {
    let mut out = Vec::new();
    for kind in [
        NodeKind::Activity,
        NodeKind::Milestone,
        NodeKind::Deliverable,
    ] {
        for &n in ctx.g.indices_of_kind(kind) {
            for (i, d) in dependencies(ctx, n).iter().enumerate() {
                if !kinds.contains(&d.kind) {
                    continue;
                }
                let Some(dep) = ctx.g.node(d.id.as_str()).map(|r| r.index()) else {
                    continue;
                };
                if dep == n
                    || !matches!(
                        ctx.g.kind_of(dep),
                        NodeKind::Activity | NodeKind::Milestone | NodeKind::Deliverable
                    )
                {
                    continue;
                }
                // (this element's end compared, the dependency's end compared, broken when)
                let (mine_starts, theirs_starts) = match d.kind {
                    DependencyType::FinishToStart => (true, false),
                    DependencyType::StartToStart => (true, true),
                    DependencyType::FinishToFinish => (false, false),
                    DependencyType::Informs => continue,
                };
                let (Some(mine), Some(theirs)) =
                    (end_of(ctx, n, mine_starts), end_of(ctx, dep, theirs_starts))
                else {
                    continue;
                };
                if std::mem::discriminant(&mine.at) != std::mem::discriminant(&theirs.at) {
                    continue;
                }
                let breaks = match d.kind {
                    // an activity may start only after the other ends; a milestone or
                    // deliverable, which happens at an instant, may be due as it ends
                    // (one counted `after` an element opens as that element ends,
                    // and is after it)
                    DependencyType::FinishToStart
                        if kind == NodeKind::Activity && !mine.opens_after =>
                    {
                        mine.at <= theirs.at
                    }
                    DependencyType::FinishToStart => mine.at < theirs.at,
                    // it may start with the other, or later; end with it, or later
                    DependencyType::StartToStart | DependencyType::FinishToFinish => {
                        mine.at < theirs.at
                    }
                    DependencyType::Informs => false,
                };
                if breaks {
                    out.push(Broken {
                        n,
                        i,
                        dep,
                        kind: d.kind,
                        mine,
                        theirs,
                        id: ctx.id(n),
                        dep_id: ctx.id(dep),
                    });
                }
            }
        }
    }
    out
}

/// How an element's start or end is said: `starts`, `ends`, `is due`.
fn verb(ctx: &Ctx<'_, '_>, n: NodeIndex, starting: bool) -> &'static str {
    match (ctx.g.kind_of(n), starting) {
        (NodeKind::Activity, true) => "starts",
        (NodeKind::Activity, false) => "ends",
        _ => "is due",
    }
}

fn broken_diagnostic(ctx: &Ctx<'_, '_>, code: Code, b: &Broken<'_>) -> Diagnostic {
    let (mine_starts, theirs_starts) = match b.kind {
        DependencyType::StartToStart => (true, true),
        DependencyType::FinishToFinish => (false, false),
        _ => (true, false),
    };
    let mine = verb(ctx, b.n, mine_starts);
    let theirs = verb(ctx, b.dep, theirs_starts);
    let (id, dep_id) = (b.id, b.dep_id);
    // the same point written on both sides (`2024` and `2024`) compares a start with an
    // end: name the days compared
    let same = b.mine.written.to_string() == b.theirs.written.to_string();
    let exact = |e: &End, from: &str| match (same, e.at) {
        (true, Instant::Day(_)) => point_of(e.at).map_or_else(
            || format!("`{}`", e.written),
            |p| format!("`{}` ({from} `{p}`)", e.written),
        ),
        _ => format!("`{}`", e.written),
    };
    let at = exact(&b.mine, if mine_starts { "from" } else { "on" });
    let dep_at = exact(&b.theirs, if theirs_starts { "from" } else { "on" });
    let (message, help) = match b.kind {
        DependencyType::StartToStart => (
            format!(
                "`{id}` {mine} {at} before `{dep_id}`, which it depends on (start to start), {theirs} {dep_at}"
            ),
            "start it with or after what it depends on, or change the type of the dependency",
        ),
        DependencyType::FinishToFinish => (
            format!(
                "`{id}` {mine} {at} before `{dep_id}`, which it depends on (finish to finish), {theirs} {dep_at}"
            ),
            "end it with or after what it depends on, or change the type of the dependency",
        ),
        _ => (
            format!("`{id}` {mine} {at} before `{dep_id}`, which it depends on, {theirs} {dep_at}"),
            if ctx.g.kind_of(b.n) == NodeKind::Activity {
                "start it after what it depends on, or drop the dependency (`type: informs` for one that implies no order in time)"
            } else {
                "make it due after what it depends on, or drop the dependency (`type: informs` for one that implies no order in time)"
            },
        ),
    };
    let d = Diagnostic::new(
        code,
        format!("{}/depends_on/{}", ctx.pointer(b.n), b.i),
        message,
    )
    .with_elements([id, dep_id])
    .with_related(
        if b.theirs.field == "activities" {
            format!("`{dep_id}` {theirs} {dep_at}, when its sub-activities do")
        } else {
            format!("`{dep_id}` {theirs} {dep_at}")
        },
        format!("{}/{}", ctx.pointer(b.theirs.source), b.theirs.field),
    )
    .with_help(help);
    // the dates of an anchored timeframe are counted from its anchor: name it too
    [b.n, b.dep]
        .into_iter()
        .filter_map(|n| scheduled(ctx, n))
        .fold(d, |d, (tf, _, _)| with_anchor(ctx, d, tf))
}

/// PG306: an element that starts (or is due) before what it depends on ends (finish to
/// start), or before it starts (start to start).
pub(super) fn dependency_starts_early(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let kinds = [DependencyType::FinishToStart, DependencyType::StartToStart];
    for b in broken_dependencies(ctx, &kinds) {
        out.push(broken_diagnostic(ctx, Code::DependencyStartsEarly, &b));
    }
}

/// PG308: an element that ends (or is due) before what it depends on ends (finish to
/// finish).
pub(super) fn dependency_ends_early(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for b in broken_dependencies(ctx, &[DependencyType::FinishToFinish]) {
        out.push(broken_diagnostic(ctx, Code::DependencyEndsEarly, &b));
    }
}

/// PG307: activities, milestones or deliverables that depend on each other in a circle,
/// through dependencies that imply an order in time (not `informs`).
pub(super) fn dependency_cycle(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let mut scheduled: Vec<NodeIndex> = Vec::new();
    for kind in [
        NodeKind::Activity,
        NodeKind::Milestone,
        NodeKind::Deliverable,
    ] {
        scheduled.extend_from_slice(ctx.g.indices_of_kind(kind));
    }
    scheduled.sort_unstable();
    for cycle in cycles(ctx.g, &scheduled, EdgeKind::DependsOn) {
        // a circle of start-to-start and finish-to-finish links only can be kept (all
        // start together, or end together): only a finish-to-start link makes it
        // impossible
        let members: std::collections::HashSet<NodeIndex> = cycle.iter().copied().collect();
        let finish_to_start = cycle.iter().any(|&n| {
            dependencies(ctx, n).iter().any(|d| {
                d.kind == DependencyType::FinishToStart
                    && ctx
                        .g
                        .node(d.id.as_str())
                        .is_some_and(|t| members.contains(&t.index()))
            })
        });
        if !finish_to_start {
            continue;
        }
        let ids: Vec<&str> = cycle.iter().map(|&n| ctx.id(n)).collect();
        let chain = super::id_list(&ids, ", ");
        let all_activities = cycle
            .iter()
            .all(|&n| ctx.g.kind_of(n) == NodeKind::Activity);
        let message = match (cycle.len(), all_activities) {
            (1, true) => format!("activity {chain} depends on itself, so it can never start"),
            (1, false) => format!(
                "{} {chain} depends on itself, so it can never be reached",
                ctx.g.kind_of(cycle[0]).noun()
            ),
            (_, true) => {
                format!("activities {chain} depend on each other in a circle, so none can start")
            }
            (_, false) => {
                format!("{chain} depend on each other in a circle, so none can start or be reached")
            }
        };
        let mut d = Diagnostic::new(
            Code::DependencyCycle,
            format!("{}/depends_on", ctx.pointer(cycle[0])),
            message,
        )
        .with_elements(ids.iter().copied())
        .with_help("remove one of the `depends_on` links, or make it `type: informs` if it implies no order in time");
        for &n in cycle.iter().take(super::LISTED_IDS).skip(1) {
            d = d.with_related(
                format!("`{}` is part of the circle", ctx.id(n)),
                format!("{}/depends_on", ctx.pointer(n)),
            );
        }
        out.push(d);
    }
}

/// Every timeframe the document states, with the place it is stated: the programme
/// period, activities' timeframes, deliverables' due dates and recurrences, milestones'
/// due dates, indicators' target dates, partners' participation and reviews' dates.
fn every_timeframe<'d>(
    ctx: &Ctx<'_, 'd>,
    mut each: impl FnMut(String, &'d Timeframe, Option<&'d str>),
) {
    if let Some(p) = &ctx.doc.programme.period {
        each("/programme/period".to_owned(), p, None);
    }
    for kind in [
        NodeKind::Activity,
        NodeKind::Deliverable,
        NodeKind::Milestone,
        NodeKind::Indicator,
        NodeKind::Partner,
        NodeKind::Review,
    ] {
        for &n in ctx.g.indices_of_kind(kind) {
            let id = Some(ctx.id(n));
            let pointer = ctx.pointer(n);
            let fields: [(&str, Option<&'d Timeframe>); 2] = match ctx.g.element(n) {
                Element::Activity(a) => [("timeframe", a.timeframe.as_ref()), ("", None)],
                Element::Deliverable(d) => [
                    ("due", d.due.as_ref()),
                    ("recurrence", d.recurrence.as_deref()),
                ],
                Element::Milestone(m) => [("due", m.due.as_ref()), ("", None)],
                Element::Indicator(i) => [("target_date", i.target_date.as_ref()), ("", None)],
                Element::Partner(p) => [("participation", p.participation.as_ref()), ("", None)],
                Element::Review(r) => [("date", r.date.as_ref()), ("", None)],
                _ => continue,
            };
            for (field, tf) in fields {
                if let Some(tf) = tf {
                    each(format!("{pointer}/{field}"), tf, id);
                }
            }
        }
    }
}

/// PG309: a timeframe that writes `M0`, month zero, read as the programme's start.
pub(super) fn month_zero(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    every_timeframe(ctx, |pointer, tf, id| {
        if !tf.has_month_zero() {
            return;
        }
        let whose = id.map_or_else(|| "the programme period".to_owned(), |id| format!("`{id}`"));
        let mut d = Diagnostic::new(
            Code::MonthZero,
            pointer,
            format!(
                "`{tf}` ({whose}) counts from month zero: `M0` is read as the programme start, the first day of `M1`"
            ),
        )
        .with_help("write `M1` to say the same without month zero, or keep `M0` if the source does");
        if let Some(id) = id {
            d = d.with_elements([id]);
        }
        out.push(d);
    });
}

/// PG310: a range that mixes a date with months from the start (`2016-07-01 to M48`) in
/// a programme that states no start date.
pub(super) fn mixed_range_without_start(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    if ctx.start.is_some() {
        return;
    }
    every_timeframe(ctx, |pointer, tf, id| {
        if !tf.is_mixed() {
            return;
        }
        let whose = id.map_or_else(|| "the programme period".to_owned(), |id| format!("`{id}`"));
        let mut d = Diagnostic::new(
            Code::MixedRangeWithoutStart,
            pointer,
            format!(
                "`{tf}` ({whose}) mixes a calendar date with months from the start, but the programme states no `start`, so it is compared with nothing"
            ),
        )
        .with_related("the programme", "/programme")
        .with_help("add the programme's `start` date, or write both ends on the calendar or both in months");
        if let Some(id) = id {
            d = d.with_elements([id]);
        }
        out.push(d);
    });
}

/// PG311: a mixed range (`2016-07-01 to M1`) that ends before it starts once its months
/// are put on the calendar from the programme's start.
pub(super) fn reversed_range(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let Some(start) = ctx.start else { return };
    every_timeframe(ctx, |pointer, tf, id| {
        let day = |p: Point, first: bool| {
            let (a, b) = p.bounds(Some(start))?;
            match if first { a } else { b } {
                Instant::Day(d) => crate::model::Date::from_day_number(d),
                Instant::Month(_) => None,
            }
        };
        for s in tf.segments() {
            if !s.is_reversed(Some(start)) {
                continue;
            }
            let (Some(from), Some(to)) = (day(s.start, true), day(s.end, false)) else {
                continue;
            };
            let whose =
                id.map_or_else(|| "the programme period".to_owned(), |id| format!("`{id}`"));
            let (relative, verb, date) = if s.start.is_relative() {
                (s.start, "starts", from)
            } else {
                (s.end, "ends", to)
            };
            let mut d = Diagnostic::new(
                Code::ReversedRange,
                pointer.clone(),
                format!(
                    "`{tf}` ({whose}) ends before it starts: from the programme start `{start}`, `{relative}` {verb} on `{date}`, so the range runs from `{from}` back to `{to}`"
                ),
            )
            .with_related("the programme's start", "/programme/start")
            .with_help("swap the two ends, or correct the month or the date");
            if let Some(id) = id {
                d = d.with_elements([id]);
            }
            out.push(d);
        }
    });
}
