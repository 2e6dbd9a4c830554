//! Semantic diff: what changed between two versions of a programme, element by element
//! (matched by id), field by field, link by link, and in coverage.
//!
//! Two versions that differ only in formatting, key order or file format are equal:
//! `diff(old, new).is_empty()` holds exactly when the two [`Document`]s are equal. Every
//! difference shows up as an added, removed, renamed, moved or reordered element, or as
//! a changed field; links, deliverables per activity and coverage are finer views of
//! those same changes. Everything is ordered as the new version orders its elements,
//! then what only the old version has, in its order.
//!
//! The elements, their parents and lists and their links are taken from the two graphs
//! (their nodes in document order, and the one walk of reference fields,
//! `graph::references`), not from a walk of the documents of its own.

use std::collections::{HashMap, HashSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::coverage::{Coverage, TargetStatus, coverage};
use crate::graph::{EdgeKind, Element, Graph, NodeKind};
use crate::model::{Amount, Document};

/// What changed between two versions of a programme.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Diff {
    /// How many changes of each sort.
    pub summary: DiffSummary,
    /// Changes to the programme's own fields (`title`, `period`, …), to `settings` and to
    /// the evaluation's description and notes.
    pub programme: Vec<FieldChange>,
    /// Elements only the new version has.
    pub added: Vec<DiffElement>,
    /// Elements only the old version has.
    pub removed: Vec<DiffElement>,
    /// Elements whose title (an indicator's label) changed.
    pub renamed: Vec<Renamed>,
    /// Elements now nested in another element (or another list).
    pub moved: Vec<Moved>,
    /// Lists whose elements are in another order.
    pub reordered: Vec<Reordered>,
    /// Elements in both versions whose other fields changed.
    pub changed: Vec<ElementChange>,
    /// Links added or removed between elements in both versions (a finer view of the
    /// `links` and `funding` field changes).
    pub links: Vec<LinkChange>,
    /// Per activity, the deliverables now or no longer under it.
    pub deliverables: Vec<DeliverableChanges>,
    /// What the changes do to coverage.
    pub coverage: CoverageChanges,
}

/// How many changes of each sort a diff holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiffSummary {
    /// Programme-level field changes.
    pub programme: usize,
    /// Elements added.
    pub added: usize,
    /// Elements removed.
    pub removed: usize,
    /// Elements renamed.
    pub renamed: usize,
    /// Elements moved.
    pub moved: usize,
    /// Lists reordered.
    pub reordered: usize,
    /// Elements with changed fields.
    pub changed: usize,
    /// Field changes over all changed elements.
    pub fields: usize,
    /// Links added.
    pub links_added: usize,
    /// Links removed.
    pub links_removed: usize,
    /// Coverage changes (lines, priorities, indicators, timeframes).
    pub coverage: usize,
}

/// An element, as a diff names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiffElement {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Its title (an indicator's label).
    pub title: String,
    /// The element it is nested in; absent at the top level of the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// An element whose title changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Renamed {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// The old title.
    pub old: String,
    /// The new title.
    pub new: String,
}

/// Where an element sits: the element it is nested in and the list that holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Place {
    /// The element it is nested in; absent at the top level of the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The list that holds it (`actions`, `activities`, `deliverables`, `evaluation/process`).
    pub list: String,
}

/// An element nested somewhere else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Moved {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Its (new) title.
    pub title: String,
    /// Where it was.
    pub from: Place,
    /// Where it is.
    pub to: Place,
}

/// A list whose elements (those in it in both versions) are in another order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Reordered {
    /// The list.
    pub place: Place,
    /// The ids in the old order.
    pub old: Vec<String>,
    /// The ids in the new order.
    pub new: Vec<String>,
}

/// What a changed field is about.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FieldCategory {
    /// When: `timeframe`, `due`, `recurrence`, `period`, `start`, `participation`, `date`.
    Timeframe,
    /// Targets and planned quantities: `target`, `unit`, `target_date`, `baseline`, `quantity`.
    Target,
    /// Money: `funding`, `budget`, `total`, `declared`, `currency`.
    Funding,
    /// An activity's `status`.
    Status,
    /// References to other elements: `addresses`, `counts_toward`, `measures`, `outputs`,
    /// `depends_on`, `partners`, `lead`, `networks`, `themes`, `contributes_to`, and every
    /// other field that holds ids of elements (`serves`, `also_in`, `linked_to`).
    Links,
    /// Cross-references: `refers_to` (what the text says "see …" about).
    References,
    /// Anything else (descriptions, notes, kinds, effort, settings, …).
    Other,
}

