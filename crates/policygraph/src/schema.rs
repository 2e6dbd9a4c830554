//! The published JSON Schema of the document format, generated from the model types.

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::model::Document;

/// The schema's `$id`.
pub const SCHEMA_ID: &str = "https://policygraph.dev/schema/policygraph.schema.json";

/// The JSON Schema (draft 2020-12) of a programme document.
pub fn document_schema() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    let schema = generator.into_root_schema_for::<Document>();
    let mut value = schema.to_value();
    add_titles(&mut value);
    if let Value::Object(map) = &mut value {
        // `$schema` first, then `$id`, then the rest as generated
        let mut ordered = serde_json::Map::new();
        if let Some(s) = map.remove("$schema") {
            ordered.insert("$schema".into(), s);
        }
        ordered.insert("$id".into(), Value::String(SCHEMA_ID.into()));
        ordered.append(map);
        value = Value::Object(ordered);
    }
    value
}

/// The schema as pretty-printed JSON text with a final newline: the content of
/// `schema/policygraph.schema.json`.
pub fn document_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&document_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// Gives every definition a `title` (its name split into words) where it has none, so
/// editors and documentation generators show a readable name.
fn add_titles(schema: &mut Value) {
    let Some(defs) = schema.get_mut("$defs").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, def) in defs.iter_mut() {
        if let Value::Object(map) = def
            && !map.contains_key("title")
        {
            let mut title = String::new();
            for (i, c) in name.chars().enumerate() {
                if i > 0 && c.is_ascii_uppercase() {
                    title.push(' ');
                    title.push(c.to_ascii_lowercase());
                } else {
                    title.push(c);
                }
            }
            map.insert("title".into(), Value::String(title));
        }
    }
}
