//! The graph as JSON-LD 1.1.
//!
//! One object per element in `@graph`, in the graph's order (kinds in order, document
//! order within a kind), typed with a class of the policygraph vocabulary
//! (`pg:` = `https://policygraph.example/vocab#`) and, where a W3C vocabulary has one,
//! its class too: partners are `org:Organization`, networks
//! `org:OrganizationalCollaboration` (their partners `org:hasMember`), themes
//! `skos:Concept`. Titles, ids and descriptions use Dublin Core terms; timeframes are kept
//! as written, in `dcterms:temporal` or a `pg:` property. Every edge of the graph is a
//! property of the element it starts from, valued with the IRIs of its targets.
//!
//! Element IRIs are absolute, `urn:policygraph:<programme id>:<element id>`, both parts
//! percent-encoded (see [`iri`]): a relative `@id` resolved against a URN `@base` would
//! lose the base's path (RFC 3986 §5.2.3), so none is used. An id that the document
//! repeats is exported once, as its first element (the others are `PG102` findings).
//!
//! The text is JSON with `<`, `>`, `&`, U+2028 and U+2029 written as `\u` escapes, so it
//! can be embedded in an HTML `<script type="application/ld+json">` element as it is.
//! The vocabulary is documented in `docs/exports.md`.

use std::collections::HashMap;

use policygraph::{EdgeKind, Element, Graph, NodeKind, NodeRef};
use serde_json::{Map, Value, json};

use crate::csv::{deliverable_kind, evaluation_stage, horizon};
use crate::escape;

/// The policygraph vocabulary's namespace.
pub const VOCAB: &str = "https://policygraph.example/vocab#";

/// The IRI of an element: `urn:policygraph:<programme id>:<element id>`, the programme id
/// with every character but the RFC 3986 unreserved ones percent-encoded (so its end is
/// unambiguous), the element id with `:` kept as well.
pub fn iri(programme_id: &str, id: &str) -> String {
    format!(
        "urn:policygraph:{}:{}",
        escape::iri_component(programme_id, false),
        escape::iri_component(id, true)
    )
}

/// The term (in the `@context`) of an element kind's class.
pub fn class(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Programme => "Programme",
        NodeKind::FocusPoint => "FocusPoint",
        NodeKind::Priority => "Priority",
        NodeKind::Action => "LineOfAction",
        NodeKind::Activity => "Activity",
        NodeKind::Deliverable => "Deliverable",
        NodeKind::Milestone => "Milestone",
        NodeKind::Output => "Output",
        NodeKind::Outcome => "Outcome",
        NodeKind::Indicator => "Indicator",
        NodeKind::FundingSource => "FundingSource",
        NodeKind::Partner => "Partner",
        NodeKind::Network => "Network",
        NodeKind::Theme => "Theme",
        NodeKind::Evaluation => "EvaluationMethod",
        NodeKind::Review => "Review",
    }
}

/// The term (in the `@context`) of the property an edge kind becomes.
pub fn edge_term(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Contains => "contains",
        EdgeKind::Refines => "refinedBy",
        EdgeKind::Addresses => "addresses",
        EdgeKind::Produces => "produces",
        EdgeKind::CountsToward => "countsToward",
        EdgeKind::Measures => "measures",
        EdgeKind::ContributesTo => "contributesTo",
        EdgeKind::FundedBy => "fundedBy",
        EdgeKind::PartnersWith => "partner",
        EdgeKind::LedBy => "ledBy",
        EdgeKind::Runs => "runsIn",
        EdgeKind::Serves => "serves",
        EdgeKind::DependsOn => "dependsOn",
        EdgeKind::Names => "names",
        EdgeKind::Includes => "hasMember",
        EdgeKind::AlsoIn => "alsoIn",
        EdgeKind::LinkedTo => "linkedTo",
        EdgeKind::InformedBy => "informedBy",
        EdgeKind::AnchoredTo => "anchoredTo",
        EdgeKind::RefersTo => "refersTo",
    }
}

/// Every edge kind, for the `@context`.
const EDGE_KINDS: [EdgeKind; 20] = EdgeKind::ALL;