/// One field that changed. Values are the document's own, as JSON; a missing value means
/// the field is absent in that version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FieldChange {
    /// The field, as a path below the element (`timeframe`, `budget/total`).
    pub path: String,
    /// What the field is about.
    pub category: FieldCategory,
    /// The old value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The new value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// An element in both versions whose fields changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ElementChange {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Its (new) title.
    pub title: String,
    /// The fields that changed, in field order.
    pub fields: Vec<FieldChange>,
}

/// Whether something was added or removed.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
}

/// A link (a reference from one element to another) added or removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LinkChange {
    /// Added or removed.
    pub change: Change,
    /// The element holding the reference.
    pub source: String,
    /// Its kind.
    pub source_kind: NodeKind,
    /// The field holding the reference (`addresses`, `counts_toward`).
    pub field: String,
    /// The kind of link.
    pub kind: EdgeKind,
    /// The id referred to.
    pub target: String,
}

/// The deliverables now or no longer under one activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DeliverableChanges {
    /// The activity.
    pub activity: String,
    /// Its title.
    pub title: String,
    /// Deliverables under it now that were not before (added or moved in).
    pub added: Vec<DiffElement>,
    /// Deliverables under it before that are not now (removed or moved out).
    pub removed: Vec<DiffElement>,
}

/// What the changes do to coverage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoverageChanges {
    /// Lines of action whose coverage changed (or that appeared or went, with their coverage).
    pub lines: Vec<LineCoverageChange>,
    /// Priorities whose share of covered lines changed.
    pub priorities: Vec<PriorityShareChange>,
    /// Indicators whose target, planned quantity or status changed.
    pub indicators: Vec<IndicatorChange>,
    /// Activities that gained or lost a timeframe (their own or inherited); an added
    /// activity without one, or a removed one that had none.
    pub timeframes: Vec<TimeframeChange>,
}

/// A line of action whose coverage changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LineCoverageChange {
    /// The line's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The priority it belongs to.
    pub priority: String,
    /// Whether it was covered; absent when the old version has no such line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<bool>,
    /// Whether it is covered; absent when the new version has no such line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<bool>,
    /// The activities that cover it (directly, then through sub-lines) in the version
    /// where it is covered: the new one if covered now, else the old one.
    pub activities: Vec<String>,
}

/// A priority's lines and how many are covered.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Share {
    /// Lines of action, sub-lines included.
    pub lines: usize,
    /// How many are covered.
    pub covered_lines: usize,
    /// `covered_lines / lines`; with no lines, 1 when activities address the priority
    /// directly and 0 when none does.
    pub share: f64,
}

impl Share {
    /// Whether the priority has no lines of action and activities address it directly
    /// (its share is 1 then), as [`crate::coverage::PriorityCoverage::addressed_directly`].
    pub fn addressed_directly(&self) -> bool {
        self.lines == 0 && self.share > 0.0
    }
}

/// A priority whose share of covered lines changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PriorityShareChange {
    /// The priority's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Before; absent when the old version has no such priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Share>,
    /// After; absent when the new version has no such priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Share>,
}

/// An indicator's target and the plan against it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IndicatorPlan {
    /// The target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Amount>,
    /// The planned quantity, when every contributor states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned: Option<Amount>,
    /// The plan against the target.
    pub status: TargetStatus,
}

/// An indicator whose target, plan or status changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IndicatorChange {
    /// The indicator's id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Before; absent when the old version has no such indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<IndicatorPlan>,
    /// After; absent when the new version has no such indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<IndicatorPlan>,
}

/// An activity that gained or lost a timeframe.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TimeframeChange {
    /// The activity's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Whether it had a timeframe (own or inherited); absent when it is new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<bool>,
    /// Whether it has one; absent when it was removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<bool>,
}

impl Diff {
    /// Whether the two versions are the same programme.
    pub fn is_empty(&self) -> bool {
        self.programme.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.moved.is_empty()
            && self.reordered.is_empty()
            && self.changed.is_empty()
            && self.links.is_empty()
            && self.deliverables.is_empty()
            && self.coverage.is_empty()
    }

