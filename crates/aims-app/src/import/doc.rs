//! The organization document as read from JSON: its sections and items, each item with the path that error
//! messages name (`risks[3].assessments[0].inherent.likelihood`). Reading checks the shape only; the meaning is
//! checked in [`super::check`].

use aims_domain::ValidationError;
use aims_domain::classification::Answers;
use aims_domain::context::{InterestedParty, Organization, Supplier};
use aims_domain::controls::ControlImplementation;
use aims_domain::impact::ImpactAssessment;
use aims_domain::inventory::{AiSystem, CustomFieldDef};
use aims_domain::risk::{Acceptance, Risk, RiskAssessment, RiskMethod, Treatment};
use aims_domain::soa::SoaApproval;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The version tag every document carries in its `format` field.
pub const FORMAT: &str = "aims-organization/1";

/// The sections of a document, in the order they are written.
pub(crate) const SECTIONS: &[&str] = &[
    "organization",
    "users",
    "scope",
    "suppliers",
    "custom_fields",
    "controls",
    "interested_parties",
    "systems",
    "risk_method",
    "classifications",
    "impact_assessments",
    "risks",
    "treatments",
    "steps",
];

/// The sections of the kit record types that have no handling of their own here: each is named by its
/// record type's plural (`context_issues`), read as that record's JSON, checked by its own validation and
/// written by the kit's create use case, right after the scope. A record type added to the kit's registry gets
/// its section without a change here.
pub(crate) fn kit_sections() -> Vec<String> {
    struct Names(Vec<String>);
    impl crate::kit::RecordVisitor for Names {
        fn visit<T: crate::kit::Record>(&mut self) {
            let name = T::DEF.plural_snake();
            if !SECTIONS.contains(&name.as_str()) {
                self.0.push(name);
            }
        }
    }
    let mut names = Names(vec![]);
    crate::kit::each_record(&mut names);
    names.0
}

/// An item of a kit section read as its record type, naming the path of the first problem inside it.
pub(crate) fn typed<T: DeserializeOwned>(path: &str, value: &Value) -> Result<T, ValidationError> {
    serde_path_to_error::deserialize::<_, T>(value.clone()).map_err(|e| {
        let inner = e.path().to_string();
        let field = if inner == "." {
            path.to_string()
        } else {
            format!("{path}.{inner}")
        };
        ValidationError::one(field, e.into_inner().to_string())
    })
}

/// One item of a section: where it is, its local `ref`, the user it is entered by (`actor`), and its data.
#[derive(Debug, Clone)]
pub(crate) struct Entry<T> {
    /// Path of the item in the document (`systems[2]`).
    pub path: String,
    /// The item's local key, for other items to refer to it.
    pub key: Option<String>,
    /// Ref of the document user who enters the item; the importer when absent.
    pub actor: Option<String>,
    /// The record itself.
    pub data: T,
}

/// A member to add: the user is created when no user has the email yet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UserInput {
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role in the organization.
    pub role: String,
}

/// One version of the scope statement, with its approval when the version is approved.
#[derive(Debug, Clone)]
pub(crate) struct ScopeInput {
    /// The draft to write.
    pub draft: ScopeDraft,
    /// The approval of the draft, if given.
    pub approve: Option<Entry<ScopeApproval>>,
}

/// The text of a scope draft.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScopeDraft {
    /// The scope statement.
    pub statement: String,
    /// Units, sites and systems covered.
    #[serde(default)]
    pub boundaries: String,
    /// What is left out, and why.
    #[serde(default)]
    pub exclusions: String,
}

/// The approval of a scope draft.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScopeApproval {
    /// Remark recorded with the approval.
    #[serde(default)]
    pub note: String,
}

/// An AI system with what happens to it after it is added.
#[derive(Debug, Clone)]
pub(crate) struct SystemInput {
    /// The system as first added.
    pub system: AiSystem,
    /// Later changes: JSON merge patches (RFC 7386) over the stored system, applied in order.
    pub changes: Vec<Entry<Map<String, Value>>>,
    /// Retirement, after the changes.
    pub retire: Option<Entry<Retirement>>,
}

