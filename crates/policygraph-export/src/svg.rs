//! The results chain as inline SVG, laid out by the library itself (layered layout).
//!
//! [`render`] draws a [`ResultsChain`] as one `<svg>` element meant to be embedded in an
//! HTML page with a strict content security policy: no script, no external reference, no
//! web font (a system font stack), no `<style>` element (an inline SVG's style sheet would
//! apply to the whole page), only presentation attributes.
//!
//! # Layout
//!
//! A hand-rolled Sugiyama-style layout with the chain's [`Layer`]s as columns, left to
//! right:
//!
//! 1. **Columns and nesting.** Every element goes to the column of its layer. Nesting
//!    inside one column (an activity containing a sub-activity, a line refining a
//!    sub-line) makes a forest: a child is drawn just below its parent, indented, joined
//!    by a tree connector on the left. A link spanning several columns gets one small
//!    *waypoint* in each column it crosses, so it runs between boxes, never through them.
//!    Other links within one column (an outcome contributing to a longer-term outcome)
//!    are drawn as arcs on the column's right side.
//! 2. **Order.** Each column starts in document order, children after their parent.
//!    A bounded number of barycenter sweeps (left to right, then right to left) sort
//!    each column by the mean position of its neighbours in the previous column; a
//!    nesting subtree moves as one block, its members sorted among themselves the same
//!    way. Ties keep the current order, so the result is deterministic. After every sweep
//!    the crossings between neighbouring columns are counted in `O(E log V)` (a Fenwick
//!    tree) and the best order seen is kept.
//! 3. **Coordinates.** The tallest column is stacked from the top; columns to its right,
//!    then to its left, place each box as near as possible to the mean height of its
//!    already placed neighbours, keeping the order and the gaps: a weighted isotonic
//!    regression solved by pool-adjacent-violators in linear time.
//!
//! Boxes have a fixed width per column (less the indentation); the bold id and the title
//! are wrapped to it (about 28 characters a line, at most three lines, an ellipsis when
//! cut), with the full "id — title" in a `<title>` child as a tooltip. Links are cubic
//! Bézier curves from the right side of the left box to the left side of the right box,
//! whatever their meaning; the arrowhead points the way the link points (an activity
//! *addresses* a line of action to its left).
//!
//! # Cap
//!
//! At most [`MAX_DRAWN`] elements are drawn, shared fairly between the columns (a
//! column with fewer elements than its share keeps them all and leaves the rest to the
//! others); each column keeps its first elements in document order. When some are left
//! out the diagram says "N more elements not drawn". With the cap and a fixed number of
//! sweeps, the layout takes `O((V + E) log V)`.
//!
//! # Escaping
//!
//! Ids and titles are document text: they are cleaned of characters XML forbids (tabs
//! and line breaks become spaces, other control characters are dropped) and escaped
//! (`&`, `<`, `>`, `"`, `'`) wherever they appear, and only ever appear as text or as
//! the value of a `<title>`: never in element or attribute names, links, styles or ids,
//! which are generated.

use std::fmt::Write as _;

use policygraph::{EdgeKind, NodeKind};

use crate::chain::{Layer, ResultsChain};

/// The most elements drawn; the others are counted in a caption.
pub const MAX_DRAWN: usize = 1500;

/// Barycenter iterations (each a sweep left to right and one right to left).
const ITERATIONS: usize = 4;
/// The longest chain of parents followed when checking that nesting has no cycle.
const MAX_NESTING_WALK: usize = 64;

const COLUMNS: usize = Layer::ALL.len();
const MARGIN: f64 = 20.0;
const BOX_W: f64 = 210.0;
const COL_GAP: f64 = 120.0;
const ARC_ROOM: f64 = 70.0;
const INDENT: f64 = 14.0;
const MAX_INDENT_DEPTH: usize = 3;
const PAD_X: f64 = 8.0;
const PAD_Y: f64 = 7.0;
const FONT_SIZE: f64 = 12.0;
const LINE_H: f64 = 15.0;
const BASELINE: f64 = 11.5;
const MAX_LINES: usize = 3;
const WAYPOINT_H: f64 = 2.0;
const GAP_IN_BLOCK: f64 = 6.0;
const GAP_BETWEEN_BLOCKS: f64 = 14.0;
const GAP_WAYPOINT: f64 = 5.0;
/// Links on one side of a box are at least this far apart, and this far from its corners.
const PORT_SPACING: f64 = 4.0;
const PORT_MARGIN: f64 = 6.0;

const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const TEXT_COLOUR: &str = "#0f172a";
const MUTED_COLOUR: &str = "#475569";
const ID_PREFIX: &str = "pg-rc";

/// Renders the results chain as one inline `<svg>` element (no XML prolog).
pub fn render(chain: &ResultsChain) -> String {
    let layout = Layout::of(chain, ITERATIONS);
    draw(chain, &layout)
}

// ---------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------

/// What a layout item stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ItemKind {
    /// An element: its index in the chain's nodes.
    Node(usize),
    /// A waypoint of a link crossing a column.
    Waypoint,
}