/// The W3C class an element kind also has, if any.
fn w3c_class(kind: NodeKind) -> Option<&'static str> {
    match kind {
        NodeKind::Partner => Some("org:Organization"),
        NodeKind::Network => Some("org:OrganizationalCollaboration"),
        NodeKind::Theme => Some("skos:Concept"),
        _ => None,
    }
}

/// The `@context`: prefixes, classes, then properties.
pub fn context() -> Value {
    let mut c = Map::new();
    c.insert("@version".into(), json!(1.1));
    for (prefix, ns) in [
        ("pg", VOCAB),
        ("org", "http://www.w3.org/ns/org#"),
        ("dcterms", "http://purl.org/dc/terms/"),
        ("skos", "http://www.w3.org/2004/02/skos/core#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ] {
        c.insert(prefix.into(), json!(ns));
    }
    for kind in NodeKind::ALL {
        let name = class(kind);
        c.insert(name.into(), json!(format!("pg:{name}")));
    }
    for name in [
        "Organisation",
        "Budget",
        "Allocation",
        "Effort",
        "DeclaredAmount",
    ] {
        c.insert(name.into(), json!(format!("pg:{name}")));
    }
    let plain = |iri: &str| json!(iri);
    let typed = |iri: &str, ty: &str| json!({"@id": iri, "@type": ty});
    let terms: Vec<(&str, Value)> = vec![
        ("identifier", plain("dcterms:identifier")),
        ("title", plain("dcterms:title")),
        ("description", plain("dcterms:description")),
        ("temporal", plain("dcterms:temporal")),
        ("date", typed("dcterms:date", "xsd:date")),
        ("dateAccepted", typed("dcterms:dateAccepted", "xsd:date")),
        ("prefLabel", plain("skos:prefLabel")),
        ("altLabel", plain("skos:altLabel")),
        ("subtitle", plain("pg:subtitle")),
        ("organisation", plain("pg:organisation")),
        ("reference", plain("pg:reference")),
        ("start", typed("pg:start", "xsd:date")),
        ("currency", plain("pg:currency")),
        (
            "introduction",
            json!({"@id": "pg:introduction", "@container": "@list"}),
        ),
        ("problem", plain("pg:problem")),
        ("roleStatement", plain("pg:roleStatement")),
        ("prioritiesSource", plain("pg:prioritiesSource")),
        ("mandate", plain("pg:mandate")),
        (
            "implementation",
            json!({"@id": "pg:implementation", "@container": "@list"}),
        ),
        ("notes", plain("pg:notes")),
        ("shortLabel", plain("pg:shortLabel")),
        ("activityKind", plain("pg:activityKind")),
        ("status", plain("pg:status")),
        ("budget", plain("pg:budget")),
        ("allocation", plain("pg:allocation")),
        ("source", typed("pg:source", "@id")),
        ("year", typed("pg:year", "xsd:gYear")),
        ("amount", typed("pg:amount", "xsd:decimal")),
        ("total", typed("pg:total", "xsd:decimal")),
        ("effort", plain("pg:effort")),
        ("personMonths", typed("pg:personMonths", "xsd:decimal")),
        ("deliverableKind", plain("pg:deliverableKind")),
        ("quantity", typed("pg:quantity", "xsd:decimal")),
        ("recurrence", plain("pg:recurrence")),
        ("due", plain("pg:due")),
        ("verification", plain("pg:verification")),
        ("example", plain("pg:example")),
        ("horizon", plain("pg:horizon")),
        ("unit", plain("pg:unit")),
        ("baseline", typed("pg:baseline", "xsd:decimal")),
        ("target", typed("pg:target", "xsd:decimal")),
        ("targetDate", plain("pg:targetDate")),
        ("declared", plain("pg:declared")),
        ("partnerKind", plain("pg:partnerKind")),
        ("role", plain("pg:role")),
        ("region", plain("pg:region")),
        ("stage", plain("pg:stage")),
        ("by", plain("pg:by")),
    ];
    for (term, def) in terms {
        c.insert(term.into(), def);
    }
    for kind in EDGE_KINDS {
        let term = edge_term(kind);
        let iri = if kind == EdgeKind::Includes {
            "org:hasMember".to_owned()
        } else {
            format!("pg:{term}")
        };
        c.insert(term.into(), json!({"@id": iri, "@type": "@id"}));
    }
    Value::Object(c)
}

/// Renders the graph as JSON-LD.
pub fn render(graph: &Graph<'_>) -> String {
    let programme = graph.root().id();
    // the links of each element, in the order the graph holds them (document order)
    let mut links: HashMap<&str, Vec<(EdgeKind, &str)>> = HashMap::new();
    for (source, kind, target) in graph.edges() {
        if is_first(graph, source) {
            links
                .entry(source.id())
                .or_default()
                .push((kind, target.id()));
        }
    }
    let mut objects = Vec::new();
    for node in graph.nodes() {
        if !is_first(graph, node) {
            continue;
        }
        let mut o = object(node, programme);
        let out = links.get(node.id()).map_or(&[][..], Vec::as_slice);
        // each kind in the order of EDGE_KINDS, its targets in the graph's order
        for kind in EDGE_KINDS {
            let targets: Vec<Value> = out
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, target)| Value::String(iri(programme, target)))
                .collect();
            if !targets.is_empty() {
                o.insert(edge_term(kind).into(), Value::Array(targets));
            }
        }
        objects.push(Value::Object(o));
    }
    let doc = json!({"@context": context(), "@graph": objects});
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('\n');
    out
}