/// A change of an AI system.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    /// The fields to change, as a JSON merge patch.
    set: Map<String, Value>,
}

/// The retirement of an AI system.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Retirement {
    /// Day of retirement (YYYY-MM-DD).
    pub on: String,
    /// Why it was retired.
    pub reason: String,
}

/// An EU AI Act classification of a system of the document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClassificationInput {
    /// Ref of the system.
    pub system_id: String,
    /// The organization's role; the system's own role when absent.
    #[serde(default)]
    pub role: Option<String>,
    /// Answers to the questionnaire.
    pub answers: Answers,
}

/// An impact assessment with its approval, when approved.
#[derive(Debug, Clone)]
pub(crate) struct ImpactInput {
    /// The draft assessment.
    pub assessment: ImpactAssessment,
    /// The approval.
    pub approve: Option<Entry<Acceptance>>,
}

/// A workflow step, run after every record section, in document order.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum Step {
    /// Re-assess a risk (of `risks`, or raised by an impact assessment as `REF#INDEX`).
    AssessRisk {
        /// Ref of the risk.
        risk: String,
        /// The new assessment; its date is the day of the import when left out.
        assessment: RiskAssessment,
    },
    /// Accept the residual risk of a treatment plan.
    AcceptTreatment {
        /// Ref of the treatment plan.
        treatment: String,
        /// Who accepts, and why.
        acceptance: Acceptance,
    },
    /// Approve the Statement of Applicability as it stands.
    ApproveSoa(SoaApproval),
    /// Record (or change) a control implementation.
    SetControl(ControlImplementation),
}

/// A document read into typed sections; nothing checked beyond the shape.
#[derive(Debug, Clone, Default)]
pub(crate) struct Document {
    pub organization: Option<Entry<Organization>>,
    pub users: Vec<Entry<UserInput>>,
    pub scope: Vec<Entry<ScopeInput>>,
    /// Sections of the kit record types without handling of their own (see [`kit_sections`]), in registry
    /// order, each item still as JSON.
    pub kit: Vec<(String, Vec<Entry<Value>>)>,
    pub suppliers: Vec<Entry<Supplier>>,
    pub custom_fields: Vec<Entry<CustomFieldDef>>,
    pub controls: Vec<Entry<ControlImplementation>>,
    pub interested_parties: Vec<Entry<InterestedParty>>,
    pub systems: Vec<Entry<SystemInput>>,
    pub risk_method: Option<Entry<RiskMethod>>,
    pub classifications: Vec<Entry<ClassificationInput>>,
    pub impact_assessments: Vec<Entry<ImpactInput>>,
    pub risks: Vec<Entry<Risk>>,
    pub treatments: Vec<Entry<Treatment>>,
    pub steps: Vec<Entry<Step>>,
}

/// Which of the reserved keys an item may carry besides its record's fields.
#[derive(Clone, Copy)]
struct Keys {
    /// A local `ref`.
    key: bool,
    /// An `actor`.
    actor: bool,
}

const REF_AND_ACTOR: Keys = Keys {
    key: true,
    actor: true,
};
const ACTOR_ONLY: Keys = Keys {
    key: false,
    actor: true,
};

