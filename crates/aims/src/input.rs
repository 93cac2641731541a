//! Record input from files (JSON or TOML) and flags: a file gives any fields, flags override them, and for
//! updates both are laid over the record's current data, so only what is given changes.

use crate::{Failure, bad_input};
use aims_app::{AppError, Stored};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::path::Path;

/// Reads a whole text file; a failure names the `file` field and the path.
pub fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| bad_input("file", format!("cannot read {}: {e}", path.display())))
}

/// Reads a JSON or TOML file (by extension; `.toml` is TOML, anything else JSON) into a JSON object.
pub fn read_file(path: &Path) -> Result<Map<String, Value>, Failure> {
    let text = read_text(path)?;
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let value: Value = if is_toml {
        toml::from_str(&text)
            .map_err(|e| bad_input("file", format!("{} is not valid TOML: {e}", path.display())))?
    } else {
        serde_json::from_str(&text)
            .map_err(|e| bad_input("file", format!("{} is not valid JSON: {e}", path.display())))?
    };
    match value {
        Value::Object(m) => Ok(m),
        _ => Err(bad_input(
            "file",
            format!("{} must hold an object (a table of fields)", path.display()),
        )),
    }
}

/// Collects field overrides from flags.
#[derive(Default)]
pub struct Overrides(pub Map<String, Value>);

impl Overrides {
    /// The fields a struct of flags sets, each under its serde name: a flag left out (`None`, or a repeatable
    /// flag never given) sets nothing, so only what is given changes.
    pub fn given<F: Serialize>(flags: &F) -> Overrides {
        let mut o = Overrides::default();
        if let Ok(Value::Object(fields)) = serde_json::to_value(flags) {
            o.0 = fields
                .into_iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .collect();
        }
        o
    }
}

/// Builds a record from `base` (current data, or nothing), an optional file, and flag overrides.
pub fn build<T: Serialize + DeserializeOwned>(
    base: Option<&T>,
    file: Option<&Path>,
    overrides: Overrides,
) -> Result<T, Failure> {
    let mut obj = match base {
        Some(b) => match serde_json::to_value(b) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        },
        None => Map::new(),
    };
    if let Some(path) = file {
        for (k, v) in read_file(path)? {
            obj.insert(k, v);
        }
    }
    for (k, v) in overrides.0 {
        // An object given by flag (custom field values) adds to the stored one.
        match (obj.get_mut(&k), v) {
            (Some(Value::Object(stored)), Value::Object(given)) => stored.extend(given),
            (_, v) => {
                obj.insert(k, v);
            }
        }
    }
    decode(Value::Object(obj), "")
}

/// Turns JSON into a record; a missing or unknown field is named in the failure, under `at` (a prefix such as
/// `[2]` for an item of a list; empty for a whole record, whose other failures name `input`).
pub fn decode<T: DeserializeOwned>(value: Value, at: &str) -> Result<T, Failure> {
    serde_json::from_value(value).map_err(|e| {
        let msg = e.to_string();
        let named = msg
            .split('`')
            .nth(1)
            .filter(|_| msg.starts_with("missing field") || msg.starts_with("unknown field"));
        let field = match (named, at) {
            (Some(f), "") => f.to_string(),
            (Some(f), at) => format!("{at}.{f}"),
            (None, "") => "input".to_string(),
            (None, at) => at.to_string(),
        };
        bad_input(&field, msg)
    })
}

/// The flags of a record on the command line: an optional `--file` with any fields, and the fields the other
/// flags set over it; the flags that map one to one onto a field serialize under its name (see
/// [`Overrides::given`]), the others are parsed by `parsed`.
pub trait Flags: Serialize {
    /// The JSON or TOML file given, if any.
    fn file(&self) -> Option<&Path>;
    /// The fields set by flags that need parsing (`--task TITLE|OWNER|DUE`); none by default.
    fn parsed(&self) -> Result<Overrides, Failure> {
        Ok(Overrides::default())
    }
}

/// Builds a record from its flags, laid over `base` (current data, or nothing for a new record).
pub fn from_flags<T: Serialize + DeserializeOwned>(
    base: Option<&T>,
    flags: &impl Flags,
) -> Result<T, Failure> {
    let mut overrides = Overrides::given(flags);
    overrides.0.extend(flags.parsed()?.0);
    build(base, flags.file(), overrides)
}

/// Lays the flags over a record's current data (none for a new record) and saves the result through `save`,
/// expecting `if_version`, else the version read, so that a concurrent change is refused rather than lost.
pub async fn revise<T: Serialize + DeserializeOwned>(
    current: Option<&Stored<T>>,
    flags: &impl Flags,
    if_version: Option<i64>,
    save: impl AsyncFnOnce(T, Option<i64>) -> Result<Stored<T>, AppError>,
) -> Result<Stored<T>, Failure> {
    let data = from_flags(current.map(|c| &c.data), flags)?;
    Ok(save(data, if_version.or(current.map(|c| c.version))).await?)
}

/// `NOUN update ID [FIELDS]` of a hand-written noun: applies the flags of `u` to `current`, saves the result
/// with `save` (at `--if-version`, or the version read) and reports "Updated {what} {id} (version {n})".
pub async fn updated<
    T: Serialize + DeserializeOwned,
    F: Flags + clap::Args + crate::args::Wording,
>(
    ctx: &crate::Ctx,
    what: &str,
    current: &Stored<T>,
    u: &crate::args::Change<F>,
    save: impl AsyncFnOnce(T, Option<i64>) -> Result<Stored<T>, AppError>,
) -> crate::CmdResult {
    let s = revise(Some(current), &u.fields, u.if_version, save).await?;
    let message = format!("Updated {what} {} (version {})", s.id, s.version);
    crate::cmd_record::done(ctx, &s, message)
}

/// The flag values of a kit record type as the fields they set: custom field values, given as `KEY=VALUE`
/// texts, become an object of typed values (numbers and true/false typed, anything else text); a malformed one is
/// refused naming its flag.
pub fn typed<T: aims_app::kit::Record>(
    mut values: Map<String, Value>,
) -> Result<Overrides, Failure> {
    for f in T::DEF.fields {
        if !matches!(f.kind, aims_app::kit::FieldKind::Custom) {
            continue;
        }
        let Some(Value::Array(items)) = values.remove(f.name) else {
            continue;
        };
        let mut out = Map::new();
        for item in items.iter().filter_map(Value::as_str) {
            let Some((k, v)) = item.split_once('=') else {
                return Err(bad_input(
                    &f.cli_flag(),
                    format!("'{item}' is not KEY=VALUE"),
                ));
            };
            let value = match v {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => v
                    .parse::<i64>()
                    .map(Value::from)
                    .or_else(|_| v.parse::<f64>().map(Value::from))
                    .unwrap_or_else(|_| Value::String(v.to_string())),
            };
            out.insert(k.trim().to_string(), value);
        }
        values.insert(f.name.to_string(), Value::Object(out));
    }
    Ok(Overrides(values))
}
