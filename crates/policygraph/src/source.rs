//! Source texts and the located tree that maps JSON Pointers to lines and columns.
//!
//! The fast path of loading never builds this tree: it is built only to explain a
//! document that failed to load, or to locate findings when there are some.

use std::fmt;
use std::fmt::Write as _;

use rustc_hash::FxHashMap;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::diagnostic::{Location, pointer_tokens};
use crate::format::Format;

/// A document's text, with its format and (when it came from a file) its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The file name as given, when the text came from a file.
    pub name: Option<String>,
    /// The format.
    pub format: Format,
    /// The text.
    pub text: String,
}

impl Source {
    /// A source from text.
    pub fn new(name: Option<String>, format: Format, text: String) -> Source {
        Source { name, format, text }
    }

    /// The location of a byte offset.
    pub fn location_at(&self, offset: usize, length: usize) -> Location {
        let offset = offset.min(self.text.len());
        let before = &self.text.as_bytes()[..offset];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        let column = self
            .text
            .get(line_start..offset)
            .map_or(offset - line_start, |s| s.chars().count())
            + 1;
        Location {
            file: self.name.clone(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            offset,
            length,
        }
    }

    /// The locations of many (offset, length) pairs, in one pass over the text (locating
    /// each on its own would scan the text once per location).
    pub(crate) fn locations_at(&self, spans: &[(usize, usize)]) -> Vec<Option<Location>> {
        let bytes = self.text.as_bytes();
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| spans[i].0);
        let mut out = vec![None; spans.len()];
        // the line and the column (characters since the line's start) are carried
        // along, so that many places on one long line (minified JSON) cost one pass
        let (mut at, mut line, mut column) = (0usize, 1usize, 0usize);
        for i in order {
            let (offset, length) = spans[i];
            let offset = offset.min(bytes.len());
            for b in &bytes[at..offset] {
                if *b == b'\n' {
                    line += 1;
                    column = 0;
                } else if b & 0xC0 != 0x80 {
                    // a character starts at each byte that continues none
                    column += 1;
                }
            }
            at = offset;
            let column = column + 1;
            out[i] = Some(Location {
                file: self.name.clone(),
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
                offset,
                length,
            });
        }
        out
    }

    /// Gives every pending location of the diagnostics (line 0, see [`Span::pending`])
    /// its line and column, in one pass over the text.
    pub(crate) fn settle_locations(&self, diagnostics: &mut [crate::diagnostic::Diagnostic]) {
        let pending = |l: &Option<Location>| l.as_ref().is_some_and(|l| l.line == 0);
        let mut spans = Vec::new();
        for d in diagnostics.iter() {
            for l in std::iter::once(&d.location).chain(d.related.iter().map(|r| &r.location)) {
                if let Some(l) = l.as_ref().filter(|_| pending(l)) {
                    spans.push((l.offset, l.length));
                }
            }
        }
        if spans.is_empty() {
            return;
        }
        let mut located = self.locations_at(&spans).into_iter();
        for d in diagnostics.iter_mut() {
            for l in std::iter::once(&mut d.location)
                .chain(d.related.iter_mut().map(|r| &mut r.location))
            {
                if pending(l) {
                    *l = located.next().flatten();
                }
            }
        }
    }

    /// The location of a line and column (both from 1, the column in characters).
    pub fn location_of_line_column(&self, line: usize, column: usize) -> Location {
        let mut offset = 0;
        for (i, l) in self.text.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let col_bytes: usize = l
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(char::len_utf8)
                    .sum();
                offset += col_bytes;
                break;
            }
            offset += l.len();
        }
        let mut loc = self.location_at(offset, 0);
        loc.line = u32::try_from(line).unwrap_or(u32::MAX);
        loc.column = u32::try_from(column.max(1)).unwrap_or(u32::MAX);
        loc
    }
}

/// Where a node is: byte offset and length when known, else line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub offset: Option<usize>,
    pub length: usize,
    pub line: usize,
    pub column: usize,
}

/// A node of the located tree.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub span: Span,
    pub tree: Tree,
}

