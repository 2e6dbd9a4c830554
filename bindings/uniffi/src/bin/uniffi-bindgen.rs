//! The uniffi generator, at the version of the runtime the crate links: `cargo xtask
//! bindings` runs it on the built cdylib (library mode) for Kotlin and Swift.

fn main() {
    uniffi::uniffi_bindgen_main()
}
