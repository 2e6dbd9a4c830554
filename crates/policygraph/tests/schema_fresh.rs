//! The committed JSON Schema must be what the model generates.

#[test]
fn committed_schema_is_fresh() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schema/policygraph.schema.json"
    );
    let expected = policygraph::schema::document_schema_text();
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != expected {
        if std::env::var_os("POLICYGRAPH_BLESS").is_some() {
            std::fs::write(path, &expected).unwrap();
            return;
        }
        panic!(
            "schema/policygraph.schema.json is stale: regenerate it with \
             `cargo run -p policygraph-cli -- schema > schema/policygraph.schema.json`"
        );
    }
}