/// A box or a waypoint.
#[derive(Clone, Debug)]
struct Item {
    kind: ItemKind,
    col: usize,
    /// The parent in the column's nesting forest.
    parent: Option<usize>,
    depth: usize,
    /// The id as shown (cut with an ellipsis when too long).
    id_text: String,
    /// The title's lines; the first one follows the id.
    lines: Vec<String>,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Item {
    fn centre(&self) -> f64 {
        self.y + self.h / 2.0
    }

    fn right(&self) -> f64 {
        self.x + self.w
    }

    fn is_node(&self) -> bool {
        matches!(self.kind, ItemKind::Node(_))
    }
}

/// A link between columns: the items it passes, left to right.
#[derive(Clone, Debug)]
struct Route {
    edge: usize,
    items: Vec<usize>,
    /// Whether the link points right to left.
    reversed: bool,
    /// Where it leaves the leftmost box and enters the rightmost one.
    left_port: f64,
    right_port: f64,
}

/// A link within one column.
#[derive(Clone, Copy, Debug)]
struct Local {
    edge: usize,
    from: usize,
    to: usize,
}

#[derive(Clone, Debug)]
struct Layout {
    items: Vec<Item>,
    /// Each column's items, top to bottom.
    columns: Vec<Vec<usize>>,
    routes: Vec<Route>,
    /// Nesting links drawn as tree connectors (parent → child).
    tree: Vec<Local>,
    /// Other links within a column, drawn as arcs.
    arcs: Vec<Local>,
    /// Elements per column, in the chain and drawn.
    total: [usize; COLUMNS],
    drawn: [usize; COLUMNS],
    width: f64,
    height: f64,
    /// Where the legend ends and the column headings sit.
    heading_y: f64,
}

impl Layout {
    fn of(chain: &ResultsChain, iterations: usize) -> Layout {
        let (keep, total, drawn) = select(chain, MAX_DRAWN);
        let mut items: Vec<Item> = Vec::new();
        let mut item_of: Vec<Option<usize>> = vec![None; chain.nodes.len()];
        for (index, node) in chain.nodes.iter().enumerate() {
            if keep.get(index).copied().unwrap_or(false) {
                item_of[index] = Some(items.len());
                items.push(Item {
                    kind: ItemKind::Node(index),
                    col: node.layer.index(),
                    parent: None,
                    depth: 0,
                    id_text: String::new(),
                    lines: Vec::new(),
                    x: 0.0,
                    y: 0.0,
                    w: 0.0,
                    h: 0.0,
                });
            }
        }

        // Links: nesting within a column, arcs within a column, routes across columns.
        let mut routes = Vec::new();
        let mut tree = Vec::new();
        let mut arcs = Vec::new();
        for (edge, link) in chain.edges.iter().enumerate() {
            let (Some(Some(from)), Some(Some(to))) = (item_of.get(link.from), item_of.get(link.to))
            else {
                continue;
            };
            let (from, to) = (*from, *to);
            if from == to {
                continue;
            }
            let (from_col, to_col) = (items[from].col, items[to].col);
            if from_col == to_col {
                let local = Local { edge, from, to };
                if link.kind.is_hierarchy()
                    && items[to].parent.is_none()
                    && !is_ancestor(&items, to, from)
                {
                    items[to].parent = Some(from);
                    tree.push(local);
                } else {
                    arcs.push(local);
                }
                continue;
            }
            let reversed = from_col > to_col;
            let (left, right) = if reversed { (to, from) } else { (from, to) };
            let (left_col, right_col) = (from_col.min(to_col), from_col.max(to_col));
            let mut path = vec![left];
            for col in left_col + 1..right_col {
                path.push(items.len());
                items.push(Item {
                    kind: ItemKind::Waypoint,
                    col,
                    parent: None,
                    depth: 0,
                    id_text: String::new(),
                    lines: Vec::new(),
                    x: 0.0,
                    y: 0.0,
                    w: BOX_W,
                    h: WAYPOINT_H,
                });
            }
            path.push(right);
            routes.push(Route {
                edge,
                items: path,
                reversed,
                left_port: 0.0,
                right_port: 0.0,
            });
        }

        // Depths, indentation, wrapped text and box sizes: a box is tall enough for its
        // text and to spread the links on each side a few pixels apart.
        let mut ports = vec![[0usize; 2]; items.len()];
        for route in &routes {
            if let (Some(&first), Some(&last)) = (route.items.first(), route.items.last()) {
                ports[first][1] += 1;
                ports[last][0] += 1;
            }
        }
        let depths = depths(&items);
        for ((item, depth), ports) in items.iter_mut().zip(depths).zip(ports) {
            item.depth = depth;
            item.x = column_x(item.col);
            if let ItemKind::Node(index) = item.kind {
                let indent = INDENT * depth.min(MAX_INDENT_DEPTH) as f64;
                item.x += indent;
                item.w = BOX_W - indent;
                let node = &chain.nodes[index];
                let (id_text, lines) = wrap(&node.id, &node.title, item.w - 2.0 * PAD_X);
                let most = ports[0].max(ports[1]).max(1) - 1;
                item.h = (2.0 * PAD_Y + LINE_H * lines.len() as f64)
                    .max(PORT_MARGIN * 2.0 + PORT_SPACING * most as f64);
                item.id_text = id_text;
                item.lines = lines;
            }
        }

        let mut order = Order::new(&items, &routes, &arcs);
        order.minimise_crossings(iterations);
        let columns = order.columns;

        let mut layout = Layout {
            items,
            columns,
            routes,
            tree,
            arcs,
            total,
            drawn,
            width: 0.0,
            height: 0.0,
            heading_y: 0.0,
        };
        layout.place();
        layout.set_ports();
        layout
    }

    /// Vertical coordinates: the tallest column stacked, the others near their neighbours.
    fn place(&mut self) {
        let legend_rows = if self.total.iter().sum::<usize>() > self.drawn.iter().sum::<usize>() {
            3.0
        } else {
            2.0
        };
        self.heading_y = MARGIN + legend_rows * LEGEND_ROW + 22.0;
        let top = self.heading_y + 20.0;
        let (left, right) = neighbours(self.items.len(), &self.routes);
        let block = blocks(&self.items, &self.columns);
        let gaps: Vec<Vec<f64>> = self
            .columns
            .iter()
            .map(|column| {
                column
                    .windows(2)
                    .map(|pair| gap(&self.items, &block, pair[0], pair[1]))
                    .collect()
            })
            .collect();
        let heights: Vec<f64> = self
            .columns
            .iter()
            .zip(&gaps)
            .map(|(column, gaps)| {
                column.iter().map(|&i| self.items[i].h).sum::<f64>() + gaps.iter().sum::<f64>()
            })
            .collect();
        let mut anchor = 0;
        for (col, height) in heights.iter().enumerate() {
            if *height > heights[anchor] {
                anchor = col;
            }
        }
        self.place_column(anchor, &gaps[anchor], top, None);
        for (col, gaps) in gaps.iter().enumerate().skip(anchor + 1) {
            self.place_column(col, gaps, top, Some(&left));
        }
        for (col, gaps) in gaps.iter().enumerate().take(anchor).rev() {
            self.place_column(col, gaps, top, Some(&right));
        }
        let bottom = self
            .items
            .iter()
            .map(|item| item.y + item.h)
            .fold(top, f64::max);
        self.height = bottom + MARGIN;
        self.width = column_x(COLUMNS - 1) + BOX_W + ARC_ROOM + MARGIN;
    }

    /// Places one column: as near as possible to the mean height of each item's
    /// neighbours in `towards` (stacked from `top` when `None`), in order, without overlap.
    fn place_column(&mut self, col: usize, gaps: &[f64], top: f64, towards: Option<&[Vec<usize>]>) {
        let Some(column) = self.columns.get(col) else {
            return;
        };
        let mut offsets = Vec::with_capacity(column.len());
        let mut offset = 0.0;
        for (k, &item) in column.iter().enumerate() {
            offsets.push(offset);
            offset += self.items[item].h + gaps.get(k).copied().unwrap_or(0.0);
        }
        // Wanted tops, less each item's offset: the constraint becomes "non-decreasing".
        let mut wanted = Vec::with_capacity(column.len());
        let mut weights = Vec::with_capacity(column.len());
        let mut previous = top;
        for (k, &item) in column.iter().enumerate() {
            let others = towards
                .and_then(|t| t.get(item))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            if others.is_empty() {
                wanted.push(previous);
                weights.push(0.001);
            } else {
                let mean = others.iter().map(|&o| self.items[o].centre()).sum::<f64>()
                    / others.len() as f64;
                let z = mean - self.items[item].h / 2.0 - offsets[k];
                wanted.push(z);
                weights.push(1.0);
                previous = z;
            }
        }
        let fitted = isotonic(&wanted, &weights);
        for (k, &item) in column.iter().enumerate() {
            self.items[item].y = fitted[k].max(top) + offsets[k];
        }
    }