    fn count(&self) -> DiffSummary {
        let links = |c: Change| self.links.iter().filter(|l| l.change == c).count();
        DiffSummary {
            programme: self.programme.len(),
            added: self.added.len(),
            removed: self.removed.len(),
            renamed: self.renamed.len(),
            moved: self.moved.len(),
            reordered: self.reordered.len(),
            changed: self.changed.len(),
            fields: self.changed.iter().map(|c| c.fields.len()).sum(),
            links_added: links(Change::Added),
            links_removed: links(Change::Removed),
            coverage: self.coverage.len(),
        }
    }
}

impl CoverageChanges {
    /// Whether coverage is unchanged.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many coverage changes there are.
    pub fn len(&self) -> usize {
        self.lines.len() + self.priorities.len() + self.indicators.len() + self.timeframes.len()
    }
}

/// The category of a field of an element of this kind, by its name. A diff also puts in
/// [`FieldCategory::Links`] any other field the changed element holds references in (as
/// the graph walks them), so a new reference field needs no name here.
pub fn category(kind: NodeKind, field: &str) -> FieldCategory {
    use FieldCategory as C;
    match (kind, field) {
        (NodeKind::Indicator, "target" | "unit" | "target_date" | "baseline") => C::Target,
        (NodeKind::Deliverable, "quantity") => C::Target,
        (_, "timeframe" | "due" | "recurrence" | "period" | "start" | "participation" | "date") => {
            C::Timeframe
        }
        (_, "funding" | "budget" | "total" | "declared" | "currency") => C::Funding,
        (NodeKind::Activity, "status") => C::Status,
        (_, "refers_to") => C::References,
        (
            _,
            "addresses" | "counts_toward" | "measures" | "outputs" | "depends_on" | "partners"
            | "lead" | "networks" | "themes" | "contributes_to",
        ) => C::Links,
        _ => C::Other,
    }
}

