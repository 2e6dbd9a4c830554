//! Queries: the elements of a programme filtered by kind, year, funding source, priority,
//! status, partner and theme. Filters combine with "and".
//!
//! What each filter means for each kind of element:
//! - `year`: an activity whose timeframe (own or inherited) touches the year; a
//!   deliverable or milestone due in it (or, with no due date, whose activity runs in it);
//!   an indicator whose target date falls in it; a review dated in it. Other kinds have no
//!   time and never match a year.
//! - `funding`: an activity funded by the source (its own list, or its parent's when it
//!   has none); a deliverable or milestone of such an activity.
//! - `priority`: the priority itself, its lines of action, the activities that address it
//!   or one of its lines (or whose parent activity does), and their deliverables and milestones.
//! - `status`: an activity with the status (its own, or its parent's when it has none),
//!   and its deliverables and milestones.
//! - `partner`: an activity led by the partner, naming it, or with effort from it; a
//!   deliverable naming it; a line of action naming it; a network including it.
//! - `theme`: an activity serving the theme (or whose parent does); a focus point naming it.

use petgraph::stable_graph::NodeIndex;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::derive::Derived;
use crate::graph::{EdgeKind, Element, Graph, NodeKind};
use crate::model::Date;
use crate::trace::{UnknownId, find};

/// A query: every field that is set must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Query {
    /// Only elements of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<NodeKind>,
    /// Only elements planned in this calendar year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Only elements funded by this funding source (id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<String>,
    /// Only elements serving this priority (id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// Only elements with this status (`new`, `ongoing`, `modernised`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Only elements involving this partner (id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<String>,
    /// Only elements serving this theme (id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
}

/// One element a query returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct QueryRow {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Its title.
    pub title: String,
    /// The element it nests in (absent at the top level).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Its timeframe as written (an activity's own or inherited; a deliverable's due date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeframe: Option<String>,
    /// The first day of that timeframe, when it is bounded and on the calendar (a
    /// timeframe relative to the programme start needs the programme's `start`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    /// The last day of that timeframe, when it is bounded and on the calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
    /// Its status (activities, deliverables and milestones: the activity's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The funding sources that apply (activities, deliverables and milestones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub funding: Vec<String>,
    /// Its JSON Pointer in the document.
    pub pointer: String,
}

/// A query names something that does not exist or is of the wrong kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// An id that names no element.
    #[error("{0}")]
    Unknown(#[from] UnknownId),
    /// An id of the wrong kind for its filter.
    #[error("`{id}` is {found}, not {expected}")]
    WrongKind {
        /// The id.
        id: String,
        /// What it is.
        found: String,
        /// What the filter takes.
        expected: String,
    },
}

fn resolve(
    g: &Graph<'_>,
    id: &Option<String>,
    kind: NodeKind,
) -> Result<Option<NodeIndex>, QueryError> {
    let Some(id) = id else { return Ok(None) };
    let n = find(g, id)?;
    let found = g.kind_of(n);
    if found != kind {
        return Err(QueryError::WrongKind {
            id: id.clone(),
            found: format!("a {}", found.noun()),
            expected: format!("a {}", kind.noun()),
        });
    }
    Ok(Some(n))
}