    /// Spreads the links leaving or entering one side of a box along that side, in the
    /// order of the heights they come from, so they do not cross at the box.
    fn set_ports(&mut self) {
        // (item, side: 0 left / 1 right, the other end's height, route)
        let mut ends: Vec<(usize, u8, f64, usize)> = Vec::new();
        for (r, route) in self.routes.iter().enumerate() {
            let n = route.items.len();
            if n < 2 {
                continue;
            }
            let (first, second) = (route.items[0], route.items[1]);
            let (last, before) = (route.items[n - 1], route.items[n - 2]);
            ends.push((first, 1, self.items[second].centre(), r));
            ends.push((last, 0, self.items[before].centre(), r));
        }
        ends.sort_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then(a.2.total_cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        let mut start = 0;
        while start < ends.len() {
            let (item, side) = (ends[start].0, ends[start].1);
            let mut end = start;
            while end < ends.len() && ends[end].0 == item && ends[end].1 == side {
                end += 1;
            }
            let count = end - start;
            let it = &self.items[item];
            let usable = (it.h - 2.0 * PORT_MARGIN).max(0.0);
            let step = if count > 1 {
                (usable / (count - 1) as f64).min(2.0 * PORT_SPACING)
            } else {
                0.0
            };
            for (k, e) in ends[start..end].iter().enumerate() {
                let y = it.centre() + (k as f64 - (count - 1) as f64 / 2.0) * step;
                if let Some(route) = self.routes.get_mut(e.3) {
                    if side == 1 {
                        route.left_port = y;
                    } else {
                        route.right_port = y;
                    }
                }
            }
            start = end;
        }
    }
}

/// The left x of a column.
fn column_x(col: usize) -> f64 {
    MARGIN + col as f64 * (BOX_W + COL_GAP)
}

/// Which elements to draw (at most `max`, shared fairly between columns, the first of
/// each column in document order), with the counts per column in the chain and drawn.
fn select(chain: &ResultsChain, max: usize) -> (Vec<bool>, [usize; COLUMNS], [usize; COLUMNS]) {
    let mut total = [0; COLUMNS];
    for node in &chain.nodes {
        total[node.layer.index()] += 1;
    }
    let mut by_size: Vec<usize> = (0..COLUMNS).collect();
    by_size.sort_by_key(|&col| (total[col], col));
    let mut drawn = [0; COLUMNS];
    let mut left = max;
    for (k, &col) in by_size.iter().enumerate() {
        let share = left / (COLUMNS - k);
        drawn[col] = total[col].min(share);
        left -= drawn[col];
    }
    let mut seen = [0; COLUMNS];
    let keep = chain
        .nodes
        .iter()
        .map(|node| {
            let col = node.layer.index();
            seen[col] += 1;
            seen[col] <= drawn[col]
        })
        .collect();
    (keep, total, drawn)
}

/// Whether `ancestor` is `item` or one of its parents (unknown beyond a bounded walk,
/// which counts as yes so that nesting stays acyclic).
fn is_ancestor(items: &[Item], ancestor: usize, item: usize) -> bool {
    let mut current = Some(item);
    for _ in 0..MAX_NESTING_WALK {
        match current {
            Some(c) if c == ancestor => return true,
            Some(c) => current = items.get(c).and_then(|i| i.parent),
            None => return false,
        }
    }
    true
}

/// Each item's depth in its column's nesting forest.
fn depths(items: &[Item]) -> Vec<usize> {
    let mut depth = vec![usize::MAX; items.len()];
    let mut path = Vec::new();
    for start in 0..items.len() {
        path.clear();
        let mut known = None;
        let mut current = start;
        loop {
            if depth[current] != usize::MAX {
                known = Some(depth[current]);
                break;
            }
            path.push(current);
            match items[current].parent {
                Some(parent) => current = parent,
                None => break,
            }
        }
        let first = known.map_or(0, |k| k + 1);
        for (d, &item) in (first..).zip(path.iter().rev()) {
            depth[item] = d;
        }
    }
    depth
}

/// Each item's neighbours in the column to its left and to its right.
fn neighbours(count: usize, routes: &[Route]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut left = vec![Vec::new(); count];
    let mut right = vec![Vec::new(); count];
    for route in routes {
        for pair in route.items.windows(2) {
            right[pair[0]].push(pair[1]);
            left[pair[1]].push(pair[0]);
        }
    }
    (left, right)
}

/// Each item's nesting root (parents come before their children in a column).
fn blocks(items: &[Item], columns: &[Vec<usize>]) -> Vec<usize> {
    let mut block: Vec<usize> = (0..items.len()).collect();
    for column in columns {
        for &item in column {
            if let Some(parent) = items[item].parent {
                block[item] = block[parent];
            }
        }
    }
    block
}

/// The vertical gap between two neighbours in a column.
fn gap(items: &[Item], block: &[usize], above: usize, below: usize) -> f64 {
    if !items[above].is_node() || !items[below].is_node() {
        GAP_WAYPOINT
    } else if block[above] == block[below] {
        GAP_IN_BLOCK
    } else {
        GAP_BETWEEN_BLOCKS
    }
}

/// The non-decreasing sequence nearest to `wanted` in weighted least squares
/// (pool-adjacent-violators, linear time).
fn isotonic(wanted: &[f64], weights: &[f64]) -> Vec<f64> {
    // (weighted sum, total weight, count)
    let mut pools: Vec<(f64, f64, usize)> = Vec::with_capacity(wanted.len());
    for (&z, &w) in wanted.iter().zip(weights) {
        pools.push((z * w, w, 1));
        while pools.len() >= 2 {
            let n = pools.len();
            let (b, a) = (pools[n - 1], pools[n - 2]);
            if a.0 / a.1 > b.0 / b.1 {
                pools.truncate(n - 2);
                pools.push((a.0 + b.0, a.1 + b.1, a.2 + b.2));
            } else {
                break;
            }
        }
    }
    let mut fitted = Vec::with_capacity(wanted.len());
    for (sum, weight, count) in pools {
        fitted.extend(std::iter::repeat_n(sum / weight, count));
    }
    fitted
}

/// The order of the items in each column, and what the barycenter sweeps need.
struct Order {
    columns: Vec<Vec<usize>>,
    /// Each item's rank in its column.
    rank: Vec<usize>,
    parent: Vec<Option<usize>>,
    /// Nesting: each column's roots and each item's children.
    roots: Vec<Vec<usize>>,
    children: Vec<Vec<usize>>,
    left: Vec<Vec<usize>>,
    right: Vec<Vec<usize>>,
    /// Partners in links within a column that are not nesting.
    partners: Vec<Vec<usize>>,
    /// Scratch: barycenter sums and counts.
    sum: Vec<f64>,
    count: Vec<usize>,
}

impl Order {
    /// Document order: each column's roots in item order, each child after its parent.
    fn new(items: &[Item], routes: &[Route], arcs: &[Local]) -> Order {
        let n = items.len();
        let mut roots = vec![Vec::new(); COLUMNS];
        let mut children = vec![Vec::new(); n];
        let parent: Vec<Option<usize>> = items.iter().map(|i| i.parent).collect();
        for (index, item) in items.iter().enumerate() {
            match item.parent {
                Some(p) => children[p].push(index),
                None => {
                    if let Some(r) = roots.get_mut(item.col) {
                        r.push(index);
                    }
                }
            }
        }
        let (left, right) = neighbours(n, routes);
        let mut partners = vec![Vec::new(); n];
        for arc in arcs {
            partners[arc.from].push(arc.to);
            partners[arc.to].push(arc.from);
        }
        let mut order = Order {
            columns: vec![Vec::new(); COLUMNS],
            rank: vec![0; n],
            parent,
            roots,
            children,
            left,
            right,
            partners,
            sum: vec![0.0; n],
            count: vec![0; n],
        };
        for col in 0..COLUMNS {
            order.flatten(col);
        }
        order
    }

