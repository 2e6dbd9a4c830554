//! Money: allocations match funding lists and declared amounts, totals add up, one currency.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::Ctx;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use petgraph::stable_graph::NodeIndex;

use crate::graph::{Element, NodeKind};
use crate::model::{Activity, Amount, Budget, Currency, FundingSource};

fn activities<'a, 'd>(
    ctx: &'a Ctx<'_, 'd>,
) -> impl Iterator<Item = (petgraph::stable_graph::NodeIndex, &'d Activity)> + 'a {
    ctx.g
        .indices_of_kind(NodeKind::Activity)
        .iter()
        .filter_map(|&n| match ctx.g.element(n) {
            Element::Activity(a) => Some((n, a)),
            _ => None,
        })
}

fn sources<'a, 'd>(
    ctx: &'a Ctx<'_, 'd>,
) -> impl Iterator<Item = (petgraph::stable_graph::NodeIndex, &'d FundingSource)> + 'a {
    ctx.g
        .indices_of_kind(NodeKind::FundingSource)
        .iter()
        .filter_map(|&n| match ctx.g.element(n) {
            Element::FundingSource(s) => Some((n, s)),
            _ => None,
        })
}

/// PG401: a budget allocation from a source the activity's `funding` does not list.
pub(super) fn undeclared_funding(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (n, a) in activities(ctx) {
        let Some(budget) = &a.budget else { continue };
        for (i, al) in budget.allocations.iter().enumerate() {
            let is_source = ctx
                .g
                .node(al.source.as_str())
                .is_some_and(|r| r.kind() == NodeKind::FundingSource);
            if is_source && !a.funding.contains(&al.source) {
                out.push(
                    Diagnostic::new(
                        Code::UndeclaredFunding,
                        format!("{}/budget/allocations/{i}/source", ctx.pointer(n)),
                        format!(
                            "`{}` allocates money from `{}`, which its `funding` does not list",
                            a.id, al.source
                        ),
                    )
                    .with_elements([a.id.as_str(), al.source.as_str()])
                    .with_help(format!(
                        "add `{}` to `funding`, or allocate from a listed source",
                        al.source
                    )),
                );
            }
        }
    }
}

/// PG402: a sub-activity funded by a source the nearest funded ancestor does not list.
pub(super) fn funding_not_in_parent(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (n, a) in activities(ctx) {
        if a.funding.is_empty() {
            continue;
        }
        let mut ancestor = ctx.g.parent_index(n);
        let funded = loop {
            match ancestor.map(|p| (p, ctx.g.element(p))) {
                Some((p, Element::Activity(pa))) if !pa.funding.is_empty() => break Some((p, pa)),
                Some((p, Element::Activity(_))) => ancestor = ctx.g.parent_index(p),
                _ => break None,
            }
        };
        let Some((p, pa)) = funded else { continue };
        for (i, f) in a.funding.iter().enumerate() {
            if !pa.funding.contains(f) {
                out.push(
                    Diagnostic::new(
                        Code::FundingNotInParent,
                        format!("{}/funding/{i}", ctx.pointer(n)),
                        format!(
                            "`{}` is funded by `{f}`, which its parent `{}` does not list",
                            a.id, pa.id
                        ),
                    )
                    .with_elements([a.id.as_str(), pa.id.as_str()])
                    .with_related(
                        format!("`{}` lists its funding here", pa.id),
                        format!("{}/funding", ctx.pointer(p)),
                    )
                    .with_help(format!(
                        "add `{f}` to the funding of `{}`, or correct the sub-activity",
                        pa.id
                    )),
                );
            }
        }
    }
}

/// PG403: a negative amount of money or effort.
pub(super) fn negative_amount(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    // the pointer and the subject are written only for a negative amount
    let mut flag =
        |pointer: &dyn Fn() -> String, id: &str, subject: &dyn Fn() -> String, amount: Amount| {
            if amount.is_negative() {
                out.push(
                    Diagnostic::new(
                        Code::NegativeAmount,
                        pointer(),
                        format!("{} is negative (`{amount}`)", subject()),
                    )
                    .with_elements([id])
                    .with_help("amounts and effort are zero or more"),
                );
            }
        };
    for (n, a) in activities(ctx) {
        let p = || ctx.pointer(n);
        if let Some(b) = &a.budget {
            if let Some(t) = b.total {
                flag(
                    &|| format!("{}/budget/total", p()),
                    a.id.as_str(),
                    &|| format!("the budget total of `{}`", a.id),
                    t,
                );
            }
            for (i, al) in b.allocations.iter().enumerate() {
                flag(
                    &|| format!("{}/budget/allocations/{i}/amount", p()),
                    a.id.as_str(),
                    &|| format!("the allocation of `{}` from `{}`", a.id, al.source),
                    al.amount,
                );
            }
        }
        if let Some(pm) = a.person_months {
            flag(
                &|| format!("{}/person_months", p()),
                a.id.as_str(),
                &|| format!("the person-months planned for `{}`", a.id),
                pm,
            );
        }
        for (i, e) in a.effort.iter().enumerate() {
            flag(
                &|| format!("{}/effort/{i}/person_months", p()),
                a.id.as_str(),
                &|| format!("the effort of `{}` on `{}`", e.partner, a.id),
                e.person_months,
            );
        }
    }
    for (n, s) in sources(ctx) {
        let p = || ctx.pointer(n);
        if let Some(t) = s.total {
            flag(
                &|| format!("{}/total", p()),
                s.id.as_str(),
                &|| format!("the total of `{}`", s.id),
                t,
            );
        }
        for (i, d) in s.declared.iter().enumerate() {
            flag(
                &|| format!("{}/declared/{i}/amount", p()),
                s.id.as_str(),
                &|| format!("an amount `{}` declares", s.id),
                d.amount,
            );
        }
    }
    for &n in ctx.g.indices_of_kind(NodeKind::Partner) {
        if let Element::Partner(pt) = ctx.g.element(n)
            && let Some(pm) = pt.person_months
        {
            flag(
                &|| format!("{}/person_months", ctx.pointer(n)),
                pt.id.as_str(),
                &|| format!("the person-months stated for `{}`", pt.id),
                pm,
            );
        }
    }
}

fn currency_of<'a>(ctx: &'a Ctx<'_, '_>, own: Option<&'a Currency>) -> Option<&'a Currency> {
    own.or(ctx.doc.programme.currency.as_ref())
}

/// An allocation: its activity and its position in the budget.
type Place = (NodeIndex, usize);

/// How many allocations a finding of PG404 points to.
const RELATED_PLACES: usize = 3;

/// A sum formed exactly, or the place of the part at which it left the range of an exact
/// decimal (PG407 reports it; the checks that need the sum skip it).
type Sum<P> = Result<Decimal, P>;

/// Adds `v` to `sum` unless it overflowed already; `at` names the part that overflows it.
fn add<P>(sum: &mut Sum<P>, v: Decimal, at: impl FnOnce() -> P) {
    if let Ok(s) = sum {
        match s.checked_add(v) {
            Some(t) => *s = t,
            None => *sum = Err(at()),
        }
    }
}

/// (source, year) -> sum allocated, with the first few allocations (activity, position).
type ByYear<'d> = BTreeMap<(&'d str, i32), (Sum<Place>, Vec<Place>)>;

/// The allocations from each source, in the source's currency only (others are PG406).
struct Allocated<'d> {
    /// (source, year) -> sum allocated, with the first few allocations (activity,
    /// position), for related locations.
    by_year: ByYear<'d>,
    /// source -> sum allocated over all years.
    overall: BTreeMap<&'d str, Sum<Place>>,
}

