//! JSON Merge Patch (RFC 7396) of a record's data: what the API's PATCH and the organization import's changes
//! apply, so that both read a patch the same way and name the field a bad value sits in.

use aims_domain::ValidationError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// `data` with `patch` applied: objects merge key by key, `null` removes a key (the field takes its default, or
/// is missing), anything else replaces. A value of the wrong type, an unknown field or a required field removed
/// is refused under its field, written after `path` when one is given (`systems[0].set.owner`).
pub fn merge_patch<T: Serialize + DeserializeOwned>(
    data: &T,
    patch: &Map<String, Value>,
    path: &str,
) -> Result<T, ValidationError> {
    let field = |inner: &str| match (path, inner) {
        ("", "." | "") => "body".to_string(),
        ("", inner) => inner.to_string(),
        (path, inner) => format!("{path}.{inner}"),
    };
    let mut value =
        serde_json::to_value(data).map_err(|e| ValidationError::one(field(""), e.to_string()))?;
    merge(&mut value, &Value::Object(patch.clone()));
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = e.path().to_string();
        let message = e.into_inner().to_string();
        // At the top level serde names the field only in its message ("unknown field `colour`").
        let named = ["unknown field `", "missing field `"]
            .iter()
            .find_map(|m| message.split(m).nth(1))
            .and_then(|rest| rest.split('`').next())
            .filter(|_| inner == "." || inner.is_empty())
            .map(str::to_string);
        ValidationError::one(named.map_or_else(|| field(&inner), |n| field(&n)), message)
    })
}

fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::merge_patch;
    use aims_domain::context::ContextIssue;
    use serde_json::{Map, Value, json};

    fn patch(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn a_patch_changes_what_it_names_and_refuses_naming_the_field() {
        let issue: ContextIssue = serde_json::from_value(
            json!({"title": "Old", "kind": "internal", "category": "legal"}),
        )
        .unwrap();
        let changed = merge_patch(
            &issue,
            &patch(json!({"title": "New", "category": null})),
            "",
        )
        .unwrap();
        assert_eq!(changed.title, "New");
        assert_eq!(
            changed.kind, "internal",
            "fields left out stay as they were"
        );
        assert_eq!(
            changed.category, "",
            "null removes the field, which takes its default"
        );
        let e = merge_patch(&issue, &patch(json!({"climate_related": "very"})), "").unwrap_err();
        assert_eq!(e.errors[0].field, "climate_related");
        let e = merge_patch(&issue, &patch(json!({"colour": "red"})), "").unwrap_err();
        assert_eq!(e.errors[0].field, "colour");
        let e = merge_patch(&issue, &patch(json!({"title": null})), "").unwrap_err();
        assert_eq!(e.errors[0].field, "title");
        let e = merge_patch(&issue, &patch(json!({"title": 5})), "changes[0].set").unwrap_err();
        assert_eq!(e.errors[0].field, "changes[0].set.title");
    }
}
