//! What every CLI test checks about the JSON the binary prints.

use serde_json::Value;

/// Keys whose value is a record as Meta receives it (`sync --dry-run`'s `data`, and the fields
/// before and after a change): Meta's own field names (`image_link`), shown as they are sent.
const META_RECORDS: [&str; 3] = ["data", "before", "after"];

/// The keys of a JSON value that are not camelCase, with where they are (`.product.created_at`).
pub fn snake_keys(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key.contains('_') || key.contains('-') || key.starts_with(char::is_uppercase) {
                    out.push(format!("{path}.{key}"));
                }
                if META_RECORDS.contains(&key.as_str()) && v.is_object() {
                    continue;
                }
                snake_keys(v, &format!("{path}.{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                snake_keys(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The CLI's JSON names every field in camelCase (docs/cli.md): fails naming those that are not.
pub fn assert_camel_case(value: &Value, what: &str) {
    let mut wrong = Vec::new();
    snake_keys(value, what, &mut wrong);
    assert!(
        wrong.is_empty(),
        "keys not in camelCase:\n{}",
        wrong.join("\n")
    );
}