fn allocated<'d>(ctx: &Ctx<'_, 'd>) -> Allocated<'d> {
    let mut by_year: ByYear<'d> = BTreeMap::new();
    let mut overall: BTreeMap<&'d str, Sum<Place>> = BTreeMap::new();
    let source_currency: BTreeMap<&str, Option<&Currency>> = sources(ctx)
        .map(|(_, s)| (s.id.as_str(), currency_of(ctx, s.currency.as_ref())))
        .collect();
    for (n, a) in activities(ctx) {
        let Some(b) = &a.budget else { continue };
        let budget_currency = currency_of(ctx, b.currency.as_ref());
        for (i, al) in b.allocations.iter().enumerate() {
            let Some(sc) = source_currency.get(al.source.as_str()) else {
                continue;
            };
            if *sc != budget_currency {
                continue;
            }
            let v = al.amount.value();
            add(
                overall
                    .entry(al.source.as_str())
                    .or_insert(Ok(Decimal::ZERO)),
                v,
                || (n, i),
            );
            if let Some(y) = al.year {
                let entry = by_year
                    .entry((al.source.as_str(), y))
                    .or_insert((Ok(Decimal::ZERO), Vec::new()));
                add(&mut entry.0, v, || (n, i));
                if entry.1.len() < RELATED_PLACES {
                    entry.1.push((n, i));
                }
            }
        }
    }
    Allocated { by_year, overall }
}

