//! One line for a value of the wrong type, read strictly (no coercion): the key path,
//! what was expected, and what was found, e.g.
//! `sync.per_page: expected a whole number, got string "50"`.

use serde_path_to_error::{Error, Segment};

/// Describes a strict deserialization error; `env_keys` are the `section__key` overrides
/// taken from the environment, named when the bad value came from one.
pub fn describe(
    e: &Error<serde_json::Error>,
    tree: &serde_json::Value,
    env_keys: &[String],
) -> String {
    let path = key_path(e);
    let message = e.inner().to_string();
    let detail = match message.strip_prefix("invalid type: ") {
        Some(rest) => match rest.split_once(", expected ") {
            Some((got, expected)) => {
                let got = found(tree, e).unwrap_or_else(|| got.to_owned());
                format!("expected {}, got {got}", expected_text(expected))
            }
            None => message.clone(),
        },
        // serde_json's word for a float (or an out-of-range number) given to an integer.
        None if message == "invalid number" => match found(tree, e) {
            Some(got) => format!("expected a whole number, got {got}"),
            None => message.clone(),
        },
        None => message.clone(),
    };
    // `missing field `x`` is reported at the table that lacks it.
    let (path, detail) = match detail.strip_prefix("missing field `") {
        Some(rest) => {
            let field = rest.trim_end_matches('`');
            (join(&path, field), "missing (required)".to_owned())
        }
        None => (path, detail),
    };
    let env = env_keys
        .iter()
        .find(|k| k.to_ascii_lowercase().replace("__", ".").ends_with(&path))
        .map(|k| format!(" (from the environment variable {k})"))
        .unwrap_or_default();
    if path.is_empty() {
        format!("{detail}{env}")
    } else {
        format!("{path}: {detail}{env}")
    }
}

/// The offending value as written: `string "50"`, `number 2.5`, `boolean true`.
fn found(tree: &serde_json::Value, e: &Error<serde_json::Error>) -> Option<String> {
    let mut value = tree;
    for segment in e.path().iter() {
        value = match segment {
            Segment::Seq { index } => value.get(index)?,
            Segment::Map { key } => value.get(key)?,
            _ => return None,
        };
    }
    let kind = match value {
        serde_json::Value::String(_) => "string",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Array(_) => return Some("a list".into()),
        serde_json::Value::Object(_) => return Some("a table".into()),
        serde_json::Value::Null => return Some("nothing".into()),
    };
    Some(format!("{kind} {value}"))
}

/// `organizations[0].client_id`, `sync.per_page`.
fn key_path(e: &Error<serde_json::Error>) -> String {
    let mut out = String::new();
    for segment in e.path().iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => out = join(&out, key),
            Segment::Enum { variant } => out = join(&out, variant),
            Segment::Unknown => {}
        }
    }
    out
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// serde's type names as a person reads them.
fn expected_text(expected: &str) -> &str {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number",
        "i8" | "i16" | "i32" | "i64" | "isize" => "an integer",
        "f32" | "f64" => "a number",
        "a boolean" => "true or false",
        other => other,
    }
}
