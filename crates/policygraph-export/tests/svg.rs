//! The results-chain SVG: well-formed, safe with hostile titles, and stable for the
//! reference programme.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use policygraph_export::chain::ResultsChain;

fn chain_of(path: &str) -> ResultsChain {
    let loaded = policygraph::load_path(Path::new(path), &policygraph::Limits::default())
        .expect("the fixture loads");
    let graph = policygraph::Graph::build(&loaded.document);
    ResultsChain::of(&graph)
}

/// What document text becomes in the SVG: tabs and line breaks are spaces.
fn cleaned(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

const ELEMENTS: [&str; 10] = [
    "svg", "title", "desc", "defs", "marker", "path", "g", "rect", "text", "tspan",
];
const ATTRIBUTES: [&str; 32] = [
    "xmlns",
    "class",
    "viewBox",
    "width",
    "height",
    "role",
    "aria-labelledby",
    "aria-describedby",
    "id",
    "refX",
    "refY",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "orient",
    "d",
    "fill",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "marker-end",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "x",
    "y",
    "rx",
    "dy",
    "dx",
    "text-anchor",
    "opacity",
];

/// Checks the structure every rendering must have and returns the tooltips.
fn check_well_formed(svg: &str) -> BTreeSet<String> {
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"results-chain\""));
    assert!(svg.ends_with("</svg>"));
    let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("role"), Some("img"));
    for attribute in ["viewBox", "width", "height"] {
        assert!(root.attribute(attribute).is_some(), "{attribute}");
    }
    let ids: BTreeSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    for id in &ids {
        assert!(id.starts_with("pg-rc-"), "generated id {id}");
    }
    let label = root.attribute("aria-labelledby").expect("labelled");
    assert!(ids.contains(label));
    let mut tooltips = BTreeSet::new();
    for node in doc.descendants() {
        if node.is_element() {
            let name = node.tag_name().name();
            assert!(ELEMENTS.contains(&name), "element {name}");
            for attribute in node.attributes() {
                assert!(
                    ATTRIBUTES.contains(&attribute.name()),
                    "attribute {}",
                    attribute.name()
                );
                if let Some(reference) = attribute.value().strip_prefix("url(#") {
                    let reference = reference.trim_end_matches(')');
                    assert!(ids.contains(reference), "dangling {reference}");
                }
            }
            if name == "title" && node.parent_element() != Some(root) {
                tooltips.insert(node.text().unwrap_or_default().to_owned());
            }
        }
        let in_text = node
            .parent_element()
            .is_some_and(|p| matches!(p.tag_name().name(), "title" | "desc" | "text" | "tspan"));
        if node.is_text() && in_text {
            let text = node.text().unwrap_or_default();
            assert!(
                !text.chars().any(|c| c.is_control()),
                "control character in {text:?}"
            );
        }
    }
    tooltips
}

#[test]
fn hostile_titles_stay_text() {
    let chain = chain_of("../../tests/export/hostile.yaml");
    let svg = policygraph_export::svg::render(&chain);
    let tooltips = check_well_formed(&svg);
    for node in &chain.nodes {
        let expected = format!("{} — {}", cleaned(&node.id), cleaned(&node.title));
        assert!(
            tooltips.contains(&expected),
            "{expected:?} in {tooltips:#?}"
        );
    }
    for needle in [
        "<script",
        "<img",
        "<style",
        "<svg onload",
        "]]>",
        "<http",
        "\t",
        "\r",
    ] {
        assert!(!svg.contains(needle), "{needle:?} appears raw");
    }
    // The title that tries to close the tooltip is escaped, in text and attribute forms.
    assert!(svg.contains("&lt;/title&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;"));
}

#[test]
fn reference_programme() {
    let chain = chain_of("../../examples/pompidou-2023-2025.yaml");
    let svg = policygraph_export::svg::render(&chain);
    let tooltips = check_well_formed(&svg);
    assert_eq!(
        tooltips.iter().filter(|t| t.contains(" — ")).count(),
        chain.nodes.len()
    );
    // Deterministic: a second graph of the same document draws the same picture.
    assert_eq!(
        policygraph_export::svg::render(&chain_of("../../examples/pompidou-2023-2025.yaml")),
        svg
    );
    insta::assert_snapshot!("pompidou", svg);
}