/// What a source declares per year (entries for the same year added, with the position
/// of the first), and in all; a sum that overflows names the entry that overflows it.
struct Declared {
    by_year: BTreeMap<i32, (Sum<usize>, usize)>,
    overall: Sum<usize>,
}

fn declared(s: &FundingSource) -> Declared {
    let mut by_year: BTreeMap<i32, (Sum<usize>, usize)> = BTreeMap::new();
    let mut overall = Ok(Decimal::ZERO);
    for (i, d) in s.declared.iter().enumerate() {
        add(&mut overall, d.amount.value(), || i);
        if let Some(y) = d.year {
            let e = by_year.entry(y).or_insert((Ok(Decimal::ZERO), i));
            add(&mut e.0, d.amount.value(), || i);
        }
    }
    Declared { by_year, overall }
}

/// PG404: allocations of a source in a year (or in all) above what the source declares.
pub(super) fn allocation_exceeds_declared(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let Allocated { by_year, overall } = allocated(ctx);
    for (n, s) in sources(ctx) {
        let p = ctx.pointer(n);
        let declared = declared(s).by_year;
        let declares_years = !declared.is_empty();
        for (&(source, year), (allocated, places)) in
            by_year.range((s.id.as_str(), i32::MIN)..=(s.id.as_str(), i32::MAX))
        {
            debug_assert_eq!(source, s.id.as_str());
            match declared.get(&year) {
                // a sum that overflowed is PG407's, not compared
                Some((Ok(amount), first))
                    if *amount >= Decimal::ZERO
                        && allocated.as_ref().is_ok_and(|a| a > amount) =>
                {
                    out.push(
                        Diagnostic::new(
                            Code::AllocationExceedsDeclared,
                            format!("{p}/declared/{first}/amount"),
                            format!(
                                "activities allocate `{}` from `{}` in {year}, more than the `{}` it declares",
                                allocated.as_ref().map(|a| a.normalize()).unwrap_or_default(),
                                s.id,
                                amount.normalize()
                            ),
                        )
                        .with_elements([s.id.as_str()])
                        .with_help("reduce the allocations, or correct the declared amount"),
                    )
                }
                None if declares_years => {
                    let message = match allocated {
                        Ok(a) => format!(
                            "activities allocate `{}` from `{}` in {year}, a year it declares nothing for",
                            a.normalize(),
                            s.id
                        ),
                        Err(_) => format!(
                            "activities allocate from `{}` in {year}, a year it declares nothing for",
                            s.id
                        ),
                    };
                    let mut d =
                        Diagnostic::new(Code::AllocationExceedsDeclared, format!("{p}/declared"), message)
                            .with_elements([s.id.as_str()])
                            .with_help("declare the source's amount for that year, or move the allocations");
                    for &(n, i) in places.iter().take(RELATED_PLACES) {
                        d = d.with_related(
                            "allocated here",
                            format!("{}/budget/allocations/{i}", ctx.pointer(n)),
                        );
                    }
                    out.push(d);
                }
                _ => {}
            }
        }
        if let Some(total) = s.total
            && !total.is_negative()
        {
            let allocated = overall
                .get(s.id.as_str())
                .cloned()
                .unwrap_or(Ok(Decimal::ZERO));
            if let Ok(allocated) = allocated
                && allocated > total.value()
            {
                out.push(
                    Diagnostic::new(
                        Code::AllocationExceedsDeclared,
                        format!("{p}/total"),
                        format!(
                            "activities allocate `{}` from `{}`, more than its total `{total}`",
                            allocated.normalize(),
                            s.id
                        ),
                    )
                    .with_elements([s.id.as_str()])
                    .with_help("reduce the allocations, or correct the total"),
                );
            }
        }
    }
}