    /// Rebuilds a column from its roots and children lists (depth first).
    fn flatten(&mut self, col: usize) {
        let mut column = Vec::with_capacity(self.columns[col].len());
        let mut stack: Vec<usize> = self.roots[col].iter().rev().copied().collect();
        while let Some(item) = stack.pop() {
            column.push(item);
            stack.extend(self.children[item].iter().rev());
        }
        for (k, &item) in column.iter().enumerate() {
            self.rank[item] = k;
        }
        self.columns[col] = column;
    }

    /// Sorts column `col` by the barycenters of its items' neighbours in column `by`.
    fn sweep(&mut self, col: usize, by: usize) {
        let own = self.columns[col].len().max(1) as f64;
        let other = self.columns[by].len().max(1) as f64;
        for &item in &self.columns[col] {
            let others = if by < col {
                &self.left[item]
            } else {
                &self.right[item]
            };
            self.sum[item] = others
                .iter()
                .map(|&o| (self.rank[o] as f64 + 0.5) / other)
                .sum();
            self.count[item] = others.len();
        }
        // An item with no neighbour there but linked within the column (an outcome leading
        // to a longer-term one) joins its partners: two passes reach partners of partners.
        for _ in 0..2 {
            for k in 0..self.columns[col].len() {
                let item = self.columns[col][k];
                if self.count[item] > 0 || self.partners[item].is_empty() {
                    continue;
                }
                let (mut sum, mut count) = (0.0, 0usize);
                for &partner in &self.partners[item] {
                    if self.count[partner] > 0 {
                        sum += self.sum[partner] / self.count[partner] as f64;
                        count += 1;
                    }
                }
                if count > 0 {
                    self.sum[item] = sum / count as f64;
                    self.count[item] = 1;
                }
            }
        }
        // Children come after their parent: add each subtree into its root.
        for &item in self.columns[col].iter().rev() {
            if let Some(parent) = self.parent[item] {
                self.sum[parent] += self.sum[item];
                self.count[parent] += self.count[item];
            }
        }
        let key = |order: &Order, item: usize| -> f64 {
            if order.count[item] > 0 {
                order.sum[item] / order.count[item] as f64
            } else {
                (order.rank[item] as f64 + 0.5) / own
            }
        };
        let by_key = |order: &Order, list: &mut Vec<usize>| {
            let mut keyed: Vec<(f64, usize, usize)> = list
                .iter()
                .map(|&i| (key(order, i), order.rank[i], i))
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            list.clear();
            list.extend(keyed.into_iter().map(|k| k.2));
        };
        let mut roots = std::mem::take(&mut self.roots[col]);
        by_key(self, &mut roots);
        self.roots[col] = roots;
        for k in 0..self.columns[col].len() {
            let item = self.columns[col][k];
            if self.children[item].len() > 1 {
                let mut children = std::mem::take(&mut self.children[item]);
                by_key(self, &mut children);
                self.children[item] = children;
            }
        }
        self.flatten(col);
    }

    /// Crossings between neighbouring columns, `O(E log V)`.
    fn crossings(&self) -> usize {
        let mut total = 0;
        for col in 0..COLUMNS - 1 {
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            for &item in &self.columns[col] {
                for &other in &self.right[item] {
                    pairs.push((self.rank[item], self.rank[other]));
                }
            }
            pairs.sort_unstable();
            let size = self.columns[col + 1].len();
            let mut fenwick = vec![0usize; size + 1];
            for (inserted, &(_, r)) in pairs.iter().enumerate() {
                // inserted links ending at or above `r`
                let mut at_or_above = 0;
                let mut i = r + 1;
                while i > 0 {
                    at_or_above += fenwick[i];
                    i -= i & i.wrapping_neg();
                }
                total += inserted - at_or_above;
                let mut i = r + 1;
                while i <= size {
                    fenwick[i] += 1;
                    i += i & i.wrapping_neg();
                }
            }
        }
        total
    }

    /// Barycenter sweeps, keeping the order with the fewest crossings.
    fn minimise_crossings(&mut self, iterations: usize) {
        let mut best = self.crossings();
        let mut best_state = (self.roots.clone(), self.children.clone());
        for _ in 0..iterations {
            if best == 0 {
                break;
            }
            let mut improved = false;
            for down in [true, false] {
                if down {
                    for col in 1..COLUMNS {
                        self.sweep(col, col - 1);
                    }
                } else {
                    for col in (0..COLUMNS - 1).rev() {
                        self.sweep(col, col + 1);
                    }
                }
                let crossings = self.crossings();
                if crossings < best {
                    best = crossings;
                    best_state = (self.roots.clone(), self.children.clone());
                    improved = true;
                }
            }
            if !improved {
                break;
            }
        }
        (self.roots, self.children) = best_state;
        for col in 0..COLUMNS {
            self.flatten(col);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------

/// Document text made safe for XML: tabs and line breaks become spaces, other control
/// characters and non-characters are dropped.
fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => None,
            c => Some(c),
        })
        .collect()
}

/// Escapes text for XML text and attribute values (the text must be [`clean`]): the
/// report's one markup escaper, which leaves cleaned text's characters as they are.
fn escape(text: &str) -> String {
    crate::html::escape(text)
}

/// Cleans then escapes document text.
fn safe(text: &str) -> String {
    escape(&clean(text))
}

/// A character's advance in thousandths of an em (Helvetica-like metrics).
fn advance(c: char) -> f64 {
    let units = match c {
        '\'' => 191,
        'i' | 'j' | 'l' => 222,
        ' ' | 'f' | 't' | 'I' | '.' | ',' | ':' | ';' | '!' | '/' | '\\' | '[' | ']' | '|' => 278,
        'r' | '-' | '(' | ')' | '`' | '{' | '}' => 333,
        '"' => 355,
        'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' | 'J' => 500,
        'L' => 556,
        'F' | 'T' | 'Z' => 611,
        'A' | 'B' | 'E' | 'K' | 'P' | 'S' | 'V' | 'X' | 'Y' | '&' => 667,
        'C' | 'D' | 'H' | 'N' | 'R' | 'U' | 'w' => 722,
        'G' | 'O' | 'Q' => 778,
        'm' | 'M' => 833,
        '%' => 889,
        'W' => 944,
        '—' | '…' | '@' => 1000,
        c if c.is_ascii_alphanumeric() => 556,
        '\u{300}'..='\u{36f}' | '\u{200b}'..='\u{200f}' => 0,
        c if is_wide(c) => 1000,
        _ => 600,
    };
    f64::from(units)
}

/// East Asian wide characters and emoji.
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115f}'
        | '\u{2e80}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}'
        | '\u{ffe0}'..='\u{ffe6}'
        | '\u{1f300}'..='\u{1faff}'
        | '\u{20000}'..='\u{3fffd}')
}

