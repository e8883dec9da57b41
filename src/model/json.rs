//! JSON text in and out through one path: every typed value passes through
//! [`serde_json::Value`].
//!
//! Reading uses [`FromJson`] and writing [`ToJson`], derived with `#[derive(FromJson, ToJson)]`
//! from `#[serde(...)]` attributes that describe serde's JSON format: the derived code is a short
//! list of calls to the helpers below instead of serde's visitors and serializers, which were the
//! largest part of the shipped WebAssembly. Every reading error names where it is
//! (`at $.edits[2].role`).

use std::collections::BTreeMap;
use std::fmt;

pub use mi_sim_derive::{FromJson, ToJson};
pub use serde_json::{Map, Value};

/// A type read from a JSON value.
pub trait FromJson: Sized {
    /// Reads the value.
    fn from_json(value: &Value) -> Result<Self, Error>;

    /// What a missing field of this type reads as: an error, except for `Option` (none).
    fn absent(key: &str) -> Result<Self, Error> {
        Err(Error::new(format!("missing field `{key}`")))
    }
}

/// What is wrong with a JSON text or value, and where.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Error {
    message: String,
    /// Path segments, innermost first (`.name` or `[3]`).
    path: Vec<String>,
}

impl Error {
    /// An error at the value being read.
    pub fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            path: Vec::new(),
        }
    }

    /// `expected` was wanted and `found` is something else.
    pub fn invalid_type(found: &Value, expected: &str) -> Error {
        Error::new(format!(
            "invalid type: {}, expected {expected}",
            unexpected(found)
        ))
    }

    /// No variant of an untagged enum reads the value.
    pub fn untagged(name: &str) -> Error {
        Error::new(format!(
            "data did not match any variant of untagged enum {name}"
        ))
    }

    /// The same error, inside the field `key`.
    pub fn at_key(mut self, key: &str) -> Error {
        self.path.push(format!(".{key}"));
        self
    }

    /// The same error, inside the array item `index`.
    pub fn at_index(mut self, index: usize) -> Error {
        self.path.push(format!("[{index}]"));
        self
    }

    /// What is wrong, without where.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where, as a JSON path (`$` for the value itself).
    pub fn path(&self) -> String {
        let mut out = String::from("$");
        for segment in self.path.iter().rev() {
            out.push_str(segment);
        }
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if !self.path.is_empty() {
            write!(f, " at {}", self.path())?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// How serde words a value that was not what was expected.
fn unexpected(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_string(),
        Value::Object(_) => "map".to_string(),
    }
}

/// Parses JSON text into a value (syntax errors name their line and column).
pub fn parse(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::new(e.to_string()))
}

/// Parses JSON text into `T`.
pub fn from_text<T: FromJson>(text: &str) -> Result<T, Error> {
    T::from_json(&parse(text)?)
}

/// Parses JSON bytes into `T`; the bytes must be UTF-8, as JSON text is.
pub fn from_bytes<T: FromJson>(bytes: &[u8]) -> Result<T, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::new(format!(
            "the text is not UTF-8 (bad byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    from_text(text)
}

/// A type written as a JSON value.
pub trait ToJson {
    /// The value.
    fn to_json(&self) -> Value;
}

/// `T` as a JSON value.
pub fn to_value<T: ToJson + ?Sized>(value: &T) -> Value {
    value.to_json()
}

/// `T` as compact JSON text.
pub fn to_text<T: ToJson + ?Sized>(value: &T) -> String {
    value.to_json().to_string()
}

/// `T` as indented JSON text (two spaces).
pub fn to_pretty<T: ToJson + ?Sized>(value: &T) -> String {
    pretty(&value.to_json())
}

/// A value as indented JSON text (two spaces).
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

// Helpers the derived writers call.

/// Adds `key: value` to a map being written.
pub fn put(map: &mut Map<String, Value>, key: &str, value: Value) {
    map.insert(key.to_string(), value);
}

/// A string value.
pub fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

/// `{key: value}`, an externally tagged variant.
pub fn single(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    put(&mut map, key, value);
    Value::Object(map)
}

/// An internally tagged newtype variant: the tag, then the content's fields.
pub fn tag_first(tag: &str, name: &str, content: Value) -> Value {
    let mut map = Map::new();
    put(&mut map, tag, text(name));
    if let Value::Object(fields) = content {
        map.extend(fields);
    }
    Value::Object(map)
}

// Helpers the derived readers call.

/// The value as an object, or an error naming what was expected (`struct Flow`).
pub fn object<'a>(value: &'a Value, expected: &str) -> Result<&'a Map<String, Value>, Error> {
    value
        .as_object()
        .ok_or_else(|| Error::invalid_type(value, expected))
}

