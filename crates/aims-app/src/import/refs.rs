//! Local refs: in a document, the fields that hold a record id in aims (`supplier_id`, `system_ids`, `system_id`,
//! `risk_id`) hold the `ref` of an item of the same document instead. The check fills the table with stand-in
//! ids and the write phase with the ids it creates; the same linking code serves both.

use aims_domain::ValidationError;
use aims_domain::controls::ControlImplementation;
use aims_domain::impact::ImpactAssessment;
use aims_domain::inventory::AiSystem;
use aims_domain::risk::{Risk, Treatment};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The kinds of record a ref can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// An item of `suppliers`.
    Supplier,
    /// An item of `systems`.
    System,
    /// An item of `impact_assessments`.
    Impact,
    /// An item of `risks`, or `IMPACT_REF#INDEX` for the risk a harm raises.
    Risk,
    /// An item of `treatments`.
    Treatment,
}

impl Kind {
    /// The record kind in messages.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Supplier => "supplier",
            Kind::System => "AI system",
            Kind::Impact => "impact assessment",
            Kind::Risk => "risk",
            Kind::Treatment => "treatment plan",
        }
    }
}

/// Refs of the document and the ids they stand for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Refs {
    ids: HashMap<(Kind, String), String>,
}

impl Refs {
    /// Records the id a ref stands for.
    pub(crate) fn add(&mut self, kind: Kind, key: &str, id: String) {
        self.ids.insert((kind, key.to_string()), id);
    }

    /// Records the id of an item that has a ref.
    pub(crate) fn keep<T>(&mut self, kind: Kind, e: &super::doc::Entry<T>, id: &str) {
        if let Some(k) = &e.key {
            self.add(kind, k, id.to_string());
        }
    }

    /// The id a ref stands for.
    pub(crate) fn id(&self, kind: Kind, key: &str) -> Option<&String> {
        self.ids.get(&(kind, key.to_string()))
    }

    /// The id of `key`, or a problem named `field` when the document has no such ref.
    pub(crate) fn resolve(
        &self,
        kind: Kind,
        key: &str,
        field: &str,
        errs: &mut ValidationError,
    ) -> Option<String> {
        let found = self.id(kind, key).cloned();
        if found.is_none() {
            let hint = if kind == Kind::Risk && key.contains('#') {
                " (a harm raises a risk only when it is above the risk appetite)"
            } else {
                ""
            };
            errs.push(
                field,
                format!(
                    "no {} with ref '{key}' earlier in the document{hint}",
                    kind.noun()
                ),
            );
        }
        found
    }

    /// Replaces `value` (a ref) by its id. A ref that does not resolve is named in `errs` and replaced by a
    /// stand-in id, so that the record's own validation does not report it a second time.
    fn link(&self, kind: Kind, value: &mut String, field: &str, errs: &mut ValidationError) {
        *value = self
            .resolve(kind, value, field, errs)
            .unwrap_or_else(aims_domain::new_id);
    }

    /// Links the suppliers of an AI system's components.
    pub(crate) fn link_system(&self, s: &mut AiSystem, path: &str, errs: &mut ValidationError) {
        for (i, c) in s.components.iter_mut().enumerate() {
            if !c.supplier_id.is_empty() {
                let field = format!("{path}.components[{i}].supplier_id");
                self.link(Kind::Supplier, &mut c.supplier_id, &field, errs);
            }
        }
    }

    /// Links the component suppliers a change of an AI system (a JSON merge patch) names.
    pub(crate) fn link_patch(
        &self,
        patch: &Map<String, Value>,
        path: &str,
        errs: &mut ValidationError,
    ) -> Map<String, Value> {
        let mut patch = patch.clone();
        if let Some(Value::Array(components)) = patch.get_mut("components") {
            for (i, c) in components.iter_mut().enumerate() {
                if let Some(Value::String(id)) = c.get_mut("supplier_id")
                    && !id.is_empty()
                {
                    let field = format!("{path}.components[{i}].supplier_id");
                    self.link(Kind::Supplier, id, &field, errs);
                }
            }
        }
        patch
    }

    /// Links the supplier a control is inherited from.
    pub(crate) fn link_control(
        &self,
        c: &mut ControlImplementation,
        path: &str,
        errs: &mut ValidationError,
    ) {
        if let Some(inh) = &mut c.inherited {
            let field = format!("{path}.inherited.supplier_id");
            self.link(Kind::Supplier, &mut inh.supplier_id, &field, errs);
        }
    }

    /// Links the AI systems a risk concerns.
    pub(crate) fn link_risk(&self, r: &mut Risk, path: &str, errs: &mut ValidationError) {
        for (i, id) in r.system_ids.iter_mut().enumerate() {
            let field = format!("{path}.system_ids[{i}]");
            self.link(Kind::System, id, &field, errs);
        }
    }

    /// Links the AI system an impact assessment is about.
    pub(crate) fn link_impact(
        &self,
        a: &mut ImpactAssessment,
        path: &str,
        errs: &mut ValidationError,
    ) {
        let field = format!("{path}.system_id");
        self.link(Kind::System, &mut a.system_id, &field, errs);
    }

    /// Links the risk a treatment plan treats.
    pub(crate) fn link_treatment(&self, t: &mut Treatment, path: &str, errs: &mut ValidationError) {
        let field = format!("{path}.risk_id");
        self.link(Kind::Risk, &mut t.risk_id, &field, errs);
    }
}

/// Adds a record's own problems to `errs`, each field named under `path` (`systems[2]` + `name`).
pub(crate) fn prefixed(errs: &mut ValidationError, path: &str, r: Result<(), ValidationError>) {
    if let Err(v) = r {
        for e in v.errors {
            let field = if e.field.is_empty() {
                path.to_string()
            } else if e.field.starts_with('[') {
                format!("{path}{}", e.field)
            } else {
                format!("{path}.{}", e.field)
            };
            errs.push(field, e.message);
        }
    }
}