/// Whether the node is the element its id names (not a later duplicate).
fn is_first<'g, 'd>(graph: &'g Graph<'d>, node: NodeRef<'g, 'd>) -> bool {
    graph.node(node.id()).is_some_and(|first| first == node)
}

/// One element's object, without its links.
fn object(node: NodeRef<'_, '_>, programme: &str) -> Map<String, Value> {
    let mut o = Map::new();
    let link = |id: &str| Value::String(iri(programme, id));
    o.insert("@id".into(), link(node.id()));
    let mut types = vec![json!(class(node.kind()))];
    if let Some(w3c) = w3c_class(node.kind()) {
        types.push(json!(w3c));
    }
    o.insert("@type".into(), Value::Array(types));
    o.insert("identifier".into(), json!(node.id()));
    o.insert("title".into(), json!(node.title()));
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(v) = value {
            o.insert(key.into(), v);
        }
    };
    let text = |t: &Option<String>| t.as_ref().map(|t| json!(t));
    let shown = |t: Option<String>| t.map(Value::String);
    let time = |t: Option<&policygraph::model::Timeframe>| t.map(|t| json!(t.text()));
    match node.element() {
        Element::Programme(p) => {
            put("subtitle", text(&p.subtitle));
            put(
                "organisation",
                p.organisation
                    .as_ref()
                    .map(|name| json!({"@type": ["Organisation", "org:Organization"], "prefLabel": name})),
            );
            put("reference", text(&p.reference));
            put("date", shown(p.dated.map(|d| d.to_string())));
            put("dateAccepted", shown(p.adopted.map(|d| d.to_string())));
            put("temporal", time(p.period.as_ref()));
            put("start", shown(p.start.map(|d| d.to_string())));
            put(
                "currency",
                shown(p.currency.as_ref().map(|c| c.to_string())),
            );
            put(
                "introduction",
                (!p.introduction.is_empty()).then(|| json!(p.introduction)),
            );
            put("problem", text(&p.problem));
            put("roleStatement", text(&p.role));
            put("prioritiesSource", text(&p.priorities_source));
            put("mandate", text(&p.mandate));
            put(
                "implementation",
                (!p.implementation.is_empty()).then(|| json!(p.implementation)),
            );
            put("notes", text(&p.notes));
        }
        Element::FocusPoint(_) => {}
        Element::Priority(p) => {
            put("shortLabel", text(&p.label));
            put("description", text(&p.description));
        }
        Element::Action(a) => put("description", text(&a.description)),
        Element::Activity(a) => {
            put("activityKind", text(&a.kind));
            put("description", text(&a.description));
            put("status", shown(a.status.as_ref().map(|s| s.to_string())));
            put("temporal", time(a.timeframe.as_ref()));
            put(
                "budget",
                a.budget.as_ref().map(|b| {
                    let mut budget = Map::new();
                    budget.insert("@type".into(), json!("Budget"));
                    if let Some(c) = &b.currency {
                        budget.insert("currency".into(), json!(c.to_string()));
                    }
                    if let Some(t) = b.total {
                        budget.insert("total".into(), json!(t.to_string()));
                    }
                    if !b.allocations.is_empty() {
                        let allocations: Vec<Value> = b
                            .allocations
                            .iter()
                            .map(|al| {
                                let mut m = Map::new();
                                m.insert("@type".into(), json!("Allocation"));
                                m.insert("source".into(), link(al.source.as_str()));
                                if let Some(y) = al.year {
                                    m.insert("year".into(), json!(y.to_string()));
                                }
                                m.insert("amount".into(), json!(al.amount.to_string()));
                                Value::Object(m)
                            })
                            .collect();
                        budget.insert("allocation".into(), Value::Array(allocations));
                    }
                    Value::Object(budget)
                }),
            );
            put(
                "effort",
                (!a.effort.is_empty()).then(|| {
                    Value::Array(
                        a.effort
                            .iter()
                            .map(|e| {
                                json!({
                                    "@type": "Effort",
                                    "partner": link(e.partner.as_str()),
                                    "personMonths": e.person_months.to_string(),
                                })
                            })
                            .collect(),
                    )
                }),
            );
            put("notes", text(&a.notes));
        }
        Element::Deliverable(d) => {
            put(
                "deliverableKind",
                d.kind.as_ref().map(|k| json!(deliverable_kind(k))),
            );
            put("description", text(&d.description));
            put("quantity", shown(d.quantity.map(|q| q.to_string())));
            put("recurrence", time(d.recurrence.as_deref()));
            put("due", time(d.due.as_ref()));
            put("notes", text(&d.notes));
        }
        Element::Milestone(m) => {
            put("due", time(m.due.as_ref()));
            put("verification", text(&m.verification));
            put("description", text(&m.description));
        }
        Element::Output(out) => {
            put("description", text(&out.description));
            put(
                "example",
                (!out.examples.is_empty()).then(|| json!(out.examples)),
            );
        }
        Element::Outcome(out) => {
            put("horizon", out.horizon.map(|h| json!(horizon(h))));
            put("description", text(&out.description));
        }
        Element::Indicator(i) => {
            put("unit", shown(i.unit.as_ref().map(|u| u.to_string())));
            put("baseline", shown(i.baseline.map(|b| b.to_string())));
            put("target", shown(i.target.map(|t| t.to_string())));
            put("targetDate", time(i.target_date.as_ref()));
            put("verification", text(&i.verification));
            put("description", text(&i.description));
        }
        Element::FundingSource(f) => {
            put("description", text(&f.description));
            put(
                "currency",
                shown(f.currency.as_ref().map(|c| c.to_string())),
            );
            put("total", shown(f.total.map(|t| t.to_string())));
            put(
                "declared",
                (!f.declared.is_empty()).then(|| {
                    Value::Array(
                        f.declared
                            .iter()
                            .map(|d| {
                                let mut m = Map::new();
                                m.insert("@type".into(), json!("DeclaredAmount"));
                                if let Some(y) = d.year {
                                    m.insert("year".into(), json!(y.to_string()));
                                }
                                m.insert("amount".into(), json!(d.amount.to_string()));
                                Value::Object(m)
                            })
                            .collect(),
                    )
                }),
            );
        }
        Element::Partner(p) => {
            put("prefLabel", Some(json!(p.title)));
            put("altLabel", text(&p.acronym));
            put("partnerKind", text(&p.kind));
            put("role", text(&p.role));
            put("temporal", time(p.participation.as_ref()));
            put(
                "personMonths",
                shown(p.person_months.map(|m| m.to_string())),
            );
            put("description", text(&p.description));
        }
        Element::Network(n) => {
            put("prefLabel", Some(json!(n.title)));
            put("altLabel", text(&n.acronym));
            put("region", text(&n.region));
            put("description", text(&n.description));
        }
        Element::Theme(t) => {
            put("prefLabel", Some(json!(t.title)));
            put("description", text(&t.description));
        }
        Element::Evaluation(e) => {
            put("stage", Some(json!(evaluation_stage(node))));
            put("by", text(&e.by));
            put("description", text(&e.description));
        }
        Element::Review(r) => {
            put("temporal", time(r.date.as_ref()));
            put("by", text(&r.by));
            put("description", text(&r.description));
        }
    }
    o
}