/// What changed from `old` to `new`.
pub fn diff(old: &Graph<'_>, new: &Graph<'_>) -> Diff {
    let (od, nd) = (old.document(), new.document());
    let size = old.node_count().max(new.node_count());
    let (oe, ne) = crate::parallel::join_from(size, || entries(old), || entries(new));
    let mut d = Diff {
        programme: programme_changes(od, nd),
        ..Diff::default()
    };

    let mut old_index: Index<(&str, usize), usize> = new_index(oe.len());
    old_index.extend(
        oe.iter()
            .enumerate()
            .map(|(i, e)| ((e.id, e.occurrence), i)),
    );
    // new entry → its old counterpart (same id and occurrence, same kind)
    let matched: Vec<Option<usize>> = ne
        .iter()
        .map(|e| {
            old_index
                .get(&(e.id, e.occurrence))
                .copied()
                .filter(|&o| oe[o].kind == e.kind)
        })
        .collect();
    let mut old_matched = vec![false; oe.len()];
    for &o in matched.iter().flatten() {
        old_matched[o] = true;
    }

    let parent_id =
        |entries: &[Entry<'_>], e: &Entry<'_>| e.parent.map(|p| entries[p].id.to_owned());
    let element = |entries: &[Entry<'_>], e: &Entry<'_>| DiffElement {
        id: e.id.to_owned(),
        kind: e.kind,
        title: e.title.to_owned(),
        parent: parent_id(entries, e),
    };

    // places (parent, list) of elements that stay in the same place, in new order
    let mut same_place: Vec<(PlaceKey<'_>, Vec<(usize, usize)>)> = Vec::new();
    let mut place_index: HashMap<PlaceKey<'_>, usize> = HashMap::new();

    for (i, e) in ne.iter().enumerate() {
        let Some(o) = matched[i] else {
            d.added.push(element(&ne, e));
            continue;
        };
        let was = &oe[o];
        if was.title != e.title {
            d.renamed.push(Renamed {
                id: e.id.to_owned(),
                kind: e.kind,
                old: was.title.to_owned(),
                new: e.title.to_owned(),
            });
        }
        let (from, to) = (parent_key(&oe, was), parent_key(&ne, e));
        if from != to || was.list != e.list {
            d.moved.push(Moved {
                id: e.id.to_owned(),
                kind: e.kind,
                title: e.title.to_owned(),
                from: Place {
                    parent: parent_id(&oe, was),
                    list: was.list.to_owned(),
                },
                to: Place {
                    parent: parent_id(&ne, e),
                    list: e.list.to_owned(),
                },
            });
        } else {
            let key = (to, e.list);
            let slot = *place_index.entry(key).or_insert_with(|| {
                same_place.push((key, Vec::new()));
                same_place.len() - 1
            });
            same_place[slot].1.push((o, i));
        }
        let mut fields = Vec::new();
        let same = was.element.equals(&e.element);
        if !same {
            // serialised only when they differ, one pair at a time
            let (old_fields, new_fields) = (fields_of(was.element), fields_of(e.element));
            let mut links = link_fields(was.element);
            links.extend(link_fields(e.element));
            compare_maps("", &old_fields, &new_fields, e.kind, &links, &mut fields);
        }
        if !fields.is_empty() {
            d.changed.push(ElementChange {
                id: e.id.to_owned(),
                kind: e.kind,
                title: e.title.to_owned(),
                fields,
            });
        }
        if !same {
            d.links.extend(link_changes(was, e));
        }
    }
    for (o, e) in oe.iter().enumerate() {
        if !old_matched[o] {
            d.removed.push(element(&oe, e));
        }
    }

    for ((_, list), members) in &same_place {
        let new_order: Vec<usize> = members.iter().map(|&(o, _)| o).collect();
        let mut old_order = new_order.clone();
        old_order.sort_unstable();
        if old_order != new_order {
            let parent = members.first().and_then(|&(_, i)| parent_id(&ne, &ne[i]));
            d.reordered.push(Reordered {
                place: Place {
                    parent,
                    list: (*list).to_owned(),
                },
                old: old_order.iter().map(|&o| oe[o].id.to_owned()).collect(),
                new: new_order.iter().map(|&o| oe[o].id.to_owned()).collect(),
            });
        }
    }

    d.deliverables = deliverable_changes(&oe, &ne, &matched, &old_matched);
    let (old_coverage, new_coverage) =
        crate::parallel::join_from(size, || coverage(old), || coverage(new));
    d.coverage = coverage_changes(
        &old_coverage,
        &new_coverage,
        &oe,
        &ne,
        &matched,
        &old_matched,
    );

    if d.is_empty() && od != nd {
        // every difference has a place above; this keeps the promise if one is missed
        d.programme.push(FieldChange {
            path: String::new(),
            category: FieldCategory::Other,
            old: serde_json::to_value(od).ok(),
            new: serde_json::to_value(nd).ok(),
        });
    }
    d.summary = d.count();
    d
}

/// A list in a document: the id and occurrence of the element holding it, and its name.
type PlaceKey<'d> = (Option<(&'d str, usize)>, &'static str);

/// The id and occurrence of the element an entry is nested in.
fn parent_key<'d>(entries: &[Entry<'d>], e: &Entry<'d>) -> Option<(&'d str, usize)> {
    e.parent.map(|p| (entries[p].id, entries[p].occurrence))
}

/// One element of a document, with its own fields (nested element lists left out).
struct Entry<'d> {
    id: &'d str,
    /// How many elements with the same id come before it (0 unless ids are duplicated).
    occurrence: usize,
    kind: NodeKind,
    title: &'d str,
    /// Index of the entry it is nested in; `None` at the top level.
    parent: Option<usize>,
    /// The list that holds it.
    list: &'static str,
    /// The element itself: its own fields and links are read from it when compared.
    element: Element<'d>,
}

/// An element's own fields as JSON: without its id and title (compared apart) and
/// without the lists of elements nested in it (entries of their own, the lists the graph
/// walks: `Element::nested_lists`).
fn fields_of(element: Element<'_>) -> Map<String, Value> {
    // the programme's id and title are compared as its fields
    let mut drop: Vec<&str> = match element {
        Element::Programme(_) => Vec::new(),
        _ => vec!["id", element.title_field()],
    };
    drop.extend(element.nested_lists().iter().map(|f| f.as_str()));
    own_fields(element.to_json(), &drop)
}

/// The fields of an element as JSON, without the ones a diff treats apart.
fn own_fields(json: serde_json::Result<Value>, drop: &[&str]) -> Map<String, Value> {
    match json {
        Ok(Value::Object(mut m)) => {
            for k in drop {
                m.shift_remove(*k);
            }
            m
        }
        Ok(other) => {
            let mut m = Map::new();
            m.insert("value".to_owned(), other);
            m
        }
        Err(e) => {
            let mut m = Map::new();
            m.insert("error".to_owned(), Value::String(e.to_string()));
            m
        }
    }
}