/// The estimated width of a text in pixels at `size`, with a margin for wider system
/// fonts.
fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let units: f64 = text.chars().map(advance).sum();
    let factor = if bold { 1.1 } else { 1.0 };
    units * size / 1000.0 * factor * 1.15
}

/// The longest prefix of `text` that fits in `width` (at least one character when
/// `at_least_one`), and the rest.
fn split_fit(text: &str, width: f64, bold: bool, at_least_one: bool) -> (&str, &str) {
    let mut used = 0.0;
    for (k, (at, c)) in text.char_indices().enumerate() {
        used += text_width(c.encode_utf8(&mut [0; 4]), FONT_SIZE, bold);
        if used > width && !(at_least_one && k == 0) {
            return text.split_at(at);
        }
    }
    (text, "")
}

/// `text` cut with an ellipsis to fit in `width`.
fn ellipsize(text: &str, width: f64, bold: bool) -> String {
    let room = width - text_width("…", FONT_SIZE, bold);
    let (head, _) = split_fit(text, room, bold, false);
    format!("{}…", head.trim_end())
}

/// The id as shown (bold, cut to the width) and the title's lines: the first line
/// follows the id, at most [`MAX_LINES`] in all, an ellipsis when the title is cut.
fn wrap(id: &str, title: &str, width: f64) -> (String, Vec<String>) {
    let id = clean(id);
    let id_text = if text_width(&id, FONT_SIZE, true) > width {
        ellipsize(&id, width, true)
    } else {
        id
    };
    let space = text_width(" ", FONT_SIZE, false);
    let first = width - text_width(&id_text, FONT_SIZE, true) - space;
    let capacity = |line: usize| {
        if line > 0 {
            width
        } else if first >= 40.0 {
            first
        } else {
            0.0
        }
    };
    let title = clean(title);
    let mut lines: Vec<String> = vec![String::new()];
    let mut used = 0.0;
    let mut cut = false;
    'words: for word in title.split_whitespace() {
        let mut word = word;
        loop {
            let line = lines.len() - 1;
            let room = capacity(line);
            let width = text_width(word, FONT_SIZE, false);
            let empty = lines[line].is_empty();
            let needed = if empty { width } else { used + space + width };
            if needed <= room {
                if !empty {
                    lines[line].push(' ');
                }
                lines[line].push_str(word);
                used = needed;
                break;
            }
            if empty && room > 0.0 {
                // a word longer than a line: break it
                let (head, tail) = split_fit(word, room, false, true);
                lines[line].push_str(head);
                used = text_width(head, FONT_SIZE, false);
                word = tail;
                if word.is_empty() {
                    break;
                }
            }
            if lines.len() == MAX_LINES {
                cut = true;
                break 'words;
            }
            lines.push(String::new());
            used = 0.0;
        }
    }
    let room = capacity(lines.len() - 1);
    if cut && let Some(last) = lines.last_mut() {
        let whole = format!("{last}…");
        if text_width(&whole, FONT_SIZE, false) <= room {
            *last = whole;
        } else {
            *last = ellipsize(last, room, false);
        }
    }
    (id_text, lines)
}

// ---------------------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------------------

/// A number rounded to one decimal, without a useless `.0`.
fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 0.0 || !rounded.is_finite() {
        "0".to_owned()
    } else if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// Fill and stroke of an element kind.
fn kind_colours(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Priority => ("#fee2e2", "#b91c1c"),
        NodeKind::Action => ("#ffedd5", "#c2410c"),
        NodeKind::Activity => ("#dbeafe", "#1d4ed8"),
        NodeKind::Deliverable => ("#dcfce7", "#15803d"),
        NodeKind::Output => ("#ccfbf1", "#0f766e"),
        NodeKind::Indicator => ("#fef9c3", "#a16207"),
        NodeKind::Outcome => ("#f3e8ff", "#7e22ce"),
        _ => ("#f1f5f9", "#475569"),
    }
}

/// The element kinds of the legend, with their names.
const LEGEND_KINDS: [(NodeKind, &str); 7] = [
    (NodeKind::Priority, "Priority"),
    (NodeKind::Action, "Line of action"),
    (NodeKind::Activity, "Activity"),
    (NodeKind::Deliverable, "Deliverable"),
    (NodeKind::Output, "Output"),
    (NodeKind::Indicator, "Indicator"),
    (NodeKind::Outcome, "Outcome"),
];

/// How a group of link kinds is drawn.
struct EdgeStyle {
    /// Suffix of the arrowhead's id.
    name: &'static str,
    label: &'static str,
    colour: &'static str,
    width: &'static str,
    dash: Option<&'static str>,
}

const EDGE_STYLES: [EdgeStyle; 5] = [
    EdgeStyle {
        name: "nest",
        label: "contains / refines",
        colour: "#94a3b8",
        width: "1.2",
        dash: None,
    },
    EdgeStyle {
        name: "addr",
        label: "addresses",
        colour: "#2563eb",
        width: "1.3",
        dash: None,
    },
    EdgeStyle {
        name: "prod",
        label: "produces",
        colour: "#16a34a",
        width: "1.3",
        dash: Some("6 3"),
    },
    EdgeStyle {
        name: "count",
        label: "counts toward",
        colour: "#16a34a",
        width: "1.3",
        dash: Some("2 3"),
    },
    EdgeStyle {
        name: "meas",
        label: "measures / contributes to",
        colour: "#7c3aed",
        width: "1.3",
        dash: None,
    },
];

/// The style of a link kind (an index in [`EDGE_STYLES`]).
fn edge_style(kind: EdgeKind) -> usize {
    match kind {
        EdgeKind::Addresses => 1,
        EdgeKind::Produces => 2,
        EdgeKind::CountsToward => 3,
        EdgeKind::Measures | EdgeKind::ContributesTo => 4,
        _ => 0,
    }
}

const LEGEND_ROW: f64 = 22.0;