/// A mapping key with its place.
#[derive(Clone, Debug)]
pub(crate) struct Key {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub(crate) enum Tree {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Seq(Vec<Node>),
    /// Some items of a list, with their positions (in a pruned tree).
    Sparse(Vec<(usize, Node)>),
    Map(Entries),
}

/// A mapping's entries in source order, with an index by name when there are many (so
/// that looking up each of many keys of one mapping stays linear in all).
#[derive(Clone, Debug, Default)]
pub(crate) struct Entries {
    entries: Vec<(Key, Node)>,
    /// Name → position of its last entry; only for mappings of more than `INDEXED` entries.
    index: Option<FxHashMap<String, usize>>,
}

/// Mappings longer than this get an index by name.
const INDEXED: usize = 16;

impl From<Vec<(Key, Node)>> for Entries {
    fn from(entries: Vec<(Key, Node)>) -> Entries {
        let index = (entries.len() > INDEXED).then(|| {
            let mut index = FxHashMap::default();
            index.reserve(entries.len());
            for (i, (k, _)) in entries.iter().enumerate() {
                index.insert(k.name.clone(), i);
            }
            index
        });
        Entries { entries, index }
    }
}

impl std::ops::Deref for Entries {
    type Target = [(Key, Node)];
    fn deref(&self) -> &[(Key, Node)] {
        &self.entries
    }
}

impl<'a> IntoIterator for &'a Entries {
    type Item = &'a (Key, Node);
    type IntoIter = std::slice::Iter<'a, (Key, Node)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}

impl Entries {
    /// The last entry of a name (a repeated key keeps its last value, as serde does).
    fn get(&self, name: &str) -> Option<&(Key, Node)> {
        match &self.index {
            Some(index) => index.get(name).and_then(|&i| self.entries.get(i)),
            None => self.entries.iter().rev().find(|(k, _)| k.name == name),
        }
    }
}

/// The item at a position of a sparse list (its items are in increasing position).
fn sparse_get(items: &[(usize, Node)], i: usize) -> Option<&Node> {
    items
        .binary_search_by_key(&i, |(at, _)| *at)
        .ok()
        .and_then(|p| items.get(p))
        .map(|(_, n)| n)
}

impl Node {
    /// The node as a JSON value (keys that repeat keep their last value, as serde does).
    pub fn to_value(&self) -> Value {
        match &self.tree {
            Tree::Null => Value::Null,
            Tree::Bool(b) => Value::Bool(*b),
            Tree::Number(n) => Value::Number(n.clone()),
            Tree::String(s) => Value::String(s.clone()),
            Tree::Seq(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Tree::Sparse(items) => Value::Array(items.iter().map(|(_, n)| n.to_value()).collect()),
            Tree::Map(entries) => {
                let mut map = serde_json::Map::with_capacity(entries.len());
                for (k, v) in entries {
                    map.insert(k.name.clone(), v.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// The node a JSON Pointer names, and the key that leads to it (if the last step is a key).
    pub fn find(&self, pointer: &str) -> Option<(&Node, Option<&Key>)> {
        let mut node = self;
        let mut key = None;
        for token in pointer_tokens(pointer) {
            match &node.tree {
                Tree::Map(entries) => {
                    let (k, v) = entries.get(&token)?;
                    key = Some(k);
                    node = v;
                }
                Tree::Seq(items) => {
                    node = items.get(token.parse::<usize>().ok()?)?;
                    key = None;
                }
                Tree::Sparse(items) => {
                    node = sparse_get(items, token.parse::<usize>().ok()?)?;
                    key = None;
                }
                _ => return None,
            }
        }
        Some((node, key))
    }

    /// The nearest node along a pointer: the node itself, or the deepest ancestor that exists.
    pub fn nearest(&self, pointer: &str) -> &Node {
        let mut node = self;
        for token in pointer_tokens(pointer) {
            let next = match &node.tree {
                Tree::Map(entries) => entries.get(&token).map(|(_, v)| v),
                Tree::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                Tree::Sparse(items) => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| sparse_get(items, i)),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node
    }

    /// The JSON Pointer of the innermost node at a byte offset: at each level the child
    /// whose span holds it, or else the one that starts last at or before it. Children
    /// are not always in source order (TOML tables come in any order, and a table's
    /// sub-tables can follow other tables), so the choice is by place, not by position.
    pub fn pointer_at(&self, offset: usize) -> String {
        fn pick<'a, T>(
            children: impl Iterator<Item = (T, &'a Node, Option<usize>)>,
            offset: usize,
        ) -> Option<(T, &'a Node)> {
            let mut best: Option<(usize, T, &'a Node)> = None;
            for (token, node, key_start) in children {
                let start = match (node.span.offset, key_start) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                let Some(start) = start.filter(|s| *s <= offset) else {
                    continue;
                };
                let end = node.span.offset.map_or(start, |o| o + node.span.length);
                if offset < end {
                    return Some((token, node));
                }
                if best.as_ref().is_none_or(|(b, _, _)| start >= *b) {
                    best = Some((start, token, node));
                }
            }
            best.map(|(_, token, node)| (token, node))
        }
        let mut pointer = String::new();
        let mut node = self;
        loop {
            let next = match &node.tree {
                Tree::Map(entries) => pick(
                    entries
                        .iter()
                        .map(|(k, v)| (crate::diagnostic::escape_token(&k.name), v, k.span.offset)),
                    offset,
                ),
                Tree::Seq(items) => pick(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (i.to_string(), v, None)),
                    offset,
                ),
                Tree::Sparse(items) => {
                    pick(items.iter().map(|(i, v)| (i.to_string(), v, None)), offset)
                }
                _ => None,
            };
            match next {
                Some((token, child)) => {
                    pointer.push('/');
                    pointer.push_str(&token);
                    node = child;
                }
                None => return pointer,
            }
        }
    }

    /// Every key that appears twice in one mapping: (pointer of the mapping, first key, second key).
    pub fn duplicate_keys(&self) -> Vec<(String, Key, Key)> {
        let mut out = Vec::new();
        self.collect_duplicates(&mut String::new(), &mut out);
        out
    }

    fn collect_duplicates(&self, path: &mut String, out: &mut Vec<(String, Key, Key)>) {
        match &self.tree {
            Tree::Map(entries) => {
                let mut seen: std::collections::HashMap<&str, &Key> =
                    std::collections::HashMap::new();
                for (k, v) in entries {
                    if let Some(first) = seen.insert(&k.name, k) {
                        out.push((path.clone(), first.clone(), k.clone()));
                    }
                    let len = path.len();
                    path.push('/');
                    path.push_str(&crate::diagnostic::escape_token(&k.name));
                    v.collect_duplicates(path, out);
                    path.truncate(len);
                }
            }
            Tree::Seq(items) => {
                for (i, v) in items.iter().enumerate() {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&i.to_string());
                    v.collect_duplicates(path, out);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
}

impl Span {
    /// The location with its offset only, line and column 0 until
    /// [`Source::settle_locations`] gives them (in one pass for many locations).
    pub fn pending(&self, source: &Source) -> Location {
        match self.offset {
            Some(offset) => Location {
                file: source.name.clone(),
                line: 0,
                column: 0,
                offset: offset.min(source.text.len()),
                length: self.length,
            },
            None => source.location_of_line_column(self.line, self.column),
        }
    }

    pub fn location(&self, source: &Source) -> Location {
        match self.offset {
            Some(offset) => source.location_at(offset, self.length),
            None => source.location_of_line_column(self.line, self.column),
        }
    }
}

/// Why the located tree could not be built: a syntax error or a bound exceeded.
#[derive(Debug)]
pub(crate) struct TreeError {
    pub message: String,
    pub span: Option<Span>,
    pub limit: bool,
}

/// Builds the located tree of a source.
pub(crate) fn parse_tree(source: &Source, limits: &crate::load::Limits) -> Result<Node, TreeError> {
    match source.format {
        Format::Yaml | Format::Json => {
            let options = crate::load::yaml_options(limits, true, source.text.len());
            serde_saphyr::from_str_with_options::<Node>(&source.text, options)
                .map_err(|e| crate::load::yaml_tree_error(&e))
        }
        Format::Toml => toml_tree(&source.text),
    }
}

/// Builds the located tree of a source, keeping only the paths to `pointers` (and the
/// nodes along them): everything else is parsed and skipped, so locating a few findings
/// in a large document costs a parse, not a tree of the whole document. TOML documents
/// get the whole tree.
pub(crate) fn parse_tree_for(
    source: &Source,
    limits: &crate::load::Limits,
    pointers: &[&str],
) -> Result<Node, TreeError> {
    let mut trie = Prune {
        nodes: vec![FxHashMap::default()],
        stack: vec![0],
    };
    for pointer in pointers {
        let mut at = 0;
        for token in pointer_tokens(pointer) {
            let next = trie.nodes.len();
            at = *trie.nodes[at].entry(token).or_insert(next);
            if at == next {
                trie.nodes.push(FxHashMap::default());
            }
        }
    }
    if source.format == Format::Json {
        // JSON has a parser of its own that gives byte positions, many times faster
        // than reading JSON as YAML
        return json_tree_for(&source.text, &trie, limits.max_depth.max(JSON_DEPTH));
    }
    PRUNE.with(|p| *p.borrow_mut() = Some(trie));
    let tree = parse_tree(source, limits);
    PRUNE.with(|p| *p.borrow_mut() = None);
    tree
}

/// The paths a pruned tree keeps: a trie of pointer tokens, and where the parse is in it.
struct Prune {
    /// Trie nodes: token → child node; node 0 is the root.
    nodes: Vec<FxHashMap<String, usize>>,
    /// The trie node of each value being built.
    stack: Vec<usize>,
}

impl Prune {
    /// The trie node under `token` of node `at`, if a wanted path goes there.
    fn child(&self, at: usize, token: &str) -> Option<usize> {
        self.nodes.get(at).and_then(|n| n.get(token).copied())
    }
}

thread_local! {
    /// Set while [`parse_tree_for`] runs on this thread; the tree's visitors read it.
    static PRUNE: std::cell::RefCell<Option<Prune>> = const { std::cell::RefCell::new(None) };
}

/// Whether the value under `token` of the value being built is kept; if so, enters it.
fn prune_enter(token: &str) -> bool {
    PRUNE.with(|p| {
        let mut p = p.borrow_mut();
        let Some(p) = p.as_mut() else {
            return true;
        };
        let Some(&at) = p.stack.last() else {
            return false;
        };
        // where a wanted pointer ends, its node's own place is all that is needed: the
        // values below it are skipped
        match p.child(at, token) {
            Some(c) => {
                p.stack.push(c);
                true
            }
            None => false,
        }
    })
}

/// Whether a pruned tree is being built on this thread.
fn prune_active() -> bool {
    PRUNE.with(|p| p.borrow().is_some())
}

/// Leaves a value entered with [`prune_enter`].
fn prune_leave() {
    PRUNE.with(|p| {
        if let Some(p) = p.borrow_mut().as_mut() {
            p.stack.pop();
        }
    });
}

// ---- JSON, when locating findings: jiter, a pull parser that gives byte positions ----

/// The deepest nesting serde_json (which loads JSON documents) accepts.
const JSON_DEPTH: usize = 128;

/// Builds the pruned located tree of a JSON text: the tree `parse_tree_for` builds
/// through the YAML parser, with the same spans (a scalar's whole token, a container's
/// opening bracket, a key's quoted name), in one pass that skips every value off the
/// wanted paths without building it.
fn json_tree_for(text: &str, trie: &Prune, max_depth: usize) -> Result<Node, TreeError> {
    // a byte order mark is not JSON; positions still count it
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let data = text.as_bytes().get(base..).unwrap_or_default();
    let mut walk = JsonWalk {
        j: jiter::Jiter::new(data),
        data,
        base,
        trie,
        max_depth,
        token: String::new(),
    };
    let mut whole = || -> Result<Node, WalkError> {
        let peek = walk.j.peek()?;
        let node = walk.node(peek, 0, 0)?;
        walk.j.finish()?;
        Ok(node)
    };
    whole().map_err(|e| match e {
        WalkError::Json(e) => TreeError {
            message: e.error_type.to_string(),
            span: Some(json_span(base, e.index, 0)),
            limit: false,
        },
        WalkError::TooDeep(index) => TreeError {
            message: "the document nests deeper than the depth limit".to_owned(),
            span: Some(json_span(base, index, 1)),
            limit: true,
        },
    })
}

/// Why a JSON walk stopped: the parser's error, or nesting past the limit at an index.
enum WalkError {
    Json(jiter::JiterError),
    TooDeep(usize),
}

impl From<jiter::JiterError> for WalkError {
    fn from(e: jiter::JiterError) -> WalkError {
        WalkError::Json(e)
    }
}

struct JsonWalk<'j, 'p> {
    j: jiter::Jiter<'j>,
    data: &'j [u8],
    /// Bytes before `data` in the text.
    base: usize,
    trie: &'p Prune,
    max_depth: usize,
    /// Scratch for list positions as pointer tokens.
    token: String,
}

/// The span at `index` of the parsed bytes, which start `base` bytes into the text.
fn json_span(base: usize, index: usize, length: usize) -> Span {
    Span {
        offset: Some(base + index),
        length,
        line: 0,
        column: 0,
    }
}

impl JsonWalk<'_, '_> {
    fn span(&self, index: usize, length: usize) -> Span {
        json_span(self.base, index, length)
    }

    /// The value that `peek` starts, at trie node `at`.
    fn node(&mut self, peek: jiter::Peek, at: usize, depth: usize) -> Result<Node, WalkError> {
        use jiter::Peek;
        let start = self.j.current_index();
        let nested = matches!(peek, Peek::Object | Peek::Array);
        if nested && depth >= self.max_depth {
            return Err(WalkError::TooDeep(start));
        }
        let tree = match peek {
            Peek::Object => self.object(at, depth)?,
            Peek::Array => self.array(at, depth)?,
            Peek::String => Tree::String(self.j.known_str()?.to_owned()),
            Peek::Null => {
                self.j.known_null()?;
                Tree::Null
            }
            Peek::True | Peek::False => Tree::Bool(self.j.known_bool(peek)?),
            _ => {
                let raw = self.j.known_number_bytes(peek)?;
                let raw = std::str::from_utf8(raw).unwrap_or_default();
                raw.parse::<serde_json::Number>()
                    .map_or_else(|_| Tree::String(raw.to_owned()), Tree::Number)
            }
        };
        // a mapping or list is placed at its opening bracket, as the YAML parser does
        let length = if nested {
            1
        } else {
            self.j.current_index().saturating_sub(start)
        };
        Ok(Node {
            span: self.span(start, length),
            tree,
        })
    }

    fn object(&mut self, at: usize, depth: usize) -> Result<Tree, WalkError> {
        let mut entries = Vec::new();
        let mut before = self.j.current_index();
        let mut key = self.j.known_object()?.map(str::to_owned);
        while let Some(name) = key {
            let span = self.key_span(before);
            let peek = self.j.peek()?;
            match self.trie.child(at, &name) {
                Some(child) => {
                    let value = self.node(peek, child, depth + 1)?;
                    entries.push((Key { name, span }, value));
                }
                None => self.j.known_skip(peek)?,
            }
            before = self.j.current_index();
            key = self.j.next_key()?.map(str::to_owned);
        }
        Ok(Tree::Map(entries.into()))
    }

    /// The quoted name of the key just read: from the first `"` after `before` (where
    /// the `{` or `,` ahead of it was) to the last `"` ahead of the colon.
    fn key_span(&self, before: usize) -> Span {
        let colon = self.j.current_index().saturating_sub(1);
        let region = self.data.get(before..colon).unwrap_or_default();
        match (
            region.iter().position(|&b| b == b'"'),
            region.iter().rposition(|&b| b == b'"'),
        ) {
            (Some(open), Some(close)) if close > open => self.span(before + open, close + 1 - open),
            _ => self.span(before, 0),
        }
    }

    fn array(&mut self, at: usize, depth: usize) -> Result<Tree, WalkError> {
        let mut items = Vec::new();
        let mut next = self.j.known_array()?;
        let mut index = 0usize;
        while let Some(peek) = next {
            self.token.clear();
            let _ = write!(self.token, "{index}");
            match self.trie.child(at, &self.token) {
                Some(child) => items.push((index, self.node(peek, child, depth + 1)?)),
                None => self.j.known_skip(peek)?,
            }
            index += 1;
            next = self.j.array_step()?;
        }
        Ok(Tree::Sparse(items))
    }
}

// ---- YAML (and JSON, which YAML 1.2 reads) through serde-saphyr's spans ----

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<Tree>::deserialize(d)?;
        Ok(Node {
            span: saphyr_span(&spanned.referenced),
            tree: spanned.value,
        })
    }
}

fn saphyr_span(loc: &serde_saphyr::Location) -> Span {
    let span = loc.span();
    Span {
        offset: span.byte_offset().and_then(|o| usize::try_from(o).ok()),
        length: span
            .byte_len()
            .and_then(|l| usize::try_from(l).ok())
            .unwrap_or(0),
        line: usize::try_from(loc.line()).unwrap_or(0),
        column: usize::try_from(loc.column()).unwrap_or(0),
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree, E> {
        Ok(Tree::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Tree::String(v.to_string()), Tree::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Tree, E> {
        Ok(Tree::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
        Tree::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        if !prune_active() {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element::<Node>()? {
                items.push(item);
            }
            return Ok(Tree::Seq(items));
        }
        // a pruned tree keeps the wanted items with their positions
        let mut items = Vec::new();
        let mut token = String::new();
        for index in 0usize.. {
            token.clear();
            let _ = write!(token, "{index}");
            if prune_enter(&token) {
                let item = seq.next_element::<Node>();
                prune_leave();
                match item? {
                    Some(item) => items.push((index, item)),
                    None => break,
                }
            } else if seq.next_element::<de::IgnoredAny>()?.is_none() {
                break;
            }
        }
        Ok(Tree::Sparse(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<serde_saphyr::Spanned<KeyText>>()? {
            if !prune_enter(&key.value.0) {
                map.next_value::<de::IgnoredAny>()?;
                continue;
            }
            let value = map.next_value::<Node>();
            prune_leave();
            let value = value?;
            entries.push((
                Key {
                    name: key.value.0,
                    span: saphyr_span(&key.referenced),
                },
                value,
            ));
        }
        Ok(Tree::Map(entries.into()))
    }
}

struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Ok(KeyText("null".into()))
            }
        }
        d.deserialize_any(V)
    }
}

// ---- TOML through toml's spanned document ----

fn toml_tree(text: &str) -> Result<Node, TreeError> {
    let table = toml::de::DeTable::parse(text).map_err(|e| {
        let span = e.span().map(|r| Span {
            offset: Some(r.start),
            length: r.len(),
            line: 0,
            column: 0,
        });
        if e.message() == "recursion limit" {
            // the parser's own bound (80), met by a dotted key of as many parts (inline
            // nesting that deep is refused before parsing); it gives no place: the
            // longest dotted key is the place
            return TreeError {
                message:
                    "the document nests deeper than TOML's parser reads (80 parts of a dotted key)"
                        .to_owned(),
                span: span.or_else(|| Some(longest_dotted_key(text))),
                limit: true,
            };
        }
        TreeError {
            message: e.message().to_owned(),
            span,
            limit: false,
        }
    })?;
    let span = table.span();
    Ok(Node {
        span: range_span(span),
        tree: toml_table(table.into_inner()),
    })
}

/// The line with the most dots outside quotes (the longest dotted key), as a span.
fn longest_dotted_key(text: &str) -> Span {
    let (mut best, mut best_dots, mut at) = (0, 0, 0);
    for line in text.split_inclusive('\n') {
        let mut dots = 0;
        let mut quote = None;
        for b in line.bytes() {
            match (quote, b) {
                (None, b'"' | b'\'') => quote = Some(b),
                (Some(q), _) if q == b => quote = None,
                (None, b'.') => dots += 1,
                (None, b'=' | b'#') => break,
                _ => {}
            }
        }
        if dots > best_dots {
            (best, best_dots) = (at, dots);
        }
        at += line.len();
    }
    Span {
        offset: Some(best),
        length: 1,
        line: 0,
        column: 0,
    }
}

fn range_span(r: std::ops::Range<usize>) -> Span {
    Span {
        offset: Some(r.start),
        length: r.len(),
        line: 0,
        column: 0,
    }
}

fn toml_table(table: toml::de::DeTable<'_>) -> Tree {
    Tree::Map(
        table
            .into_iter()
            .map(|(k, v)| {
                let key = Key {
                    name: k.get_ref().to_string(),
                    span: range_span(k.span()),
                };
                let span = range_span(v.span());
                (
                    key,
                    Node {
                        span,
                        tree: toml_value(v.into_inner()),
                    },
                )
            })
            .collect::<Vec<_>>()
            .into(),
    )
}

fn toml_value(value: toml::de::DeValue<'_>) -> Tree {
    use toml::de::DeValue;
    match value {
        DeValue::String(s) => Tree::String(s.to_string()),
        DeValue::Integer(i) => {
            let text = i.as_str().replace('_', "");
            let parsed = match i.radix() {
                10 => text.parse::<i64>().ok(),
                r => i64::from_str_radix(text.get(2..).unwrap_or(""), r).ok(),
            };
            parsed.map_or(Tree::String(text), |n| Tree::Number(n.into()))
        }
        DeValue::Float(f) => {
            let text = f.as_str().replace('_', "");
            text.parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(Tree::String(text), Tree::Number)
        }
        DeValue::Boolean(b) => Tree::Bool(b),
        DeValue::Datetime(d) => Tree::String(d.to_string()),
        DeValue::Array(items) => Tree::Seq(
            items
                .into_iter()
                .map(|v| {
                    let span = range_span(v.span());
                    Node {
                        span,
                        tree: toml_value(v.into_inner()),
                    }
                })
                .collect(),
        ),
        DeValue::Table(t) => toml_table(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Limits;

    /// Locating many offsets in one pass gives what locating each alone gives.
    #[test]
    fn batch_locations_match_single_ones() {
        let source = Source::new(
            Some("f.yaml".into()),
            Format::Yaml,
            "a: 1\nbé: [x, y]\n\n  deep: ü\nlast".to_owned(),
        );
        let spans = [
            (20, 1),
            (0, 0),
            (7, 2),
            (7, 2),
            (3, 1),
            (999, 0),
            (5, 4),
            (19, 0),
        ];
        let batch = source.locations_at(&spans);
        for ((offset, length), got) in spans.iter().zip(batch) {
            assert_eq!(got, Some(source.location_at(*offset, *length)), "{offset}");
        }
    }

    /// A pruned tree places every wanted pointer exactly where the whole tree does,
    /// including pointers that end inside a list or name something that is not there.
    #[test]
    fn pruned_tree_locates_like_the_whole_tree() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/pompidou-2023-2025.yaml"
        );
        let yaml = std::fs::read_to_string(path).expect("reference programme");
        let doc = crate::parse_str(&yaml, Format::Yaml).expect("valid");
        let json = crate::to_string(&doc, Format::Json).expect("json");
        let pointers = [
            "",
            "/programme/title",
            "/priorities/0/actions/4",
            "/priorities/0/actions/5/actions/1",
            "/activities/4/activities/5",
            "/activities/6",
            "/activities/10/deliverables/0/title",
            "/indicators/7/target",
            "/outputs/3",
            "/activities/999",
            "/activities/2/no_such_field",
            "/funding_sources/1",
        ];
        for (format, text) in [(Format::Yaml, yaml), (Format::Json, json)] {
            let source = Source::new(None, format, text);
            let whole = parse_tree(&source, &Limits::default()).expect("tree");
            let pruned =
                parse_tree_for(&source, &Limits::default(), &pointers).expect("pruned tree");
            for p in pointers {
                let (w, q) = (whole.nearest(p), pruned.nearest(p));
                assert_eq!(
                    (w.span.offset, w.span.length, w.span.location(&source)),
                    (q.span.offset, q.span.length, q.span.location(&source)),
                    "{format:?} {p}"
                );
                if format == Format::Yaml {
                    assert_eq!((w.span.line, w.span.column), (q.span.line, q.span.column));
                }
            }
            // and it is small: only the paths to the pointers are kept
            fn count(n: &Node) -> usize {
                1 + match &n.tree {
                    Tree::Seq(items) => items.iter().map(count).sum(),
                    Tree::Sparse(items) => items.iter().map(|(_, n)| count(n)).sum(),
                    Tree::Map(entries) => entries.iter().map(|(_, n)| count(n)).sum(),
                    _ => 0,
                }
            }
            assert!(count(&pruned) < 40, "{}", count(&pruned));
            assert!(count(&whole) > 900, "{}", count(&whole));
        }
    }

    /// JSON is located by its own parser: on a generated programme written as JSON,
    /// every element, field and key it places is where the YAML parser's whole tree
    /// places it (scalars as whole tokens, mappings and lists at their opening bracket),
    /// with escaped and non-ASCII text, numbers of every shape and a byte order mark.
    #[test]
    fn json_is_located_like_the_yaml_parser_locates_it() {
        let mut doc = crate::generate::generate(3_000, 7);
        doc.activities[0].title = "Pr\u{e9}vention \"quoted\" \\ and \u{1F600} \t tab".to_owned();
        doc.activities[1].notes = Some("line\nbreak".to_owned());
        let json = crate::to_string(&doc, Format::Json).expect("json");
        let g = crate::Graph::build(&doc);
        let mut pointers: Vec<String> = Vec::new();
        for n in g.nodes() {
            let p = g.pointer(n.index());
            for field in [
                "",
                "/id",
                "/title",
                "/notes",
                "/quantity",
                "/budget/total",
                "/timeframe",
            ] {
                pointers.push(format!("{p}{field}"));
            }
        }
        pointers.push("/activities/0/addresses/0".to_owned());
        pointers.push("/activities/0/budget/allocations/1/amount".to_owned());
        pointers.push("/nothing/here".to_owned());
        let wanted: Vec<&str> = pointers.iter().map(String::as_str).collect();
        for bom in ["", "\u{feff}"] {
            let source = Source::new(None, Format::Json, format!("{bom}{json}"));
            let whole = parse_tree(&source, &Limits::default()).expect("tree");
            let pruned = parse_tree_for(&source, &Limits::default(), &wanted).expect("pruned");
            let mut compared = 0;
            for p in &wanted {
                let (w, q) = (whole.find(p), pruned.find(p));
                assert_eq!(w.is_some(), q.is_some(), "{p}");
                let (Some((w, wk)), Some((q, qk))) = (w, q) else {
                    continue;
                };
                compared += 1;
                assert_eq!(
                    (w.span.offset, w.span.length),
                    (q.span.offset, q.span.length),
                    "{p}"
                );
                // a pruned mapping or list holds only what was asked for; scalars are whole
                if !matches!(w.tree, Tree::Map(_) | Tree::Seq(_)) {
                    assert_eq!(w.to_value(), q.to_value(), "{p}");
                }
                let key =
                    |k: Option<&Key>| k.map(|k| (k.name.clone(), k.span.offset, k.span.length));
                assert_eq!(key(wk), key(qk), "{p}");
            }
            assert!(compared > 10_000, "{compared}");
        }
        // a pointer inside a nested element, and a broken text is an error, not a panic
        let source = Source::new(None, Format::Json, "{\"a\": [1, 2".to_owned());
        assert!(parse_tree_for(&source, &Limits::default(), &["/a/1"]).is_err());
    }
}