/// A hash table keyed by document text (ids), with a randomly seeded hash so that ids
/// cannot be written to collide.
type Index<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

fn new_index<K, V>(capacity: usize) -> Index<K, V> {
    HashMap::with_capacity_and_hasher(capacity, foldhash::fast::RandomState::default())
}

/// A link of an element: (field, edge kind, target).
type Link<'d> = (&'static str, EdgeKind, &'d str);

/// An element's links to others, in field order: the references the graph walks
/// (`graph::references`) that a field holds itself (not those nested in a
/// budget allocation or an effort, which are changes of `budget` and `effort`), whether
/// they resolve or not.
fn links_of(element: Element<'_>) -> Vec<Link<'_>> {
    let mut links = Vec::new();
    crate::graph::references(element, |r| {
        if r.is_direct()
            && let Some(kind) = r.edge
        {
            links.push((r.field, kind, r.target.as_str()));
        }
    });
    links
}

/// The fields of an element that hold links ([`links_of`]), each once (not a timeframe
/// or due date anchored to another element: its link changes are reported as links, and
/// the field itself as a change of timing).
fn link_fields(element: Element<'_>) -> Vec<&'static str> {
    let mut fields: Vec<&'static str> = Vec::new();
    for (field, kind, _) in links_of(element) {
        // an anchor sits in a timeframe or due date, which stays a change of timing
        if kind != EdgeKind::AnchoredTo && !fields.contains(&field) {
            fields.push(field);
        }
    }
    fields
}

/// Every element of a graph but the programme, in index order (the order of the
/// document), each with its parent and the list that holds it as the graph has them.
fn entries<'d>(g: &Graph<'d>) -> Vec<Entry<'d>> {
    use petgraph::stable_graph::NodeIndex;
    let root = g.root().index();
    let bound = g.index_bound();
    let mut entries: Vec<Entry<'d>> = Vec::with_capacity(bound.saturating_sub(1));
    let mut seen: Index<&'d str, usize> = new_index(bound);
    // node index → entry index
    let mut entry_of: Vec<Option<usize>> = vec![None; bound];
    for n in (0..bound).map(NodeIndex::new) {
        if n == root {
            continue;
        }
        let element = g.element(n);
        let id = element.id();
        let count = seen.entry(id).or_insert(0);
        let occurrence = *count;
        *count += 1;
        entry_of[n.index()] = Some(entries.len());
        entries.push(Entry {
            id,
            occurrence,
            kind: element.kind(),
            title: element.title(),
            parent: g.parent_index(n).and_then(|p| entry_of[p.index()]),
            list: g.list_of(n).unwrap_or_default(),
            element,
        });
    }
    entries
}

/// The programme's own fields, the evaluation's description and notes, and the settings.
fn programme_fields(doc: &Document) -> Map<String, Value> {
    let mut m = fields_of(Element::Programme(&doc.programme));
    if let Some(ev) = &doc.evaluation {
        m.insert(
            "evaluation".to_owned(),
            Value::Object(own_fields(
                serde_json::to_value(ev),
                &["process", "outcome", "reviews"],
            )),
        );
    }
    if let Some(s) = &doc.settings {
        m.insert(
            "settings".to_owned(),
            serde_json::to_value(s).unwrap_or(Value::Null),
        );
    }
    m
}

fn programme_changes(old: &Document, new: &Document) -> Vec<FieldChange> {
    let mut out = Vec::new();
    compare_maps(
        "",
        &programme_fields(old),
        &programme_fields(new),
        NodeKind::Programme,
        &[],
        &mut out,
    );
    out
}