fn draw(chain: &ResultsChain, layout: &Layout) -> String {
    let mut out = String::with_capacity(1024 + 600 * layout.items.len());
    let (width, height) = (num(layout.width), num(layout.height));
    let drawn: usize = layout.drawn.iter().sum();
    let total: usize = layout.total.iter().sum();
    let omitted = total - drawn;
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"results-chain\" \
         viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" \
         aria-labelledby=\"{ID_PREFIX}-title\" aria-describedby=\"{ID_PREFIX}-desc\">"
    );
    let _ = writeln!(out, "<title id=\"{ID_PREFIX}-title\">Results chain</title>");
    let mut summary = format!(
        "{total} elements in six columns, from priorities to outcomes, and {} links.",
        chain.edges.len()
    );
    if omitted > 0 {
        let _ = write!(summary, " {}.", omitted_caption(omitted));
    }
    let _ = writeln!(out, "<desc id=\"{ID_PREFIX}-desc\">{summary}</desc>");
    draw_markers(&mut out);
    let _ = writeln!(
        out,
        "<g font-family=\"{FONT_FAMILY}\" font-size=\"{}\" fill=\"{TEXT_COLOUR}\">",
        num(FONT_SIZE)
    );
    draw_legend(&mut out, omitted);
    draw_columns(&mut out, layout);
    draw_links(&mut out, chain, layout);
    draw_boxes(&mut out, chain, layout);
    if total == 0 {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" fill=\"{MUTED_COLOUR}\">No elements in the results chain.</text>",
            num(MARGIN),
            num(layout.heading_y + 30.0)
        );
    }
    out.push_str("</g>\n</svg>");
    out
}

fn omitted_caption(omitted: usize) -> String {
    if omitted == 1 {
        "1 more element not drawn".to_owned()
    } else {
        format!("{omitted} more elements not drawn")
    }
}

fn draw_markers(out: &mut String) {
    out.push_str("<defs>\n");
    for style in &EDGE_STYLES {
        let _ = writeln!(
            out,
            "<marker id=\"{ID_PREFIX}-arrow-{}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
             markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">\
             <path d=\"M0,1 L10,5 L0,9 z\" fill=\"{}\"/></marker>",
            style.name, style.colour
        );
    }
    out.push_str("</defs>\n");
}

fn draw_legend(out: &mut String, omitted: usize) {
    let mut x = MARGIN;
    let y = MARGIN + 14.0;
    let _ = writeln!(
        out,
        "<g class=\"legend\"><text x=\"{}\" y=\"{}\" font-weight=\"700\">Elements</text>",
        num(x),
        num(y)
    );
    x += 80.0;
    for (kind, label) in LEGEND_KINDS {
        let (fill, stroke) = kind_colours(kind);
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"18\" height=\"12\" rx=\"3\" fill=\"{fill}\" \
             stroke=\"{stroke}\"/><text x=\"{}\" y=\"{}\">{label}</text>",
            num(x),
            num(y - 10.0),
            num(x + 24.0),
            num(y)
        );
        x += 24.0 + text_width(label, FONT_SIZE, false) + 22.0;
    }
    let mut x = MARGIN;
    let y = y + LEGEND_ROW;
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-weight=\"700\">Links</text>",
        num(x),
        num(y)
    );
    x += 80.0;
    for style in &EDGE_STYLES {
        let dash = style
            .dash
            .map(|d| format!(" stroke-dasharray=\"{d}\""))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<path d=\"M{} {}H{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{dash} \
             marker-end=\"url(#{ID_PREFIX}-arrow-{})\"/><text x=\"{}\" y=\"{}\">{}</text>",
            num(x),
            num(y - 4.0),
            num(x + 32.0),
            style.colour,
            style.width,
            style.name,
            num(x + 40.0),
            num(y),
            style.label
        );
        x += 40.0 + text_width(style.label, FONT_SIZE, false) + 22.0;
    }
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" fill=\"{MUTED_COLOUR}\">Arrows point the way a link reads \
         (an activity addresses a line of action); indented boxes are nested in the box above.</text>",
        num(x),
        num(y)
    );
    if omitted > 0 {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-style=\"italic\" fill=\"#b91c1c\">{} (the diagram \
             shows at most {MAX_DRAWN}; the DOT, CSV and JSON-LD exports have them all).</text>",
            num(MARGIN),
            num(y + LEGEND_ROW),
            omitted_caption(omitted)
        );
    }
    out.push_str("</g>\n");
}

fn draw_columns(out: &mut String, layout: &Layout) {
    let top = layout.heading_y - 20.0;
    let bottom = layout.height - MARGIN + 8.0;
    out.push_str("<g class=\"columns\">\n");
    for layer in Layer::ALL {
        let col = layer.index();
        let x = column_x(col);
        let count = if layout.drawn[col] == layout.total[col] {
            layout.total[col].to_string()
        } else {
            format!("{} of {}", layout.drawn[col], layout.total[col])
        };
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"#f8fafc\" \
             stroke=\"#e2e8f0\"/><text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"700\">{}\
             <tspan font-weight=\"400\" fill=\"{MUTED_COLOUR}\"> · {count}</tspan></text>",
            num(x - 8.0),
            num(top),
            num(BOX_W + 16.0),
            num(bottom - top),
            num(x),
            num(layout.heading_y),
            layer.heading()
        );
    }
    out.push_str("</g>\n");
}

/// One link's path, through its waypoints, from its source to its target.
fn route_path(layout: &Layout, route: &Route) -> String {
    // stations: (x entering, x leaving, y), left to right
    let n = route.items.len();
    let mut stations: Vec<(f64, f64, f64)> = Vec::with_capacity(n);
    for (k, &i) in route.items.iter().enumerate() {
        let item = &layout.items[i];
        if k == 0 {
            stations.push((item.right(), item.right(), route.left_port));
        } else if k + 1 == n {
            stations.push((item.x, item.x, route.right_port));
        } else {
            stations.push((item.x - 8.0, item.right() + 8.0, item.centre()));
        }
    }
    if route.reversed {
        stations.reverse();
        for s in &mut stations {
            *s = (s.1, s.0, s.2);
        }
    }
    let mut d = String::new();
    let mut previous: Option<(f64, f64, f64)> = None;
    for s in stations {
        match previous {
            None => {
                let _ = write!(d, "M{} {}", num(s.1), num(s.2));
            }
            Some(p) => {
                let dx = (s.0 - p.1) / 2.0;
                let _ = write!(
                    d,
                    "C{} {} {} {} {} {}",
                    num(p.1 + dx),
                    num(p.2),
                    num(s.0 - dx),
                    num(s.2),
                    num(s.0),
                    num(s.2)
                );
                if s.1 != s.0 {
                    let _ = write!(d, "H{}", num(s.1));
                }
            }
        }
        previous = Some(s);
    }
    d
}