/// The field `key`, read as `T` (a missing field is [`FromJson::absent`]).
pub fn required<T: FromJson>(map: &Map<String, Value>, key: &str) -> Result<T, Error> {
    match map.get(key) {
        Some(value) => T::from_json(value).map_err(|e| e.at_key(key)),
        None => T::absent(key),
    }
}

/// The field `key` read as `T`, if it is there.
pub fn optional<T: FromJson>(map: &Map<String, Value>, key: &str) -> Result<Option<T>, Error> {
    map.get(key)
        .map(|value| T::from_json(value).map_err(|e| e.at_key(key)))
        .transpose()
}

/// The field `key` read as `T`, or `T`'s default when it is missing.
pub fn or_default<T: FromJson + Default>(map: &Map<String, Value>, key: &str) -> Result<T, Error> {
    Ok(optional(map, key)?.unwrap_or_default())
}

/// An error for the first field of `map` that is not in `known`.
pub fn deny_unknown(map: &Map<String, Value>, known: &[&str]) -> Result<(), Error> {
    match map.keys().find(|key| !known.contains(&key.as_str())) {
        None => Ok(()),
        Some(key) => Err(Error::new(format!(
            "unknown field `{key}`, {}",
            one_of(known, "fields")
        ))),
    }
}

/// serde's `expected one of `a`, `b``.
fn one_of(names: &[&str], what: &str) -> String {
    match names {
        [] => format!("there are no {what}"),
        [one] => format!("expected `{one}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("expected one of {}", quoted.join(", "))
        }
    }
}

/// Which of `variants` the string `name` is.
fn variant_index(name: &str, variants: &[&str]) -> Result<usize, Error> {
    variants.iter().position(|v| *v == name).ok_or_else(|| {
        Error::new(format!(
            "unknown variant `{name}`, {}",
            one_of(variants, "variants")
        ))
    })
}

/// The variant of an enum whose variants are all unit (written as a string).
pub fn unit_variant(value: &Value, variants: &[&str], expected: &str) -> Result<usize, Error> {
    match value {
        Value::String(name) => variant_index(name, variants),
        _ => Err(Error::invalid_type(value, expected)),
    }
}

/// An externally tagged variant: `"Name"`, or `{"Name": content}`.
pub fn external<'a>(
    value: &'a Value,
    variants: &[&str],
    expected: &str,
) -> Result<(usize, Option<&'a Value>), Error> {
    match value {
        Value::String(name) => Ok((variant_index(name, variants)?, None)),
        Value::Object(map) if map.len() == 1 => {
            let (name, content) = map
                .iter()
                .next()
                .ok_or_else(|| Error::invalid_type(value, expected))?;
            Ok((variant_index(name, variants)?, Some(content)))
        }
        Value::Object(_) => Err(Error::new(format!(
            "invalid value: map, expected map with a single key ({expected})"
        ))),
        _ => Err(Error::invalid_type(value, expected)),
    }
}

static NULL: Value = Value::Null;

/// A variant's content, `null` when it was written as a bare name.
pub fn or_null(content: Option<&Value>) -> &Value {
    content.unwrap_or(&NULL)
}

/// A newtype variant's content read as `T`.
pub fn content<T: FromJson>(content: Option<&Value>, variant: &str) -> Result<T, Error> {
    T::from_json(or_null(content)).map_err(|e| e.at_key(variant))
}

/// The variant an internally tagged object names in its field `tag`.
pub fn tagged(map: &Map<String, Value>, tag: &str, variants: &[&str]) -> Result<usize, Error> {
    match map.get(tag) {
        Some(Value::String(name)) => variant_index(name, variants).map_err(|e| e.at_key(tag)),
        Some(other) => Err(Error::invalid_type(other, "a string").at_key(tag)),
        None => Err(Error::new(format!("missing field `{tag}`"))),
    }
}

// Readers of the standard types.

impl FromJson for Value {
    fn from_json(value: &Value) -> Result<Self, Error> {
        Ok(value.clone())
    }
}