/// The sum of a budget's allocations, or the position of the one that overflows it.
fn budget_sum(b: &Budget) -> Sum<usize> {
    let mut sum = Ok(Decimal::ZERO);
    for (i, al) in b.allocations.iter().enumerate() {
        add(&mut sum, al.amount.value(), || i);
    }
    sum
}

/// Each partner's effort summed over activities, or the effort entry (activity,
/// position) that overflows it. Keyed by the partner an effort names, resolved (a former
/// id in `also_known_as` counts for the partner that names it), else by the id as
/// written: a randomly seeded hash, so that ids cannot be chosen to collide.
fn effort<'d>(ctx: &Ctx<'_, 'd>) -> foldhash::HashMap<&'d str, Sum<Place>> {
    let mut effort: foldhash::HashMap<&'d str, Sum<Place>> = Default::default();
    for (n, a) in activities(ctx) {
        for (i, e) in a.effort.iter().enumerate() {
            let partner = match ctx.g.node(e.partner.as_str()).map(|p| p.element()) {
                Some(Element::Partner(p)) => p.id.as_str(),
                _ => e.partner.as_str(),
            };
            add(
                effort.entry(partner).or_insert(Ok(Decimal::ZERO)),
                e.person_months.value(),
                || (n, i),
            );
        }
    }
    effort
}