/// Runs a query, returning matching elements in document order within each kind.
pub fn query(g: &Graph<'_>, q: &Query) -> Result<Vec<QueryRow>, QueryError> {
    let funding = resolve(g, &q.funding, NodeKind::FundingSource)?;
    let priority = resolve(g, &q.priority, NodeKind::Priority)?;
    let partner = resolve(g, &q.partner, NodeKind::Partner)?;
    let theme = resolve(g, &q.theme, NodeKind::Theme)?;
    let derived = g.derived();
    let start = g.document().programme.start_date();

    // activities serving a theme, directly or through a parent activity
    let theme_of = |a: NodeIndex, t: NodeIndex| -> bool {
        let mut cur = Some(a);
        while let Some(c) = cur.filter(|c| g.kind_of(*c) == NodeKind::Activity) {
            if g.edges_out(c, EdgeKind::Serves).any(|x| x == t) {
                return true;
            }
            cur = g.parent_index(c);
        }
        false
    };

    let kinds: Vec<NodeKind> = match q.kind {
        Some(k) => vec![k],
        None => NodeKind::ALL.to_vec(),
    };
    let mut rows = Vec::new();
    for kind in kinds {
        for &n in g.indices_of_kind(kind) {
            let activity = Derived::activity_of(g, n);
            if let Some(y) = q.year
                && !derived.years(g, n, start).contains(&y)
            {
                continue;
            }
            if let Some(f) = funding {
                let ok = activity.is_some_and(|a| {
                    derived
                        .funding_from(a)
                        .is_some_and(|from| g.edges_out(from, EdgeKind::FundedBy).any(|s| s == f))
                });
                if !ok {
                    continue;
                }
            }
            if let Some(p) = priority {
                let ok = match kind {
                    NodeKind::Priority => n == p,
                    NodeKind::Action => g
                        .ancestors(g.element(n).id(), Some(NodeKind::Priority))
                        .first()
                        .is_some_and(|r| r.index() == p),
                    _ => activity.is_some_and(|a| derived.priorities(a).contains(&p)),
                };
                if !ok {
                    continue;
                }
            }
            if let Some(s) = &q.status {
                let ok = activity
                    .and_then(|a| derived.status(g, a))
                    .is_some_and(|st| st.as_str() == s);
                if !ok {
                    continue;
                }
            }
            if let Some(p) = partner {
                let ok = match kind {
                    NodeKind::Activity => g
                        .edges_out(n, EdgeKind::LedBy)
                        .chain(g.edges_out(n, EdgeKind::PartnersWith))
                        .any(|x| x == p),
                    NodeKind::Deliverable | NodeKind::Action => {
                        g.edges_out(n, EdgeKind::PartnersWith).any(|x| x == p)
                    }
                    NodeKind::Network => g.edges_out(n, EdgeKind::Includes).any(|x| x == p),
                    _ => false,
                };
                if !ok {
                    continue;
                }
            }
            if let Some(t) = theme {
                let ok = match kind {
                    NodeKind::Activity => theme_of(n, t),
                    NodeKind::FocusPoint => g.edges_out(n, EdgeKind::Names).any(|x| x == t),
                    _ => false,
                };
                if !ok {
                    continue;
                }
            }
            rows.push(row(g, derived, n, activity));
        }
    }
    Ok(rows)
}

fn row<'d>(
    g: &Graph<'d>,
    derived: &Derived<'d>,
    n: NodeIndex,
    activity: Option<NodeIndex>,
) -> QueryRow {
    let e = g.element(n);
    let parent = g
        .parent_index(n)
        .filter(|p| g.kind_of(*p) != NodeKind::Programme)
        .map(|p| g.element(p).id().to_owned());
    let timeframe = match e {
        Element::Activity(_) => derived.timeframe(n).map(|(t, _)| t),
        Element::Deliverable(d) => d.due.as_ref(),
        Element::Milestone(m) => m.due.as_ref(),
        Element::Indicator(i) => i.target_date.as_ref(),
        Element::Review(r) => r.date.as_ref(),
        Element::Programme(p) => p.period.as_ref(),
        Element::Partner(p) => p.participation.as_ref(),
        _ => None,
    };
    let (start, end) = timeframe
        .and_then(|t| t.dates(g.document().programme.start_date()))
        .map_or((None, None), |(a, b)| (Some(a), Some(b)));
    QueryRow {
        id: e.id().to_owned(),
        kind: e.kind(),
        title: e.title().to_owned(),
        parent,
        timeframe: timeframe.map(|t| t.text().to_owned()),
        start,
        end,
        status: activity
            .and_then(|a| derived.status(g, a))
            .map(|s| s.as_str().to_owned()),
        funding: activity
            .map(|a| {
                derived
                    .funding(g, a)
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        pointer: g.pointer(n),
    }
}