/// Reads a document; every shape problem is reported with its path.
pub(crate) fn read(text: &str) -> Result<Document, ValidationError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ValidationError::one("document", format!("is not valid JSON: {e}")))?;
    let Value::Object(mut top) = value else {
        return Err(ValidationError::one(
            "document",
            "must be a JSON object with a `format` field",
        ));
    };
    let mut errs = ValidationError::default();
    match top.remove("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => errs.push(
            "format",
            format!("is {other}; this version of aims reads \"{FORMAT}\""),
        ),
        None => errs.push(
            "format",
            format!("is missing; write \"format\": \"{FORMAT}\""),
        ),
    }
    let kit = kit_sections();
    for key in top.keys() {
        if !SECTIONS.contains(&key.as_str()) && !kit.contains(key) {
            let all: Vec<&str> = SECTIONS
                .iter()
                .copied()
                .chain(kit.iter().map(String::as_str))
                .collect();
            errs.push(
                key.clone(),
                format!("is not a section; expected one of: {}", all.join(", ")),
            );
        }
    }
    let mut r = Reader {
        top,
        errs: &mut errs,
    };
    let doc = Document {
        organization: r.single("organization", ACTOR_ONLY),
        users: r.list(
            "users",
            Keys {
                key: true,
                actor: false,
            },
        ),
        scope: r.list_with(
            "scope",
            ACTOR_ONLY,
            &["approve"],
            |r, path, data, mut extra| {
                let draft = r.parse(path, data)?;
                let approve = r.extra(&mut extra, path, "approve");
                Some(ScopeInput { draft, approve })
            },
        ),
        kit: kit
            .iter()
            .map(|name| (name.clone(), r.list::<Value>(name, ACTOR_ONLY)))
            .filter(|(_, items)| !items.is_empty())
            .collect(),
        suppliers: r.list("suppliers", REF_AND_ACTOR),
        custom_fields: r.list("custom_fields", ACTOR_ONLY),
        controls: r.list("controls", ACTOR_ONLY),
        interested_parties: r.list("interested_parties", ACTOR_ONLY),
        systems: r.list_with(
            "systems",
            REF_AND_ACTOR,
            &["changes", "retire"],
            |r, path, data, mut extra| {
                let system = r.parse(path, data);
                let changes = match extra.remove("changes") {
                    None => vec![],
                    Some(Value::Array(items)) => items
                        .into_iter()
                        .enumerate()
                        .filter_map(|(i, v)| {
                            let c: Entry<Change> = r.nested(&format!("{path}.changes[{i}]"), v)?;
                            let set = c.data.set.clone();
                            Some(c.with(set))
                        })
                        .collect(),
                    Some(_) => {
                        r.errs.push(format!("{path}.changes"), "must be a list");
                        vec![]
                    }
                };
                let retire = r.extra(&mut extra, path, "retire");
                Some(SystemInput {
                    system: system?,
                    changes,
                    retire,
                })
            },
        ),
        risk_method: r.single("risk_method", ACTOR_ONLY),
        classifications: r.list("classifications", ACTOR_ONLY),
        impact_assessments: r.list_with(
            "impact_assessments",
            REF_AND_ACTOR,
            &["approve"],
            |r, path, data, mut extra| {
                let assessment = r.parse(path, data);
                let approve = r.extra(&mut extra, path, "approve");
                Some(ImpactInput {
                    assessment: assessment?,
                    approve,
                })
            },
        ),
        risks: r.list("risks", REF_AND_ACTOR),
        treatments: r.list("treatments", REF_AND_ACTOR),
        steps: r.list_with("steps", ACTOR_ONLY, &[], |r, path, mut data, _| {
            // A re-assessment without a date is dated the day of the import.
            if let Some(a) = data
                .get_mut("assess_risk")
                .and_then(|s| s.get_mut("assessment"))
                .and_then(Value::as_object_mut)
                && !a.contains_key("date")
            {
                a.insert("date".into(), Value::String(crate::today()));
            }
            r.parse(path, data)
        }),
    };
    errs.into_result().map(|()| doc)
}

impl Step {
    /// The step's key in the document (`approve_soa`).
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Step::AssessRisk { .. } => "assess_risk",
            Step::AcceptTreatment { .. } => "accept_treatment",
            Step::ApproveSoa(_) => "approve_soa",
            Step::SetControl(_) => "set_control",
        }
    }
}

impl Entry<Step> {
    /// The step's action as an item of its own (`steps[4].set_control`), entered by the step's actor.
    pub(crate) fn action<T: Clone>(&self, data: &T) -> Entry<T> {
        Entry {
            path: format!("{}.{}", self.path, self.data.name()),
            key: None,
            actor: self.actor.clone(),
            data: data.clone(),
        }
    }
}