/// PG405: a stated total that differs from the sum of its parts.
pub(super) fn total_mismatch(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let mut mismatch = |pointer: &dyn Fn() -> String,
                        id: &str,
                        what: &str,
                        total: Amount,
                        sum: Decimal,
                        parts: &str| {
        if total.value() != sum {
            out.push(
                Diagnostic::new(
                    Code::TotalMismatch,
                    pointer(),
                    if what == "person-months" {
                        format!(
                            "`{id}` states `{total}` person-months, but its {parts} add up to `{}`",
                            sum.normalize()
                        )
                    } else {
                        format!(
                            "{what} of `{id}` is `{total}`, but its {parts} add up to `{}`",
                            sum.normalize()
                        )
                    },
                )
                .with_elements([id])
                .with_help("correct the total or one of its parts"),
            );
        }
    };
    for (n, a) in activities(ctx) {
        if let Some(b) = &a.budget
            && let Some(total) = b.total
            && !b.allocations.is_empty()
        {
            // a sum that overflows is PG407's
            let Ok(sum) = budget_sum(b) else { continue };
            mismatch(
                &|| format!("{}/budget/total", ctx.pointer(n)),
                a.id.as_str(),
                "the budget total",
                total,
                sum,
                "allocations",
            );
        }
    }
    for (n, s) in sources(ctx) {
        if let Some(total) = s.total
            && !s.declared.is_empty()
        {
            let Ok(sum) = declared(s).overall else {
                continue;
            };
            mismatch(
                &|| format!("{}/total", ctx.pointer(n)),
                s.id.as_str(),
                "the total",
                total,
                sum,
                "declared amounts",
            );
        }
    }
    let effort = effort(ctx);
    let linked = linked_third_parties(ctx);
    for &n in ctx.g.indices_of_kind(NodeKind::Partner) {
        let Element::Partner(pt) = ctx.g.element(n) else {
            continue;
        };
        let Some(pm) = pt.person_months else { continue };
        let thirds = linked.get(pt.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let mut sum = Some(Decimal::ZERO);
        let mut any = false;
        for id in std::iter::once(pt.id.as_str()).chain(thirds.iter().copied()) {
            match effort.get(id) {
                Some(Ok(v)) => {
                    any = true;
                    sum = sum.and_then(|s| s.checked_add(*v));
                }
                // a sum that overflows is PG407's
                Some(Err(_)) => sum = None,
                None => {}
            }
        }
        let (true, Some(sum)) = (any, sum) else {
            continue;
        };
        let parts = if thirds.is_empty() {
            "efforts on activities".to_owned()
        } else {
            let names: Vec<String> = thirds.iter().map(|t| format!("`{t}`")).collect();
            format!(
                "efforts on activities, with those of its linked third {} {},",
                if thirds.len() == 1 {
                    "party"
                } else {
                    "parties"
                },
                names.join(", ")
            )
        };
        mismatch(
            &|| format!("{}/person_months", ctx.pointer(n)),
            pt.id.as_str(),
            "person-months",
            pm,
            sum,
            &parts,
        );
    }
}

/// The linked third parties of each partner (`linked_to`), whose effort counts toward
/// the partner's share: principal id to the ids of its linked third parties.
fn linked_third_parties<'d>(ctx: &Ctx<'_, 'd>) -> foldhash::HashMap<&'d str, Vec<&'d str>> {
    let mut linked: foldhash::HashMap<&str, Vec<&str>> = Default::default();
    for &n in ctx.g.indices_of_kind(NodeKind::Partner) {
        if let Element::Partner(pt) = ctx.g.element(n)
            && let Some(to) = &pt.linked_to
            && let Some(Element::Partner(principal)) = ctx.g.node(to.as_str()).map(|p| p.element())
            && principal.id != pt.id
        {
            linked
                .entry(principal.id.as_str())
                .or_default()
                .push(pt.id.as_str());
        }
    }
    linked
}

/// PG406: an allocation whose budget currency differs from its source's.
pub(super) fn mixed_currencies(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let source_currency: BTreeMap<&str, Option<&Currency>> = sources(ctx)
        .map(|(_, s)| (s.id.as_str(), currency_of(ctx, s.currency.as_ref())))
        .collect();
    for (n, a) in activities(ctx) {
        let Some(b) = &a.budget else { continue };
        let budget_currency = currency_of(ctx, b.currency.as_ref());
        for (i, al) in b.allocations.iter().enumerate() {
            let Some(sc) = source_currency.get(al.source.as_str()) else {
                continue;
            };
            if let (Some(bc), Some(sc)) = (budget_currency, sc)
                && bc != *sc
            {
                out.push(
                    Diagnostic::new(
                        Code::MixedCurrencies,
                        format!("{}/budget/allocations/{i}", ctx.pointer(n)),
                        format!(
                            "`{}` budgets in `{bc}`, but its source `{}` is in `{sc}`",
                            a.id, al.source
                        ),
                    )
                    .with_elements([a.id.as_str(), al.source.as_str()])
                    .with_help(
                        "state both in one currency; sums across currencies are meaningless",
                    ),
                );
            }
        }
    }
}

/// How many partners a PG408 message names.
const NAMED_PARTNERS: usize = 8;

