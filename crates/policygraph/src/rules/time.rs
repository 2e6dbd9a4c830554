//! Time: timeframes inside the period and inside their parents, deliverables due while
//! their activity runs, every activity scheduled, dependencies in order.

use petgraph::stable_graph::NodeIndex;

use super::Ctx;
use super::structure::cycles;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::graph::{EdgeKind, Element, NodeKind};
use crate::model::Timeframe;

/// Whether every interval of `tf` lies within one of the intervals of `outer` (so a
/// topic in 2024 is outside an activity that runs "2023 and 2025"); `None` when they
/// cannot be compared.
pub(super) fn inside(ctx: &Ctx<'_, '_>, tf: &Timeframe, outer: &Timeframe) -> Option<bool> {
    let mut any = false;
    let mut all = true;
    for i in tf.intervals(ctx.start) {
        any = true;
        let mut fits = false;
        let mut comparable = false;
        for o in outer.intervals(ctx.start) {
            if let Some(w) = i.within(&o) {
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
        if !outside_period(ctx, tf) {
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
                    " and the timeframe `{parent_tf}` {}",
                    whose(ctx, n, p, source)
                )
            }
            None => String::new(),
        };
        let mut d = Diagnostic::new(
            Code::TimeframeOutsidePeriod,
            format!("{}/{field}", ctx.pointer(n)),
            format!(
                "{what} `{id}` {verb} `{tf}`, outside the programme period `{period_text}`{also}"
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
        out.push(d);
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
                format!("{}/timeframe", ctx.pointer(n)),
                format!(
                    "`{id}` runs `{tf}`, outside the timeframe `{parent_tf}` {}",
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
    }
}

/// PG303: a deliverable or milestone due outside its activity's timeframe. A milestone
/// due outside the period too is PG301's (one finding naming both); a deliverable, which
/// PG301 does not check, is reported here with the period named as well.
pub(super) fn due_outside_activity(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for kind in [NodeKind::Deliverable, NodeKind::Milestone] {
        for &n in ctx.g.indices_of_kind(kind) {
            let due = match ctx.g.element(n) {
                Element::Deliverable(d) => d.due.as_ref(),
                Element::Milestone(m) => m.due.as_ref(),
                _ => None,
            };
            let Some(due) = due else { continue };
            let beyond_period = outside_period(ctx, due);
            if kind == NodeKind::Milestone && ctx.period_rule && beyond_period {
                // PG301 reports it, naming the activity's timeframe too
                continue;
            }
            let Some((activity, tf, source)) = outside_parent(ctx, n, due) else {
                continue;
            };
            let id = ctx.id(n);
            let period = if beyond_period {
                format!(" and the programme period `{}`", period_text(ctx))
            } else {
                String::new()
            };
            let mut d = Diagnostic::new(
                Code::DueOutsideActivity,
                format!("{}/due", ctx.pointer(n)),
                format!(
                    "{} `{id}` is due `{due}`, outside the timeframe `{tf}` {}{period}",
                    kind.noun(),
                    whose(ctx, n, activity, source)
                ),
            )
            .with_elements([id, ctx.id(activity)])
            .with_related(
                format!("`{}` runs `{tf}`", ctx.id(source)),
                format!("{}/timeframe", ctx.pointer(source)),
            );
            if beyond_period {
                d = d.with_related("the programme period", "/programme/period");
            }
            out.push(d.with_help(
                "move the due date into the activity's timeframe, or extend the activity",
            ));
        }
    }
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
            out.push(
                Diagnostic::new(
                    Code::TargetDateOutsidePeriod,
                    format!("{}/target_date", ctx.pointer(n)),
                    format!("indicator `{}` has its target date `{tf}` outside the programme period `{period_text}`", ind.id),
                )
                .with_elements([ind.id.as_str()])
                .with_related("the programme period", "/programme/period")
                .with_help("set a target date within the period"),
            );
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
        let id = ctx.id(n);
        let mut unscheduled: Vec<&str> = Vec::new();
        let mut stack: Vec<NodeIndex> = ctx.g.hierarchy_children(n).collect();
        while let Some(c) = stack.pop() {
            if let Element::Activity(a) = ctx.g.element(c)
                && a.timeframe.is_none()
                && !ctx.derived.timeframe_from_children(c)
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

/// PG306: an activity that starts before an activity it depends on ends.
pub(super) fn dependency_starts_early(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for &n in ctx.g.indices_of_kind(NodeKind::Activity) {
        let Element::Activity(a) = ctx.g.element(n) else {
            continue;
        };
        if a.depends_on.is_empty() {
            continue;
        }
        let Some(span) = ctx.span_of(n) else { continue };
        for (i, dep_id) in a.depends_on.iter().enumerate() {
            let Some(dep) = ctx.g.node(dep_id.as_str()).map(|r| r.index()) else {
                continue;
            };
            if ctx.g.kind_of(dep) != NodeKind::Activity || dep == n {
                continue;
            }
            let Some(dep_span) = ctx.span_of(dep) else {
                continue;
            };
            // only a known start and a known end compare (a deadline's start and open-ended
            // work's end are unknown)
            let comparable = span.start_known
                && dep_span.end_known
                && std::mem::discriminant(&span.start) == std::mem::discriminant(&dep_span.end);
            if comparable && span.start <= dep_span.end {
                let (Some((tf, _)), Some((dep_tf, dep_source))) =
                    (ctx.timeframe_of(n), ctx.timeframe_of(dep))
                else {
                    continue;
                };
                let starts = tf.span_points(ctx.start).map(|(a, _)| a);
                let ends = dep_tf.span_points(ctx.start).map(|(_, b)| b);
                let (Some(starts), Some(ends)) = (starts, ends) else {
                    continue;
                };
                out.push(
                    Diagnostic::new(
                        Code::DependencyStartsEarly,
                        format!("{}/depends_on/{i}", ctx.pointer(n)),
                        format!("`{}` starts `{starts}` before `{dep_id}`, which it depends on, ends `{ends}`", a.id),
                    )
                    .with_elements([a.id.as_str(), dep_id.as_str()])
                    .with_related(
                        format!("`{dep_id}` ends `{ends}`"),
                        format!("{}/timeframe", ctx.pointer(dep_source)),
                    )
                    .with_help("start it after the activity it depends on, or drop the dependency"),
                );
            }
        }
    }
}

/// PG307: activities that depend on each other in a circle.
pub(super) fn dependency_cycle(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for cycle in cycles(
        ctx.g,
        ctx.g.indices_of_kind(NodeKind::Activity),
        EdgeKind::DependsOn,
    ) {
        let ids: Vec<&str> = cycle.iter().map(|&n| ctx.id(n)).collect();
        let chain = super::id_list(&ids, ", ");
        let message = if cycle.len() == 1 {
            format!("activity {chain} depends on itself, so it can never start")
        } else {
            format!("activities {chain} depend on each other in a circle, so none can start")
        };
        let mut d = Diagnostic::new(
            Code::DependencyCycle,
            format!("{}/depends_on", ctx.pointer(cycle[0])),
            message,
        )
        .with_elements(ids.iter().copied())
        .with_help("remove one of the `depends_on` links");
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