/// A JSON Pointer token.
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Field by field: objects on both sides are compared key by key, anything else whole.
fn compare_maps(
    prefix: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    kind: NodeKind,
    links: &[&'static str],
    out: &mut Vec<FieldChange>,
) {
    let path = |key: &str| {
        if prefix.is_empty() {
            token(key)
        } else {
            format!("{prefix}/{}", token(key))
        }
    };
    // a field holding links that `category` does not name is about links all the same
    let field = |p: &str| -> FieldCategory {
        let name = p.split('/').next().unwrap_or_default();
        match category(kind, name) {
            FieldCategory::Other if links.contains(&name) => FieldCategory::Links,
            c => c,
        }
    };
    for (key, nv) in new {
        match old.get(key) {
            Some(ov) if ov == nv => {}
            Some(Value::Object(om)) if matches!(nv, Value::Object(_)) => {
                if let Value::Object(nm) = nv {
                    compare_maps(&path(key), om, nm, kind, links, out);
                }
            }
            ov => {
                let p = path(key);
                out.push(FieldChange {
                    category: field(&p),
                    path: p,
                    old: ov.cloned(),
                    new: Some(nv.clone()),
                });
            }
        }
    }
    for (key, ov) in old {
        if !new.contains_key(key) {
            let p = path(key);
            out.push(FieldChange {
                category: field(&p),
                path: p,
                old: Some(ov.clone()),
                new: None,
            });
        }
    }
}

/// Links of an element in both versions: added in new field order, then removed in old.
fn link_changes(old: &Entry<'_>, new: &Entry<'_>) -> Vec<LinkChange> {
    let key = |(f, k, t): &Link<'_>| (*f, *k, t.to_string());
    let (old_links, new_links) = (links_of(old.element), links_of(new.element));
    let before: HashSet<_> = old_links.iter().map(key).collect();
    let after: HashSet<_> = new_links.iter().map(key).collect();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |change, (field, kind, target): (&'static str, EdgeKind, String)| {
        if seen.insert((change, field, kind, target.clone())) {
            out.push(LinkChange {
                change,
                source: new.id.to_owned(),
                source_kind: new.kind,
                field: field.to_owned(),
                kind,
                target,
            });
        }
    };
    for l in &new_links {
        let k = key(l);
        if !before.contains(&k) {
            push(Change::Added, k);
        }
    }
    for l in &old_links {
        let k = key(l);
        if !after.contains(&k) {
            push(Change::Removed, k);
        }
    }
    out
}

fn deliverable_changes(
    oe: &[Entry<'_>],
    ne: &[Entry<'_>],
    matched: &[Option<usize>],
    old_matched: &[bool],
) -> Vec<DeliverableChanges> {
    // activity index → its deliverables' keys
    let under = |entries: &[Entry<'_>]| {
        let mut m: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if e.kind == NodeKind::Deliverable
                && let Some(p) = e.parent
            {
                m.entry(p).or_default().push(i);
            }
        }
        m
    };
    let (old_under, new_under) = (under(oe), under(ne));
    let key = |e: &Entry<'_>| (e.id.to_owned(), e.occurrence);
    let element = |entries: &[Entry<'_>], e: &Entry<'_>| DiffElement {
        id: e.id.to_owned(),
        kind: e.kind,
        title: e.title.to_owned(),
        parent: e.parent.map(|p| entries[p].id.to_owned()),
    };
    let compare = |old_list: &[usize], new_list: &[usize]| {
        let before: HashSet<_> = old_list.iter().map(|&o| key(&oe[o])).collect();
        let after: HashSet<_> = new_list.iter().map(|&n| key(&ne[n])).collect();
        let added: Vec<DiffElement> = new_list
            .iter()
            .filter(|&&n| !before.contains(&key(&ne[n])))
            .map(|&n| element(ne, &ne[n]))
            .collect();
        let removed: Vec<DiffElement> = old_list
            .iter()
            .filter(|&&o| !after.contains(&key(&oe[o])))
            .map(|&o| element(oe, &oe[o]))
            .collect();
        (added, removed)
    };
    let mut out = Vec::new();
    let empty = Vec::new();
    for (i, e) in ne.iter().enumerate() {
        if e.kind != NodeKind::Activity {
            continue;
        }
        let old_list = matched[i].and_then(|o| old_under.get(&o)).unwrap_or(&empty);
        let new_list = new_under.get(&i).unwrap_or(&empty);
        let (added, removed) = compare(old_list, new_list);
        if !added.is_empty() || !removed.is_empty() {
            out.push(DeliverableChanges {
                activity: e.id.to_owned(),
                title: e.title.to_owned(),
                added,
                removed,
            });
        }
    }
    for (o, e) in oe.iter().enumerate() {
        if e.kind != NodeKind::Activity || old_matched[o] {
            continue;
        }
        let (added, removed) = compare(old_under.get(&o).unwrap_or(&empty), &empty);
        if !added.is_empty() || !removed.is_empty() {
            out.push(DeliverableChanges {
                activity: e.id.to_owned(),
                title: e.title.to_owned(),
                added,
                removed,
            });
        }
    }
    out
}

/// Items of two lists matched by id: the new list's order, then the old list's leftovers.
fn pair_by_id<'a, T>(
    old: &'a [T],
    new: &'a [T],
    id: impl Fn(&T) -> &str,
) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let mut by_id: HashMap<&str, &T> = HashMap::new();
    for o in old {
        by_id.entry(id(o)).or_insert(o);
    }
    let new_ids: HashSet<&str> = new.iter().map(&id).collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for n in new {
        if seen.insert(id(n)) {
            out.push((by_id.get(id(n)).copied(), Some(n)));
        }
    }
    for o in old {
        if !new_ids.contains(id(o)) && seen.insert(id(o)) {
            out.push((Some(o), None));
        }
    }
    out
}

fn coverage_changes(
    old: &Coverage,
    new: &Coverage,
    oe: &[Entry<'_>],
    ne: &[Entry<'_>],
    matched: &[Option<usize>],
    old_matched: &[bool],
) -> CoverageChanges {
    let mut out = CoverageChanges::default();
    for (b, a) in pair_by_id(&old.lines, &new.lines, |l| l.id.as_str()) {
        let (before, after) = (b.map(|l| l.covered), a.map(|l| l.covered));
        if before == after {
            continue;
        }
        let Some(line) = a.or(b) else { continue };
        let covering = if after == Some(true) { a } else { b };
        let activities = covering
            .map(|l| {
                let mut v: Vec<String> = l.activities.iter().map(ToString::to_string).collect();
                for t in &l.through_sub_lines {
                    if !v.iter().any(|x| x == t.as_str()) {
                        v.push(t.to_string());
                    }
                }
                v
            })
            .unwrap_or_default();
        out.lines.push(LineCoverageChange {
            id: line.id.clone(),
            title: line.title.clone(),
            priority: line.priority.clone(),
            before,
            after,
            activities,
        });
    }
    for (b, a) in pair_by_id(&old.priorities, &new.priorities, |p| p.id.as_str()) {
        let share = |p: &crate::coverage::PriorityCoverage| Share {
            lines: p.lines,
            covered_lines: p.covered_lines,
            share: p.share,
        };
        let (before, after) = (b.map(share), a.map(share));
        // a priority with no lines is covered when activities address it directly
        // (its share is 1): losing or gaining that is a change too
        let counts =
            |s: Option<Share>| s.map(|s| (s.lines, s.covered_lines, s.addressed_directly()));
        if counts(before) == counts(after) {
            continue;
        }
        let Some(p) = a.or(b) else { continue };
        out.priorities.push(PriorityShareChange {
            id: p.id.clone(),
            title: p.title.clone(),
            before,
            after,
        });
    }
    for (b, a) in pair_by_id(&old.indicators, &new.indicators, |i| i.id.as_str()) {
        let plan = |i: &crate::coverage::IndicatorCoverage| IndicatorPlan {
            target: i.target,
            planned: i.planned,
            status: i.status.clone(),
        };
        let (before, after) = (b.map(plan), a.map(plan));
        if before == after {
            continue;
        }
        let Some(i) = a.or(b) else { continue };
        out.indicators.push(IndicatorChange {
            id: i.id.clone(),
            label: i.label.clone(),
            before,
            after,
        });
    }
    let unscheduled = |c: &Coverage| -> HashSet<String> {
        c.unscheduled.iter().map(ToString::to_string).collect()
    };
    let (old_un, new_un) = (unscheduled(old), unscheduled(new));
    let mut push = |e: &Entry<'_>, before: Option<bool>, after: Option<bool>| {
        if before.unwrap_or(true) != after.unwrap_or(true)
            && !out.timeframes.iter().any(|t| t.id == e.id)
        {
            out.timeframes.push(TimeframeChange {
                id: e.id.to_owned(),
                title: e.title.to_owned(),
                before,
                after,
            });
        }
    };
    for (i, e) in ne.iter().enumerate() {
        if e.kind == NodeKind::Activity && e.occurrence == 0 {
            let after = Some(!new_un.contains(e.id));
            let before = matched[i].map(|_| !old_un.contains(e.id));
            push(e, before, after);
        }
    }
    for (o, e) in oe.iter().enumerate() {
        if e.kind == NodeKind::Activity && e.occurrence == 0 && !old_matched[o] {
            push(e, Some(!old_un.contains(e.id)), None);
        }
    }
    out
}