fn draw_links(out: &mut String, chain: &ResultsChain, layout: &Layout) {
    let mut paths: Vec<Vec<(usize, String)>> = vec![Vec::new(); EDGE_STYLES.len()];
    for route in &layout.routes {
        if let Some(edge) = chain.edges.get(route.edge) {
            paths[edge_style(edge.kind)].push((route.edge, route_path(layout, route)));
        }
    }
    for arc in &layout.arcs {
        let Some(edge) = chain.edges.get(arc.edge) else {
            continue;
        };
        let (from, to) = (&layout.items[arc.from], &layout.items[arc.to]);
        let x = from.right().max(to.right());
        let bulge = 14.0 + (0.15 * (to.centre() - from.centre()).abs()).min(ARC_ROOM - 24.0);
        let d = format!(
            "M{} {}C{} {} {} {} {} {}",
            num(from.right()),
            num(from.centre()),
            num(x + bulge),
            num(from.centre()),
            num(x + bulge),
            num(to.centre()),
            num(to.right()),
            num(to.centre())
        );
        paths[edge_style(edge.kind)].push((arc.edge, d));
    }
    for (style, paths) in EDGE_STYLES.iter().zip(&mut paths) {
        if paths.is_empty() {
            continue;
        }
        paths.sort_by_key(|p| p.0);
        let dash = style
            .dash
            .map(|d| format!(" stroke-dasharray=\"{d}\""))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<g class=\"links\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{dash} \
             marker-end=\"url(#{ID_PREFIX}-arrow-{})\">",
            style.colour, style.width, style.name
        );
        for (edge, d) in paths.iter() {
            let Some(link) = chain.edges.get(*edge) else {
                continue;
            };
            let (Some(from), Some(to)) = (chain.nodes.get(link.from), chain.nodes.get(link.to))
            else {
                continue;
            };
            let _ = writeln!(
                out,
                "<path d=\"{d}\"><title>{} {} {}</title></path>",
                safe(&from.id),
                link.kind.as_str().replace('_', " "),
                safe(&to.id)
            );
        }
        out.push_str("</g>\n");
    }
    // Nesting within a column: tree connectors on the left.
    if !layout.tree.is_empty() {
        let style = &EDGE_STYLES[0];
        let _ = writeln!(
            out,
            "<g class=\"nesting\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\">",
            style.colour, style.width
        );
        for link in &layout.tree {
            let (parent, child) = (&layout.items[link.from], &layout.items[link.to]);
            if child.x > parent.x {
                let x = parent.x + INDENT / 2.0;
                let _ = writeln!(
                    out,
                    "<path d=\"M{} {}V{}H{}\"/>",
                    num(x),
                    num(parent.y + parent.h),
                    num(child.centre()),
                    num(child.x)
                );
            } else {
                // past the deepest indentation: an arc on the left
                let bulge = 10.0 + (0.1 * (child.centre() - parent.centre()).abs()).min(30.0);
                let _ = writeln!(
                    out,
                    "<path d=\"M{} {}C{} {} {} {} {} {}\"/>",
                    num(parent.x),
                    num(parent.centre()),
                    num(parent.x - bulge),
                    num(parent.centre()),
                    num(child.x - bulge),
                    num(child.centre()),
                    num(child.x),
                    num(child.centre())
                );
            }
        }
        out.push_str("</g>\n");
    }
}

