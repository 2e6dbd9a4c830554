//! The README's Swift example against the generated Swift (which is generated and
//! kept fresh here, not compiled: the machine has no Swift toolchain): every call it
//! makes is declared, with these labels, in `generated/swift/policygraph.swift`. The
//! Kotlin example is compiled and run by the JUnit tests (`ApiTest`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

fn read(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(path)).unwrap()
}

#[test]
fn the_readme_swift_example_calls_what_the_generated_swift_declares() {
    let readme = read("../../README.md");
    let example = readme
        .split("```swift\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README.md shows a Swift example");
    let swift = read("generated/swift/policygraph.swift");
    // (what the example writes, what the generated Swift must declare)
    let calls = [
        ("import policygraph", "import policygraphFFI"),
        (
            "Programme.loadFile(path: ",
            "public static func loadFile(path: String)throws  -> Programme",
        ),
        (
            "programme.check()",
            "open func check(options: CheckOptions = CheckOptions())throws  -> Report",
        ),
        (
            "Programme.load(text: ",
            "public static func load(text: String, format: DocumentFormat, name: String? = nil)throws  -> Programme",
        ),
        ("format: .yaml", "case yaml"),
        ("report.ok", "public let ok: Bool"),
        ("report.warnings", "public let warnings: Int32"),
        (
            "PolicygraphError.Load(let reason, let problems)",
            "case Load(",
        ),
        ("\\.code", "public let code: String"),
    ];
    for (written, declared) in calls {
        assert!(
            example.contains(written),
            "the README's Swift example no longer has `{written}`"
        );
        assert!(
            swift.contains(declared),
            "generated/swift/policygraph.swift declares no `{declared}` (run `cargo xtask bindings`, then fix the README's Swift example)"
        );
    }
}