/// PG408: an activity's planned person-months differ from the partner effort stated on it
/// and its sub-activities.
pub(super) fn person_months_mismatch(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let acts = ctx.g.indices_of_kind(NodeKind::Activity);
    if !activities(ctx).any(|(_, a)| a.person_months.is_some()) {
        return;
    }
    // per node: the effort in its subtree, and whether any is stated (None on overflow);
    // children come after their parents in index order, so one backward pass
    let bound = ctx.g.index_bound();
    let mut sum: Vec<Option<Decimal>> = vec![Some(Decimal::ZERO); bound];
    let mut stated = vec![false; bound];
    for &n in acts.iter().rev() {
        let Element::Activity(a) = ctx.g.element(n) else {
            continue;
        };
        let mut total = Some(Decimal::ZERO);
        let mut any = !a.effort.is_empty();
        for e in &a.effort {
            total = total.and_then(|t| t.checked_add(e.person_months.value()));
        }
        for c in ctx.g.hierarchy_children(n) {
            if ctx.g.kind_of(c) == NodeKind::Activity {
                total = total.and_then(|t| sum[c.index()].and_then(|s| t.checked_add(s)));
                any |= stated[c.index()];
            }
        }
        sum[n.index()] = total;
        stated[n.index()] = any;
    }
    for (n, a) in activities(ctx) {
        let Some(planned) = a.person_months else {
            continue;
        };
        let Some(total) = sum[n.index()] else {
            continue;
        };
        if !stated[n.index()] || planned.value() == total {
            continue;
        }
        // the partners' shares, only for what is reported
        let mut shares: Vec<(&str, Decimal)> = Vec::new();
        let within =
            std::iter::once(n).chain(ctx.g.of_kind_within(n, NodeKind::Activity).iter().copied());
        for m in within {
            if let Element::Activity(s) = ctx.g.element(m) {
                for e in &s.effort {
                    // by the partner it names: effort stated under a former id
                    // (`also_known_as`) is that partner's share
                    let partner = ctx
                        .g
                        .node(e.partner.as_str())
                        .map_or(e.partner.as_str(), |p| ctx.id(p.index()));
                    match shares.iter_mut().find(|(p, _)| *p == partner) {
                        Some((_, v)) => *v = v.checked_add(e.person_months.value()).unwrap_or(*v),
                        None => shares.push((partner, e.person_months.value())),
                    }
                }
            }
        }
        let mut named: Vec<String> = shares
            .iter()
            .take(NAMED_PARTNERS)
            .map(|(p, v)| format!("`{p}` {}", v.normalize()))
            .collect();
        if shares.len() > NAMED_PARTNERS {
            named.push(format!("and {} more", shares.len() - NAMED_PARTNERS));
        }
        out.push(
            Diagnostic::new(
                Code::PersonMonthsMismatch,
                format!("{}/person_months", ctx.pointer(n)),
                format!(
                    "`{}` plans `{planned}` person-months, but the effort of its partners adds up to `{}` ({})",
                    a.id,
                    total.normalize(),
                    named.join(", ")
                ),
            )
            .with_elements([a.id.as_str()])
            .with_help("correct the planned total or the partners' effort"),
        );
    }
}