impl FromJson for Map<String, Value> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        object(value, "a map").cloned()
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<Self, Error> {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| Error::invalid_type(value, "a string"))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<Self, Error> {
        value
            .as_bool()
            .ok_or_else(|| Error::invalid_type(value, "a boolean"))
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value) -> Result<Self, Error> {
        value
            .as_f64()
            .ok_or_else(|| Error::invalid_type(value, "f64"))
    }
}

/// An integer in `min..=max`, worded as serde words it for the type `name`.
fn integer(value: &Value, name: &str, min: i128, max: i128) -> Result<i128, Error> {
    let n = match value {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        _ => None,
    };
    match n {
        Some(n) if (min..=max).contains(&n) => Ok(n),
        Some(_) => Err(Error::new(format!(
            "invalid value: {}, expected {name}",
            unexpected(value)
        ))),
        None => Err(Error::invalid_type(value, name)),
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(value: &Value) -> Result<Self, Error> {
                let n = integer(value, stringify!($t), <$t>::MIN as i128, <$t>::MAX as i128)?;
                <$t>::try_from(n).map_err(|_| Error::invalid_type(value, stringify!($t)))
            }
        }
    )*};
}

integers!(u8, u16, u32, u64, usize, i32, i64);

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Null => Ok(None),
            _ => T::from_json(value).map(Some),
        }
    }

    fn absent(_key: &str) -> Result<Self, Error> {
        Ok(None)
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        T::from_json(value).map(Box::new)
    }
}

/// The value as an array.
fn array(value: &Value) -> Result<&Vec<Value>, Error> {
    value
        .as_array()
        .ok_or_else(|| Error::invalid_type(value, "a sequence"))
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        array(value)?
            .iter()
            .enumerate()
            .map(|(i, item)| T::from_json(item).map_err(|e| e.at_index(i)))
            .collect()
    }
}

impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match array(value)?.as_slice() {
            [a, b] => Ok((
                A::from_json(a).map_err(|e| e.at_index(0))?,
                B::from_json(b).map_err(|e| e.at_index(1))?,
            )),
            items => Err(Error::new(format!(
                "invalid length {}, expected a tuple of size 2",
                items.len()
            ))),
        }
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        object(value, "a map")?
            .iter()
            .map(|(key, item)| {
                T::from_json(item)
                    .map(|item| (key.clone(), item))
                    .map_err(|e| e.at_key(key))
            })
            .collect()
    }
}

// Writers of the standard types.

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl ToJson for Map<String, Value> {
    fn to_json(&self) -> Value {
        Value::Object(self.clone())
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        text(self)
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        text(self)
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Value {
        serde_json::Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
}

macro_rules! write_integers {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}

write_integers!(u8, u16, u32, u64, usize, i32, i64);

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_json)
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(T::to_json).collect())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}

impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    fn to_json(&self) -> Value {
        Value::Array(vec![self.0.to_json(), self.1.to_json()])
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn to_json(&self) -> Value {
        Value::Object(
            self.iter()
                .map(|(key, item)| (key.clone(), item.to_json()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, ToJson, FromJson, PartialEq, Debug)]
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

    // Every shape the derives support, read and written both by the derived `FromJson` and
    // `ToJson` and by serde's own derives: the two must accept the same texts, give the same
    // values and write the same text.

    #[derive(serde::Serialize, ToJson, FromJson, serde::Deserialize, PartialEq, Debug, Default)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Strict {
        display_name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
        note: Option<String>,
        #[serde(default = "seven")]
        limit: u8,
        #[serde(skip)]
        cache: u32,
        pair: Option<(String, i64)>,
    }

    fn seven() -> u8 {
        7
    }

    #[derive(serde::Serialize, ToJson, FromJson, serde::Deserialize, PartialEq, Debug)]
    #[serde(default)]
    struct Lenient {
        level: i32,
        label: String,
    }

    impl Default for Lenient {
        fn default() -> Self {
            Lenient {
                level: 3,
                label: "three".to_string(),
            }
        }
    }

    #[derive(serde::Serialize, ToJson, FromJson, serde::Deserialize, PartialEq, Debug)]
    #[serde(tag = "op")]
    enum Tagged {
        Add { name: String, size: Option<u64> },
        Clear,
        Wrap(Lenient),
    }

    #[derive(serde::Serialize, ToJson, FromJson, serde::Deserialize, PartialEq, Debug)]
    #[serde(tag = "change", rename_all = "camelCase", deny_unknown_fields)]
    enum StrictTagged {
        SetLimit { to_value: u32 },
        Reset,
    }

    #[derive(serde::Serialize, ToJson, FromJson, serde::Deserialize, PartialEq, Debug)]
    enum External {
        Plain,
        Named(String),
        Spot { x: i64, y: i64 },
    }

    #[derive(serde::Serialize, ToJson, FromJson, serde::Deserialize, PartialEq, Debug)]
    #[serde(rename_all = "camelCase")]
    enum Level {
        TenantRoot,
        ResourceGroup,
    }

    #[derive(serde::Serialize, ToJson, FromJson, serde::Deserialize, PartialEq, Debug)]
    #[serde(untagged)]
    enum Either {
        Strict(Strict),
        Level(Level),
    }

    #[derive(serde::Serialize, ToJson, FromJson, serde::Deserialize, PartialEq, Debug)]
    #[serde(transparent)]
    struct Seconds(i64);

    /// Reads `text` with both readers; they must agree on whether it reads and on the value,
    /// and both writers must write what was read the same way.
    fn both<T>(text: &str) -> Result<T, Error>
    where
        T: FromJson
            + ToJson
            + serde::de::DeserializeOwned
            + serde::Serialize
            + PartialEq
            + std::fmt::Debug,
    {
        let ours = from_text::<T>(text);
        let serde = serde_json::from_str::<T>(text);
        match (&ours, &serde) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{text}");
                assert_eq!(to_text(a), serde_json::to_string(b).unwrap(), "{text}");
            }
            (Err(_), Err(_)) => {}
            _ => panic!("{text}: FromJson gave {ours:?}, serde gave {serde:?}"),
        }
        ours
    }

    #[test]
    fn derived_readers_accept_what_serde_accepts() {
        let strict = Strict {
            display_name: "web".into(),
            client_id: None,
            note: None,
            limit: 7,
            cache: 0,
            pair: None,
        };
        let cases: &[(&str, Strict)] = &[
            (
                r#"{"displayName":"web"}"#,
                Strict {
                    ..strict_clone(&strict)
                },
            ),
            (
                r#"{"displayName":"web","clientId":"c","note":null,"limit":2,"pair":["a",-1]}"#,
                Strict {
                    client_id: Some("c".into()),
                    limit: 2,
                    pair: Some(("a".into(), -1)),
                    ..strict_clone(&strict)
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(&both::<Strict>(text).unwrap(), want, "{text}");
        }
        assert_eq!(both::<Lenient>("{}").unwrap(), Lenient::default());
        assert_eq!(
            both::<Lenient>(r#"{"label":"x","other":1}"#).unwrap(),
            Lenient {
                level: 3,
                label: "x".into()
            }
        );
        let tagged: &[(&str, Tagged)] = &[
            (
                r#"{"op":"Add","name":"a"}"#,
                Tagged::Add {
                    name: "a".into(),
                    size: None,
                },
            ),
            (
                r#"{"op":"Add","name":"a","size":9,"x":1}"#,
                Tagged::Add {
                    name: "a".into(),
                    size: Some(9),
                },
            ),
            (r#"{"op":"Clear"}"#, Tagged::Clear),
            (
                r#"{"op":"Wrap","level":1}"#,
                Tagged::Wrap(Lenient {
                    level: 1,
                    label: "three".into(),
                }),
            ),
        ];
        for (text, want) in tagged {
            assert_eq!(&both::<Tagged>(text).unwrap(), want, "{text}");
        }
        assert_eq!(
            both::<StrictTagged>(r#"{"change":"setLimit","to_value":4}"#).unwrap(),
            StrictTagged::SetLimit { to_value: 4 }
        );
        assert_eq!(
            both::<StrictTagged>(r#"{"change":"reset"}"#).unwrap(),
            StrictTagged::Reset
        );
        let external: &[(&str, External)] = &[
            (r#""Plain""#, External::Plain),
            (r#"{"Named":"n"}"#, External::Named("n".into())),
            (r#"{"Spot":{"x":1,"y":-2}}"#, External::Spot { x: 1, y: -2 }),
        ];
        for (text, want) in external {
            assert_eq!(&both::<External>(text).unwrap(), want, "{text}");
        }
        assert_eq!(
            both::<Level>(r#""resourceGroup""#).unwrap(),
            Level::ResourceGroup
        );
        assert_eq!(
            both::<Either>(r#""tenantRoot""#).unwrap(),
            Either::Level(Level::TenantRoot)
        );
        assert_eq!(
            both::<Either>(r#"{"displayName":"web"}"#).unwrap(),
            Either::Strict(strict_clone(&strict))
        );
        assert_eq!(both::<Seconds>("-5").unwrap(), Seconds(-5));
        assert_eq!(both::<Vec<u16>>("[0,65535]").unwrap(), vec![0, 65535]);
    }

    fn strict_clone(s: &Strict) -> Strict {
        Strict {
            display_name: s.display_name.clone(),
            client_id: s.client_id.clone(),
            note: s.note.clone(),
            limit: s.limit,
            cache: s.cache,
            pair: s.pair.clone(),
        }
    }

    #[test]
    fn derived_readers_say_what_is_wrong_and_where() {
        let cases: &[(&str, Result<(), String>)] = &[
            (r#"{"displayName":"web","colour":1}"#, Err("unknown field `colour`, expected one of `displayName`, `clientId`, `note`, `limit`, `pair`".into())),
            (r#"{"clientId":"c"}"#, Err("missing field `displayName`".into())),
            (r#"{"displayName":7}"#, Err("invalid type: integer `7`, expected a string at $.displayName".into())),
            (r#"{"displayName":"w","limit":256}"#, Err("invalid value: integer `256`, expected u8 at $.limit".into())),
            (r#"{"displayName":"w","limit":1.5}"#, Err("invalid type: floating point `1.5`, expected u8 at $.limit".into())),
            (r#"{"displayName":"w","pair":["a"]}"#, Err("invalid length 1, expected a tuple of size 2 at $.pair".into())),
            (r#"{"displayName":"w","pair":["a",true]}"#, Err("invalid type: boolean `true`, expected i64 at $.pair[1]".into())),
            ("null", Err("invalid type: null, expected struct Strict".into())),
        ];
        for (text, want) in cases {
            let got = both::<Strict>(text).map(|_| ()).map_err(|e| e.to_string());
            assert_eq!(&got, want, "{text}");
        }
        let enums: &[(Result<(), Error>, &str)] = &[
            (
                both::<Tagged>(r#"{"name":"a"}"#).map(|_| ()),
                "missing field `op`",
            ),
            (
                both::<Tagged>(r#"{"op":"Drop"}"#).map(|_| ()),
                "unknown variant `Drop`, expected one of `Add`, `Clear`, `Wrap` at $.op",
            ),
            (
                both::<Tagged>(r#"{"op":5}"#).map(|_| ()),
                "invalid type: integer `5`, expected a string at $.op",
            ),
            (
                both::<Tagged>(r#"{"op":"Add","name":"a","size":"big"}"#).map(|_| ()),
                "invalid type: string \"big\", expected u64 at $.size",
            ),
            (
                both::<StrictTagged>(r#"{"change":"setLimit","to_value":4,"by":1}"#).map(|_| ()),
                "unknown field `by`, expected one of `to_value`, `change`",
            ),
            (
                both::<External>(r#"{"Spot":{"x":1}}"#).map(|_| ()),
                "missing field `y` at $.Spot",
            ),
            (
                both::<External>(r#"{"Plain":1,"Named":"n"}"#).map(|_| ()),
                "invalid value: map, expected map with a single key (enum External)",
            ),
            (
                both::<External>("[]").map(|_| ()),
                "invalid type: sequence, expected enum External",
            ),
            (
                both::<Level>(r#""root""#).map(|_| ()),
                "unknown variant `root`, expected one of `tenantRoot`, `resourceGroup`",
            ),
            (
                both::<Either>("1").map(|_| ()),
                "data did not match any variant of untagged enum Either",
            ),
            (
                both::<Vec<Seconds>>(r#"[1,"2"]"#).map(|_| ()),
                "invalid type: string \"2\", expected i64 at $[1]",
            ),
        ];
        for (got, want) in enums {
            assert_eq!(
                got.as_ref().map_err(|e| e.to_string()),
                Err(want.to_string())
            );
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
                "invalid value: integer `-1`, expected u32 at $.count",
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
