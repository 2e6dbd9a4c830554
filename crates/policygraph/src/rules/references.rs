//! References between elements: every id named must exist, once, and be of the right kind.

use super::Ctx;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::graph::NodeKind;

/// How many unknown references get a "did you mean" hint; beyond this the hint search
/// (linear in the number of ids) would make the rule quadratic.
const MAX_HINTS: usize = 200;

fn kinds(expected: &[NodeKind]) -> String {
    let nouns: Vec<&str> = expected.iter().map(|k| k.noun()).collect();
    nouns.join(" or ")
}

fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// PG101: a reference to an id that no element has.
pub(super) fn unknown_reference(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    let mut hints = 0;
    for r in ctx.g.bad_references.iter().filter(|r| r.found.is_none()) {
        let from = ctx.g.element(r.from);
        let pointer = format!("{}/{}", ctx.pointer(r.from), r.path);
        let field = r.field();
        let expected = kinds(r.expected);
        let mut help = format!("use the id of {} {expected}", article(&expected));
        if hints < MAX_HINTS {
            hints += 1;
            let candidates = ctx
                .g
                .all_ids()
                .filter(|(_, k)| r.expected.contains(k))
                .map(|(id, _)| id);
            if let Some(near) = did_you_mean(r.target, candidates) {
                help = format!("did you mean `{near}`?");
            }
        }
        out.push(
            Diagnostic::new(
                Code::UnknownReference,
                pointer,
                format!(
                    "`{}` in `{field}` of `{}` is not the id of any element",
                    r.target,
                    from.id()
                ),
            )
            .with_elements([from.id()])
            .with_help(help),
        );
    }
}

/// PG102: two elements with the same id.
pub(super) fn duplicate_id(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for &(first, second) in &ctx.g.duplicates {
        let id = ctx.id(second);
        let first_kind = ctx.g.kind_of(first).noun();
        out.push(
            Diagnostic::new(
                Code::DuplicateId,
                format!("{}/id", ctx.pointer(second)),
                format!(
                    "the id `{id}` is already used by {} {first_kind}",
                    article(first_kind)
                ),
            )
            .with_elements([id])
            .with_related("first used here", format!("{}/id", ctx.pointer(first)))
            .with_help("give each element its own id; references go to the first one"),
        );
    }
}

/// PG103: a reference to an element of a kind the field does not take.
pub(super) fn wrong_kind_reference(ctx: &Ctx<'_, '_>, out: &mut Vec<Diagnostic>) {
    for r in &ctx.g.bad_references {
        let Some(found) = r.found else { continue };
        let from = ctx.g.element(r.from);
        let found_kind = ctx.g.kind_of(found).noun();
        let field = r.field();
        let expected = kinds(r.expected);
        out.push(
            Diagnostic::new(
                Code::WrongKindReference,
                format!("{}/{}", ctx.pointer(r.from), r.path),
                format!(
                    "`{}` is {} {found_kind}, but `{field}` of `{}` takes {} {expected}",
                    r.target,
                    article(found_kind),
                    from.id(),
                    article(&expected)
                ),
            )
            .with_elements([from.id(), r.target])
            .with_related(
                format!("`{}` is defined here", r.target),
                ctx.pointer(found),
            )
            .with_help(format!("name {} {expected} here", article(&expected))),
        );
    }
}
