//! JSON text in and out through one path: every typed value passes through
//! [`serde_json::Value`].
//!
//! Serde compiles a type's `Serialize` and `Deserialize` once for every reader and writer it
//! meets (text, bytes, `Value`, compact or pretty output). Converting through `Value` alone keeps
//! one copy of each, which roughly halves what serialization adds to the shipped WebAssembly. The
//! extra tree costs little next to what the page does with the data.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Parses JSON text into `T`.
pub fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let value: Value = serde_json::from_str(text)?;
    serde_json::from_value(value)
}

/// Parses JSON bytes into `T`; the bytes must be UTF-8, as JSON text is.
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        <serde_json::Error as serde::de::Error>::custom(format!(
            "the text is not UTF-8 (bad byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    from_text(text)
}

/// `T` as a JSON value.
pub fn to_value<T: Serialize>(value: &T) -> Result<Value, serde_json::Error> {
    serde_json::to_value(value)
}

/// `T` as compact JSON text (empty if it cannot be represented, which the model's types never
/// are: their map keys are strings).
pub fn to_text<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .map(|v| v.to_string())
        .unwrap_or_default()
}

/// `T` as indented JSON text (empty if it cannot be represented).
pub fn to_pretty<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Sample {
        name: String,
        count: u32,
        #[serde(default)]
        tags: Vec<String>,
        by_key: BTreeMap<String, i64>,
    }

    fn sample() -> Sample {
        Sample {
            name: "vm-web".to_string(),
            count: 3,
            tags: vec!["a".to_string(), "<b>".to_string()],
            by_key: BTreeMap::from([("x".to_string(), -1), ("y".to_string(), 2)]),
        }
    }

    #[test]
    fn writes_the_same_text_as_serde_json() {
        let s = sample();
        assert_eq!(to_text(&s), serde_json::to_string(&s).unwrap());
        assert_eq!(to_pretty(&s), serde_json::to_string_pretty(&s).unwrap());
        assert_eq!(
            to_text(&s),
            r#"{"name":"vm-web","count":3,"tags":["a","<b>"],"by_key":{"x":-1,"y":2}}"#
        );
    }

    #[test]
    fn reads_what_it_writes_from_text_and_bytes() {
        let s = sample();
        assert_eq!(from_text::<Sample>(&to_text(&s)).unwrap(), s);
        assert_eq!(from_bytes::<Sample>(to_pretty(&s).as_bytes()).unwrap(), s);
    }

    #[test]
    fn reports_what_is_wrong() {
        let cases: &[(&str, &str)] = &[
            ("{", "EOF while parsing an object at line 1 column 1"),
            (
                r#"{"name":"a","count":-1,"by_key":{}}"#,
                "invalid value: integer `-1`, expected u32",
            ),
            (r#"{"name":"a","by_key":{}}"#, "missing field `count`"),
            (
                "true",
                "invalid type: boolean `true`, expected struct Sample",
            ),
        ];
        for (text, message) in cases {
            let e = from_text::<Sample>(text).unwrap_err();
            assert_eq!(e.to_string(), *message, "{text}");
        }
        assert_eq!(
            from_bytes::<Sample>(b"\xff").unwrap_err().to_string(),
            "the text is not UTF-8 (bad byte at offset 0)"
        );
    }
}
