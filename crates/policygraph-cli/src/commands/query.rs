//! `policygraph query FILE [filters]`: the elements that match every filter.

use std::path::Path;

use policygraph::{Graph, Limits, NodeKind, Query, query};

use crate::args::QueryFormat;
use crate::exit::{Failure, Outcome, print};
use crate::output::table::Table;
use crate::render::{Style, clip};

const TITLE_WIDTH: usize = 50;

pub struct Filters {
    pub kind: Option<String>,
    pub year: Option<i32>,
    pub funding: Option<String>,
    pub priority: Option<String>,
    pub status: Option<String>,
    pub partner: Option<String>,
    pub theme: Option<String>,
}

pub fn run(
    file: &Path,
    filters: Filters,
    format: QueryFormat,
    limits: &Limits,
    style: &Style,
) -> Outcome {
    let kind = filters.kind.as_deref().map(kind).transpose()?;
    let loaded = super::load(file, limits, style)?;
    let graph = Graph::build(&loaded.document);
    let q = Query {
        kind,
        year: filters.year,
        funding: filters.funding,
        priority: filters.priority,
        status: filters.status,
        partner: filters.partner,
        theme: filters.theme,
    };
    let rows = query(&graph, &q).map_err(|e| Failure::new(e.to_string()))?;
    let text = match format {
        QueryFormat::Json => {
            let mut t = serde_json::to_string_pretty(&rows).unwrap_or_default();
            t.push('\n');
            t
        }
        QueryFormat::Csv => {
            let mut t = Table::new(&[
                "id",
                "kind",
                "title",
                "parent",
                "timeframe",
                "status",
                "funding",
                "pointer",
            ]);
            for r in &rows {
                t.row(vec![
                    r.id.clone(),
                    r.kind.as_str().to_owned(),
                    r.title.clone(),
                    r.parent.clone().unwrap_or_default(),
                    r.timeframe.clone().unwrap_or_default(),
                    r.status.clone().unwrap_or_default(),
                    r.funding.join(" "),
                    r.pointer.clone(),
                ]);
            }
            t.csv()
        }
        QueryFormat::Table => {
            if rows.is_empty() {
                "no element matches\n".to_owned()
            } else {
                let mut t = Table::new(&["id", "kind", "title", "timeframe", "status", "funding"]);
                for r in &rows {
                    t.row(vec![
                        r.id.clone(),
                        r.kind.as_str().to_owned(),
                        clip(&r.title, TITLE_WIDTH),
                        r.timeframe.clone().unwrap_or_default(),
                        r.status.clone().unwrap_or_default(),
                        r.funding.join(", "),
                    ]);
                }
                let mut text = t.plain(0);
                text.push_str(&format!(
                    "\n{}\n",
                    crate::render::count(rows.len(), "element", "elements")
                ));
                text
            }
        }
    };
    print(&text)
}

fn kind(text: &str) -> Result<NodeKind, Failure> {
    NodeKind::find(text).map_err(|e| Failure::new(e.message))
}