/// PG407: a sum the checks or the coverage need that an exact decimal cannot hold.
pub(super) fn amount_overflow(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let help = || {
        format!(
            "exact decimals hold at most `{}`: correct the amount, or state the amounts in a larger unit",
            Decimal::MAX
        )
    };
    let allocation = |(n, i): Place| format!("{}/budget/allocations/{i}/amount", ctx.pointer(n));
    // the allocations from a source: in all, else in the first year that overflows
    let Allocated { by_year, overall } = allocated(ctx);
    for (n, s) in sources(ctx) {
        let id = s.id.as_str();
        let first_year = || {
            by_year
                .range((id, i32::MIN)..=(id, i32::MAX))
                .find_map(|(&(_, y), (sum, _))| sum.as_ref().err().map(|&at| (Some(y), at)))
        };
        let overflow = match overall.get(id) {
            Some(Err(at)) => Some((None, *at)),
            _ => first_year(),
        };
        if let Some((year, at)) = overflow {
            let when = year.map(|y| format!(" in {y}")).unwrap_or_default();
            out.push(
                Diagnostic::new(
                    Code::AmountOverflow,
                    allocation(at),
                    format!("the allocations from `{id}`{when} add up to more than an exact decimal holds"),
                )
                .with_elements([id])
                .with_help(help()),
            );
        }
        // what it declares: in a year, else in all when it states a total to compare with
        let declared = declared(s);
        let overflow = declared
            .by_year
            .iter()
            .find_map(|(&y, (sum, _))| sum.as_ref().err().map(|&at| (Some(y), at)))
            .or(match declared.overall {
                Err(at) if s.total.is_some() => Some((None, at)),
                _ => None,
            });
        if let Some((year, at)) = overflow {
            let when = year.map(|y| format!(" for {y}")).unwrap_or_default();
            out.push(
                Diagnostic::new(
                    Code::AmountOverflow,
                    format!("{}/declared/{at}/amount", ctx.pointer(n)),
                    format!("the amounts `{id}` declares{when} add up to more than an exact decimal holds"),
                )
                .with_elements([id])
                .with_help(help()),
            );
        }
    }
    // an activity's allocations, when it states a total to compare them with
    for (n, a) in activities(ctx) {
        if let Some(b) = &a.budget
            && b.total.is_some()
            && let Err(i) = budget_sum(b)
        {
            out.push(
                Diagnostic::new(
                    Code::AmountOverflow,
                    allocation((n, i)),
                    format!(
                        "the allocations of `{}` add up to more than an exact decimal holds",
                        a.id
                    ),
                )
                .with_elements([a.id.as_str()])
                .with_help(help()),
            );
        }
    }
    // a partner's effort, when it states person-months to compare it with
    let effort = effort(ctx);
    for &n in ctx.g.indices_of_kind(NodeKind::Partner) {
        if let Element::Partner(pt) = ctx.g.element(n)
            && pt.person_months.is_some()
            && let Some(Err((a, i))) = effort.get(pt.id.as_str())
        {
            out.push(
                Diagnostic::new(
                    Code::AmountOverflow,
                    format!("{}/effort/{i}/person_months", ctx.pointer(*a)),
                    format!(
                        "the effort of `{}` on activities adds up to more than an exact decimal holds",
                        pt.id
                    ),
                )
                .with_elements([pt.id.as_str()])
                .with_help(help()),
            );
        }
    }
    // a partner's share with its linked third parties', when each sum holds but their
    // total does not
    let linked = linked_third_parties(ctx);
    for &n in ctx.g.indices_of_kind(NodeKind::Partner) {
        let Element::Partner(pt) = ctx.g.element(n) else {
            continue;
        };
        let Some(thirds) = linked.get(pt.id.as_str()) else {
            continue;
        };
        if pt.person_months.is_none() {
            continue;
        }
        let mut sum = Some(Decimal::ZERO);
        for id in std::iter::once(pt.id.as_str()).chain(thirds.iter().copied()) {
            match effort.get(id) {
                Some(Ok(v)) => sum = sum.and_then(|s| s.checked_add(*v)),
                // reported above, for the partner whose own sum overflows
                Some(Err(_)) => {
                    sum = Some(Decimal::ZERO);
                    break;
                }
                None => {}
            }
        }
        if sum.is_none() {
            let names: Vec<String> = thirds.iter().map(|t| format!("`{t}`")).collect();
            out.push(
                Diagnostic::new(
                    Code::AmountOverflow,
                    format!("{}/person_months", ctx.pointer(n)),
                    format!(
                        "the effort of `{}` on activities, with that of its linked third {} {}, adds up to more than an exact decimal holds",
                        pt.id,
                        if thirds.len() == 1 { "party" } else { "parties" },
                        names.join(", ")
                    ),
                )
                .with_elements(std::iter::once(pt.id.as_str()).chain(thirds.iter().copied()))
                .with_help(help()),
            );
        }
    }
    // an indicator's planned quantity
    for (n, d) in crate::coverage::planned_overflows(ctx.g, ctx.derived) {
        if let Element::Indicator(ind) = ctx.g.element(n) {
            out.push(
                Diagnostic::new(
                    Code::AmountOverflow,
                    format!("{}/quantity", ctx.pointer(d)),
                    format!(
                        "the quantities planned toward indicator `{}` add up to more than an exact decimal holds",
                        ind.id
                    ),
                )
                .with_elements([ind.id.as_str(), ctx.id(d)])
                .with_help(help()),
            );
        }
    }
}