fn draw_boxes(out: &mut String, chain: &ResultsChain, layout: &Layout) {
    out.push_str("<g class=\"elements\">\n");
    for column in &layout.columns {
        for &i in column {
            let item = &layout.items[i];
            let ItemKind::Node(index) = item.kind else {
                continue;
            };
            let Some(node) = chain.nodes.get(index) else {
                continue;
            };
            let (fill, stroke) = kind_colours(node.kind);
            let id = clean(&node.id);
            let title = clean(&node.title);
            let mut tooltip = if title.trim().is_empty() {
                id
            } else {
                format!("{id} — {title}")
            };
            if node.cancelled {
                tooltip.push_str(" (cancelled)");
            }
            let _ = write!(
                out,
                "<g><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"5\" \
                 fill=\"{fill}\" stroke=\"{stroke}\"/>",
                escape(&tooltip),
                num(item.x),
                num(item.y),
                num(item.w),
                num(item.h)
            );
            let x = num(item.x + PAD_X);
            let _ = write!(
                out,
                "<text x=\"{x}\" y=\"{}\"{}><tspan font-weight=\"700\">{}</tspan>",
                num(item.y + PAD_Y + BASELINE),
                if node.cancelled {
                    " text-decoration=\"line-through\""
                } else {
                    ""
                },
                escape(&item.id_text)
            );
            for (k, line) in item.lines.iter().enumerate() {
                if k == 0 {
                    if !line.is_empty() {
                        let _ = write!(out, " {}", escape(line));
                    }
                } else {
                    let _ = write!(
                        out,
                        "<tspan x=\"{x}\" y=\"{}\">{}</tspan>",
                        num(item.y + PAD_Y + BASELINE + LINE_H * k as f64),
                        escape(line)
                    );
                }
            }
            out.push_str("</text></g>\n");
        }
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::{ChainEdge, ChainNode};

    fn node(id: &str, kind: NodeKind) -> ChainNode {
        ChainNode {
            id: id.to_owned(),
            kind,
            title: format!("Title of {id}"),
            layer: Layer::of(kind).unwrap(),
            cancelled: false,
        }
    }

    fn reference() -> ResultsChain {
        let loaded = policygraph::load_path(
            std::path::Path::new("../../examples/pompidou-2023-2025.yaml"),
            &policygraph::Limits::default(),
        )
        .unwrap();
        let graph = policygraph::Graph::build(&loaded.document);
        ResultsChain::of(&graph)
    }

    /// Crossings between neighbouring columns, counted pair by pair from the coordinates.
    fn naive_crossings(layout: &Layout) -> usize {
        let mut segments: Vec<(usize, f64, f64)> = Vec::new();
        for route in &layout.routes {
            for pair in route.items.windows(2) {
                let (a, b) = (&layout.items[pair[0]], &layout.items[pair[1]]);
                segments.push((a.col, a.centre(), b.centre()));
            }
        }
        let mut crossings = 0;
        for (k, s) in segments.iter().enumerate() {
            for t in &segments[k + 1..] {
                if s.0 == t.0 && (s.1 - t.1) * (s.2 - t.2) < 0.0 {
                    crossings += 1;
                }
            }
        }
        crossings
    }

    #[test]
    fn layers_are_columns_left_to_right() {
        let chain = reference();
        let layout = Layout::of(&chain, ITERATIONS);
        for item in &layout.items {
            if let ItemKind::Node(index) = item.kind {
                let col = chain.nodes[index].layer.index();
                assert_eq!(item.col, col);
                assert!(item.x >= column_x(col) && item.right() <= column_x(col) + BOX_W + 0.01);
            }
        }
        for col in 1..COLUMNS {
            let left_end = layout.columns[col - 1]
                .iter()
                .map(|&i| layout.items[i].right())
                .fold(0.0, f64::max);
            let right_start = layout.columns[col]
                .iter()
                .map(|&i| layout.items[i].x)
                .fold(f64::MAX, f64::min);
            assert!(left_end + COL_GAP / 2.0 < right_start, "column {col}");
        }
        assert_eq!(layout.drawn, layout.total);
        assert_eq!(layout.drawn.iter().sum::<usize>(), chain.nodes.len());
    }

    #[test]
    fn no_two_boxes_overlap_in_a_column() {
        let layout = Layout::of(&reference(), ITERATIONS);
        for column in &layout.columns {
            let mut spans: Vec<(f64, f64)> = column
                .iter()
                .map(|&i| (layout.items[i].y, layout.items[i].y + layout.items[i].h))
                .collect();
            // the column order is the vertical order
            assert!(spans.windows(2).all(|p| p[0].0 < p[1].0));
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            for pair in spans.windows(2) {
                assert!(pair[0].1 + GAP_WAYPOINT - 0.01 <= pair[1].0, "{pair:?}");
            }
        }
    }

    #[test]
    fn children_follow_their_parent_indented() {
        let chain = reference();
        let layout = Layout::of(&chain, ITERATIONS);
        assert!(!layout.tree.is_empty());
        for link in &layout.tree {
            let (parent, child) = (&layout.items[link.from], &layout.items[link.to]);
            assert_eq!(parent.col, child.col);
            assert!(child.y > parent.y);
            assert!(child.x > parent.x);
        }
        // outcome contributes to outcome: an arc
        assert!(!layout.arcs.is_empty());
    }

    #[test]
    fn barycenter_ordering_reduces_crossings() {
        // Lines listed alternately under two priorities, activities in scrambled order.
        let mut nodes = vec![
            node("P1", NodeKind::Priority),
            node("P2", NodeKind::Priority),
        ];
        for k in 1..=6 {
            nodes.push(node(&format!("L{k}"), NodeKind::Action));
        }
        for k in 1..=6 {
            nodes.push(node(&format!("A{k}"), NodeKind::Activity));
        }
        let mut edges = Vec::new();
        for k in 0..6 {
            // P1 contains L1, L3, L5; P2 contains L2, L4, L6
            edges.push(ChainEdge {
                from: k % 2,
                to: 2 + k,
                kind: EdgeKind::Contains,
            });
        }
        for (activity, line) in [(0, 5), (1, 0), (2, 3), (3, 2), (4, 1), (5, 4)] {
            edges.push(ChainEdge {
                from: 8 + activity,
                to: 2 + line,
                kind: EdgeKind::Addresses,
            });
        }
        let chain = ResultsChain { nodes, edges };
        let document_order = Layout::of(&chain, 0);
        let sorted = Layout::of(&chain, ITERATIONS);
        let before = naive_crossings(&document_order);
        let after = naive_crossings(&sorted);
        assert!(before >= 6, "{before}");
        assert!(after < before, "{after} vs {before}");
        assert_eq!(after, 0);
        // the fast count agrees with the pairwise one
        let order = Order::new(&sorted.items, &sorted.routes, &sorted.arcs);
        assert_eq!(order.crossings(), before);
    }

    #[test]
    fn long_links_pass_through_waypoints() {
        let nodes = vec![
            node("P1", NodeKind::Priority),
            node("A1", NodeKind::Activity),
            node("I1", NodeKind::Indicator),
        ];
        let edges = vec![
            ChainEdge {
                from: 1,
                to: 0,
                kind: EdgeKind::Addresses,
            },
            ChainEdge {
                from: 1,
                to: 2,
                kind: EdgeKind::CountsToward,
            },
        ];
        let layout = Layout::of(&ResultsChain { nodes, edges }, ITERATIONS);
        assert_eq!(layout.routes[0].items.len(), 3);
        assert!(layout.routes[0].reversed);
        assert_eq!(layout.routes[1].items.len(), 3);
        assert!(!layout.routes[1].reversed);
        let waypoints: Vec<usize> = layout
            .items
            .iter()
            .filter(|i| !i.is_node())
            .map(|i| i.col)
            .collect();
        assert_eq!(waypoints, [1, 3]);
    }

    #[test]
    fn wrapping_is_bounded_with_an_ellipsis() {
        let (id, lines) = wrap("A1", "short", 190.0);
        assert_eq!((id.as_str(), lines), ("A1", vec!["short".to_owned()]));
        let long = "word ".repeat(60);
        let (_, lines) = wrap("A1", &long, 190.0);
        assert_eq!(lines.len(), MAX_LINES);
        assert!(lines[2].ends_with('…'));
        for line in &lines[1..] {
            assert!(text_width(line, FONT_SIZE, false) <= 190.0);
        }
        // one endless word is broken, an endless id is cut
        let (id, lines) = wrap(&"X".repeat(80), &"y".repeat(200), 190.0);
        assert!(id.ends_with('…'));
        assert_eq!(lines.len(), MAX_LINES);
        assert!(lines[0].is_empty());
        assert!(lines[2].ends_with('…'));
        // control characters
        let (_, lines) = wrap("A\u{0}1", "a\tb\nc\rd\u{7}e", 190.0);
        assert_eq!(lines, vec!["a b c de".to_owned()]);
    }

    #[test]
    fn escaping() {
        assert_eq!(
            safe("<a href='x'>\"&\"</a>\u{1}\u{b}\t"),
            "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt; "
        );
    }

    #[test]
    fn numbers_have_one_decimal_at_most() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.25), "1.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(12.34), "12.3");
    }

    #[test]
    fn large_chains_are_capped_and_stay_fast() {
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        for k in 0..20 {
            nodes.push(node(&format!("P{k}"), NodeKind::Priority));
        }
        for k in 0..2000 {
            nodes.push(node(&format!("L{k}"), NodeKind::Action));
            edges.push(ChainEdge {
                from: k % 20,
                to: 20 + k,
                kind: EdgeKind::Contains,
            });
        }
        for k in 0..10_000 {
            nodes.push(node(&format!("A{k}"), NodeKind::Activity));
            edges.push(ChainEdge {
                from: 2020 + k,
                to: 20 + (k * 7919) % 2000,
                kind: EdgeKind::Addresses,
            });
            edges.push(ChainEdge {
                from: 2020 + k,
                to: (k * 31) % 20,
                kind: EdgeKind::Addresses,
            });
        }
        let chain = ResultsChain { nodes, edges };
        let started = std::time::Instant::now();
        let svg = render(&chain);
        let elapsed = started.elapsed();
        let boxes = svg.matches("<g><title>").count();
        assert_eq!(boxes, MAX_DRAWN);
        // 20 priorities, then the rest shared between lines and activities
        let layout = Layout::of(&chain, ITERATIONS);
        assert_eq!(layout.drawn[0], 20);
        assert_eq!(layout.drawn[1], 740);
        assert_eq!(layout.drawn[2], 740);
        assert!(svg.contains("10520 more elements not drawn"));
        assert!(elapsed.as_secs() < 20, "{elapsed:?}");
    }

    #[test]
    fn empty_chain() {
        let svg = render(&ResultsChain::default());
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("No elements in the results chain."));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn nesting_cycles_are_broken() {
        let nodes = vec![
            node("A1", NodeKind::Activity),
            node("A2", NodeKind::Activity),
        ];
        let edges = vec![
            ChainEdge {
                from: 0,
                to: 1,
                kind: EdgeKind::Contains,
            },
            ChainEdge {
                from: 1,
                to: 0,
                kind: EdgeKind::Contains,
            },
        ];
        let layout = Layout::of(&ResultsChain { nodes, edges }, ITERATIONS);
        assert_eq!(layout.tree.len(), 1);
        assert_eq!(layout.arcs.len(), 1);
        assert_eq!(layout.columns[2].len(), 2);
    }
}