impl<T> Entry<T> {
    /// The same position and keys with other data.
    fn with<U>(self, data: U) -> Entry<U> {
        Entry {
            path: self.path,
            key: self.key,
            actor: self.actor,
            data,
        }
    }
}

/// Walks the sections of the top-level object, collecting problems.
struct Reader<'a> {
    top: Map<String, Value>,
    errs: &'a mut ValidationError,
}

impl Reader<'_> {
    /// Deserializes `value` as `T`, naming the path of the first problem inside it.
    fn parse<T: DeserializeOwned>(&mut self, path: &str, value: Value) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(v) => Some(v),
            Err(e) => {
                let inner = e.path().to_string();
                let field = if inner == "." {
                    path.to_string()
                } else {
                    format!("{path}.{inner}")
                };
                self.errs.push(field, e.into_inner().to_string());
                None
            }
        }
    }

    /// Splits an item into its reserved keys, the named `extra` keys, and the record's own fields.
    fn item(
        &mut self,
        path: &str,
        value: Value,
        keys: Keys,
        extra: &[&str],
    ) -> Option<(Entry<()>, Value, Map<String, Value>)> {
        let Value::Object(mut obj) = value else {
            self.errs.push(path, "must be an object");
            return None;
        };
        let mut text = |name: &str, allowed: bool| -> Option<String> {
            let v = if allowed { obj.remove(name) } else { None }?;
            match v {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                _ => {
                    self.errs
                        .push(format!("{path}.{name}"), "must be a non-empty string");
                    None
                }
            }
        };
        let key = text("ref", keys.key);
        let actor = text("actor", keys.actor);
        let mut extras = Map::new();
        for name in extra {
            if let Some(v) = obj.remove(*name) {
                extras.insert((*name).to_string(), v);
            }
        }
        let entry = Entry {
            path: path.to_string(),
            key,
            actor,
            data: (),
        };
        Some((entry, Value::Object(obj), extras))
    }

    /// An object of one record with the reserved `keys`.
    fn one<T: DeserializeOwned>(
        &mut self,
        path: &str,
        value: Value,
        keys: Keys,
    ) -> Option<Entry<T>> {
        let (e, data, _) = self.item(path, value, keys, &[])?;
        let data = self.parse(path, data)?;
        Some(e.with(data))
    }

    /// An object inside an item that may name its own `actor` (an approval, a change).
    fn nested<T: DeserializeOwned>(&mut self, path: &str, value: Value) -> Option<Entry<T>> {
        self.one(path, value, ACTOR_ONLY)
    }

    /// The `name` key an item set aside as extra, read as a nested object.
    fn extra<T: DeserializeOwned>(
        &mut self,
        extra: &mut Map<String, Value>,
        path: &str,
        name: &str,
    ) -> Option<Entry<T>> {
        let v = extra.remove(name)?;
        self.nested(&format!("{path}.{name}"), v)
    }

    /// A section holding one object.
    fn single<T: DeserializeOwned>(&mut self, section: &str, keys: Keys) -> Option<Entry<T>> {
        let v = self.top.remove(section)?;
        self.one(section, v, keys)
    }

    /// A section holding a list of records of one type.
    fn list<T: DeserializeOwned>(&mut self, section: &str, keys: Keys) -> Vec<Entry<T>> {
        self.list_with(section, keys, &[], |r, path, data, _| r.parse(path, data))
    }

    /// A section holding a list of items built by `build` from their fields and `extra` keys.
    fn list_with<T>(
        &mut self,
        section: &str,
        keys: Keys,
        extra: &[&str],
        mut build: impl FnMut(&mut Self, &str, Value, Map<String, Value>) -> Option<T>,
    ) -> Vec<Entry<T>> {
        let items = match self.top.remove(section) {
            None => return vec![],
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.errs.push(section, "must be a list");
                return vec![];
            }
        };
        items
            .into_iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let (e, data, extras) = self.item(&format!("{section}[{i}]"), v, keys, extra)?;
                let path = e.path.clone();
                let built = build(self, &path, data, extras)?;
                Some(e.with(built))
            })
            .collect()
    }
}
