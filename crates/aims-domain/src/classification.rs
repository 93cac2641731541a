//! EU AI Act classification of an AI system from the answers to a guided questionnaire.
//!
//! The questionnaire and the table of obligations are content (the `eu-ai-act-classification` pack of
//! `aims-catalog`); the application layer hands them to [`classify`] as plain data ([`QuestionnaireSpec`]), so this
//! module stays free of I/O and of the catalogue. The rules applied here:
//! - any prohibited practice (Art. 5) makes the system `prohibited`;
//! - otherwise it is `high_risk` through Art. 6(1) (Annex I product) or through an Annex III area (Art. 6(2)),
//!   unless an Art. 6(3) condition holds and the system does not profile natural persons (the exception);
//! - otherwise it is `limited` when a transparency duty (Art. 50) applies, else `minimal`;
//! - transparency and general-purpose AI model duties are added on top of any class.
//!
//! The result is a first assessment to be reviewed by a person, not legal advice.

use crate::ValidationError;
use crate::vocab::AiRole;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Provision cited by the reason given when nothing places the system in a higher class.
const MINIMAL_PROVISION: &str = "Art. 6";

// ---------------------------------------------------------------------------------------------------------------
// The questionnaire as plain data
// ---------------------------------------------------------------------------------------------------------------

/// The section a question belongs to; it decides what a "yes" means for the classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Art. 5(1): a yes makes the system prohibited.
    Prohibited,
    /// Art. 6(1): a yes makes the system high-risk as (part of) an Annex I product.
    ProductSafety,
    /// Art. 6(2): the chosen Annex III areas make the system high-risk unless the exception applies.
    AnnexIii,
    /// Art. 6(3): conditions that take an Annex III system out of the high-risk class, and the profiling override.
    Exception,
    /// Art. 27: whether a deployer of a high-risk system must carry out a fundamental rights impact assessment.
    Fria,
    /// Art. 50: transparency duties on top of any class.
    Transparency,
    /// Art. 51–55: the organization provides a general-purpose AI model, possibly with systemic risk.
    Gpai,
}

impl Section {
    /// Every section, in questionnaire order.
    pub const ALL: &'static [Section] = &[
        Section::Prohibited,
        Section::ProductSafety,
        Section::AnnexIii,
        Section::Exception,
        Section::Fria,
        Section::Transparency,
        Section::Gpai,
    ];

    /// The stored text of this section.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Prohibited => "prohibited",
            Section::ProductSafety => "product_safety",
            Section::AnnexIii => "annex_iii",
            Section::Exception => "exception",
            Section::Fria => "fria",
            Section::Transparency => "transparency",
            Section::Gpai => "gpai",
        }
    }
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// `true` or `false`.
    YesNo,
    /// A list of the chosen option values (possibly empty).
    Choice,
}

/// A special meaning of a question inside its section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// In the `exception` section: a yes rules the Art. 6(3) exception out (a system that profiles people).
    OverridesException,
    /// In the `gpai` section: a yes means the general-purpose AI model carries systemic risk.
    SystemicRisk,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionSpec {
    /// The value stored in the answers (`Annex III(4)`).
    pub value: String,
    /// Provision a reason cites when this option is chosen; the question's provision when empty.
    #[serde(default)]
    pub provision: String,
    /// Plain-words reason recorded when this option is chosen; the value when empty.
    #[serde(default)]
    pub reason: String,
    /// Choosing only options with this flag does not lead to a fundamental rights impact assessment (Annex III(2)).
    #[serde(default)]
    pub excludes_fria: bool,
}

/// One question of the questionnaire. Field names follow the questionnaire file, so the catalogue's question
/// converts with `serde_json::to_value` / `from_value`; extra fields (text, help, labels) are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionSpec {
    /// Stable snake_case id, the key in [`Answers`].
    pub id: String,
    /// Section; decides what a yes means.
    pub section: Section,
    /// Provision the question is about; cited by the reason a yes produces.
    pub provision: String,
    /// Yes/no or choice.
    pub kind: QuestionKind,
    /// Options of a choice question.
    #[serde(default)]
    pub options: Vec<OptionSpec>,
    /// Plain-words reason recorded when the answer is yes.
    #[serde(default)]
    pub reason: String,
    /// Special meaning inside the section, if any.
    #[serde(default)]
    pub effect: Option<Effect>,
}

/// When a row of the obligations table applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Trigger {
    /// For every system (`always`).
    Always,
    /// The system is prohibited (`prohibited`).
    Prohibited,
    /// The system is high-risk (`high_risk`).
    HighRisk,
    /// The Art. 6(3) exception took the system out of the high-risk class (`exception`).
    Exception,
    /// A fundamental rights impact assessment is required (`fria`).
    Fria,
    /// The organization provides a general-purpose AI model (`gpai`).
    Gpai,
    /// ... with systemic risk (`gpai_systemic`).
    GpaiSystemic,
    /// The named transparency question was answered yes (`transparency:<question id>`).
    Transparency(String),
}

impl Trigger {
    /// The fixed trigger texts; `transparency:<question id>` comes on top.
    pub const FIXED: &'static [&'static str] = &[
        "always",
        "prohibited",
        "high_risk",
        "exception",
        "fria",
        "gpai",
        "gpai_systemic",
    ];

    /// Parses an `applies_when` text, naming `field` when it is not known.
    pub fn parse(field: &str, text: &str) -> Result<Trigger, ValidationError> {
        let t = text.trim();
        Ok(match t {
            "always" => Trigger::Always,
            "prohibited" => Trigger::Prohibited,
            "high_risk" => Trigger::HighRisk,
            "exception" => Trigger::Exception,
            "fria" => Trigger::Fria,
            "gpai" => Trigger::Gpai,
            "gpai_systemic" => Trigger::GpaiSystemic,
            _ => match t.strip_prefix("transparency:") {
                Some(id) if !id.trim().is_empty() => Trigger::Transparency(id.trim().to_string()),
                _ => {
                    return Err(ValidationError::one(
                        field,
                        format!(
                            "unknown value '{text}'; expected one of: {}, transparency:<question id>",
                            Self::FIXED.join(", ")
                        ),
                    ));
                }
            },
        })
    }

    /// The stored text of this trigger.
    pub fn as_text(&self) -> String {
        match self {
            Trigger::Always => "always".into(),
            Trigger::Prohibited => "prohibited".into(),
            Trigger::HighRisk => "high_risk".into(),
            Trigger::Exception => "exception".into(),
            Trigger::Fria => "fria".into(),
            Trigger::Gpai => "gpai".into(),
            Trigger::GpaiSystemic => "gpai_systemic".into(),
            Trigger::Transparency(id) => format!("transparency:{id}"),
        }
    }
}

impl TryFrom<String> for Trigger {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Trigger::parse("applies_when", &value)
    }
}

impl From<Trigger> for String {
    fn from(t: Trigger) -> String {
        t.as_text()
    }
}

/// One row of the obligations table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ObligationSpec {
    /// When the row applies.
    pub applies_when: Trigger,
    /// The organization roles the row binds.
    #[serde(deserialize_with = "de_roles")]
    pub roles: Vec<AiRole>,
    /// Provision the obligation comes from.
    pub provision: String,
    /// What to do, in plain words.
    pub note: String,
}

fn de_roles<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<AiRole>, D::Error> {
    let texts = Vec::<String>::deserialize(d)?;
    texts
        .iter()
        .map(|t| AiRole::parse("roles", t).map_err(de::Error::custom))
        .collect()
}

/// The questionnaire and obligations table handed to [`classify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionnaireSpec {
    /// Version of the questionnaire content; recorded in the result.
    pub version: i64,
    /// Questions in questionnaire order (reasons follow this order).
    pub questions: Vec<QuestionSpec>,
    /// Obligation rows in the order the result lists them.
    pub obligations: Vec<ObligationSpec>,
}

// ---------------------------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------------------------

/// The answer to one question: `true`/`false` for a yes/no question, a list of option values for a choice
/// question. On input, the strings `"yes"`/`"no"`/`"true"`/`"false"` are read as yes/no and any other single
/// string as a one-element list, so that form and command-line input need no conversion; [`classify`] then
/// checks the answer against the question and names the field when it does not fit.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// Yes (`true`) or no (`false`).
    YesNo(bool),
    /// The chosen option values.
    Choices(Vec<String>),
}

impl Answer {
    /// Yes.
    pub const YES: Answer = Answer::YesNo(true);
    /// No.
    pub const NO: Answer = Answer::YesNo(false);

    /// A choice answer from option values.
    pub fn choices<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Answer {
        Answer::Choices(values.into_iter().map(Into::into).collect())
    }
}

impl From<bool> for Answer {
    fn from(b: bool) -> Answer {
        Answer::YesNo(b)
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Answer, D::Error> {
        struct AnswerVisitor;
        impl<'de> Visitor<'de> for AnswerVisitor {
            type Value = Answer;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true or false, or a list of option values")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Answer, E> {
                Ok(Answer::YesNo(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Answer, E> {
                Ok(match v.trim().to_ascii_lowercase().as_str() {
                    "yes" | "true" => Answer::YesNo(true),
                    "no" | "false" => Answer::YesNo(false),
                    _ => Answer::Choices(vec![v.to_string()]),
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Answer, A::Error> {
                let mut values = Vec::new();
                while let Some(v) = seq.next_element::<String>()? {
                    values.push(v);
                }
                Ok(Answer::Choices(values))
            }
        }
        d.deserialize_any(AnswerVisitor)
    }
}

/// Answers by question id, as JSON: `{"manipulative_techniques": false, "annex_iii_areas": ["Annex III(4)"]}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(pub BTreeMap<String, Answer>);

impl Answers {
    /// No answers yet.
    pub fn new() -> Answers {
        Answers::default()
    }

    /// Sets the answer to question `id` (builder style).
    pub fn with(mut self, id: impl Into<String>, answer: impl Into<Answer>) -> Answers {
        self.0.insert(id.into(), answer.into());
        self
    }

    /// Sets the answer to question `id`.
    pub fn set(&mut self, id: impl Into<String>, answer: impl Into<Answer>) {
        self.0.insert(id.into(), answer.into());
    }

    /// The answer to question `id`.
    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.0.get(id)
    }

    /// Whether question `id` was answered yes.
    pub fn is_yes(&self, id: &str) -> bool {
        matches!(self.0.get(id), Some(Answer::YesNo(true)))
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The result
// ---------------------------------------------------------------------------------------------------------------

/// EU AI Act risk class of an AI system.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskClass {
    /// A practice banned by Art. 5.
    Prohibited,
    /// High-risk under Art. 6.
    HighRisk,
    /// Transparency duties (Art. 50) only.
    Limited,
    /// No class-specific duty.
    Minimal,
}

impl RiskClass {
    /// Every value, from the most to the least restricted.
    pub const ALL: &'static [RiskClass] = &[
        RiskClass::Prohibited,
        RiskClass::HighRisk,
        RiskClass::Limited,
        RiskClass::Minimal,
    ];

    /// The stored and displayed text of this value.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskClass::Prohibited => "prohibited",
            RiskClass::HighRisk => "high_risk",
            RiskClass::Limited => "limited",
            RiskClass::Minimal => "minimal",
        }
    }

    /// Parses `value` (case-insensitive, `-` accepted for `_`), naming `field` when it is not allowed.
    pub fn parse(field: &str, value: &str) -> Result<RiskClass, ValidationError> {
        let v = value.trim().to_ascii_lowercase().replace('-', "_");
        if let Some(c) = Self::ALL.iter().find(|c| c.as_str() == v) {
            return Ok(*c);
        }
        let allowed: Vec<&str> = Self::ALL.iter().map(|x| x.as_str()).collect();
        Err(ValidationError::one(
            field,
            format!(
                "unknown value '{value}'; expected one of: {}",
                allowed.join(", ")
            ),
        ))
    }
}

impl fmt::Display for RiskClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Through which provision of Art. 6 the system is high-risk.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HighRiskRoute {
    /// Not high-risk under Art. 6 (no Annex I product, no Annex III area, or the Art. 6(3) exception applied).
    #[serde(rename = "none")]
    None,
    /// Art. 6(1): an Annex I product or its safety component.
    #[serde(rename = "art_6_1")]
    Art61,
    /// Art. 6(2): an Annex III area (see `annex_iii_areas`).
    #[serde(rename = "annex_iii")]
    AnnexIii,
    /// Both of the above.
    #[serde(rename = "art_6_1_and_annex_iii")]
    Art61AndAnnexIii,
}

/// Why the classification came out as it did: one finding in plain words and the provision behind it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// Provision (`Annex III(4)`, `Art. 5(1)(c)`).
    pub provision: String,
    /// What was found (`used in employment — recruitment or selection of candidates ...`).
    pub text: String,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.provision, self.text)
    }
}

/// One obligation that follows for the organization's role.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    /// Provision the obligation comes from (`Art. 26`).
    pub provision: String,
    /// What to do, in plain words.
    pub note: String,
    /// Why it applies: the `applies_when` of its row (`high_risk`, `transparency:interacts_with_people`, ...).
    pub applies_when: String,
}

/// The outcome of classifying one AI system for one organization role.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    /// Version of the questionnaire the answers were given to.
    pub questionnaire_version: i64,
    /// The organization's role the obligations were selected for ([`AiRole`]).
    pub role: String,
    /// The risk class.
    pub risk_class: RiskClass,
    /// Through which provision of Art. 6 the system is high-risk; `none` when it is not (even if prohibited, the
    /// route shows what Art. 6 alone would say).
    pub high_risk_route: HighRiskRoute,
    /// The Annex III areas chosen (`Annex III(4)`), even when the exception applied.
    pub annex_iii_areas: Vec<String>,
    /// Whether the Art. 6(3) exception took the Annex III areas out of the high-risk class.
    pub exception_applied: bool,
    /// Whether a fundamental rights impact assessment (Art. 27) is required of this deployer.
    pub fria_required: bool,
    /// Transparency provisions that apply to the system (`Art. 50(1)`), whatever the role.
    pub transparency: Vec<String>,
    /// The organization provides the system as a general-purpose AI model.
    pub gpai: bool,
    /// ... and that model carries systemic risk.
    pub gpai_systemic: bool,
    /// The findings behind the result, in questionnaire order.
    pub reasons: Vec<Reason>,
    /// The obligations for this role, one per provision, in the order of the obligations table.
    pub obligations: Vec<Obligation>,
}

// ---------------------------------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------------------------------

fn check_answer(errs: &mut ValidationError, field: &str, q: &QuestionSpec, answer: &Answer) {
    match (q.kind, answer) {
        (QuestionKind::YesNo, Answer::YesNo(_)) => {}
        (QuestionKind::YesNo, Answer::Choices(_)) => {
            errs.push(field, "expects yes or no (true or false)");
        }
        (QuestionKind::Choice, Answer::YesNo(_)) => errs.push(
            field,
            "expects a list of the options that apply (possibly empty), not yes or no",
        ),
        (QuestionKind::Choice, Answer::Choices(values)) => {
            let mut seen = BTreeSet::new();
            for v in values {
                if !q.options.iter().any(|o| o.value == *v) {
                    let allowed: Vec<&str> = q.options.iter().map(|o| o.value.as_str()).collect();
                    errs.push(
                        field,
                        format!(
                            "unknown option '{v}'; expected any of: {}",
                            allowed.join(", ")
                        ),
                    );
                } else if !seen.insert(v.as_str()) {
                    errs.push(field, format!("option '{v}' is chosen twice"));
                }
            }
        }
    }
}

fn required_message(q: &QuestionSpec) -> &'static str {
    match q.kind {
        QuestionKind::YesNo => "must be answered yes or no",
        QuestionKind::Choice => {
            "must be answered with the options that apply (an empty list when none does)"
        }
    }
}

/// Classifies an AI system under the EU AI Act from `answers` to the questionnaire `spec`, and selects the
/// obligations that follow for `role`.
///
/// Refused, naming each field (`answers.<question id>`): an answer to an unknown question; a yes/no answer to a
/// choice question or the reverse; an unknown or repeated option; a missing answer to a `prohibited`,
/// `product_safety`, `annex_iii`, `transparency` or `gpai` question; a missing `exception` answer when an
/// Annex III area was chosen; a missing `fria` answer when the system is high-risk through an Annex III area that
/// can call for a fundamental rights impact assessment and `role` is deployer or user; systemic risk without a
/// general-purpose AI model.
pub fn classify(
    spec: &QuestionnaireSpec,
    role: AiRole,
    answers: &Answers,
) -> Result<Classification, ValidationError> {
    let mut errs = ValidationError::default();
    let field = |id: &str| format!("answers.{id}");

    // Each answer must belong to a question and fit its kind.
    for (id, answer) in &answers.0 {
        match spec.questions.iter().find(|q| q.id == *id) {
            None => errs.push(
                field(id),
                "no such question in the classification questionnaire",
            ),
            Some(q) => check_answer(&mut errs, &field(id), q, answer),
        }
    }

    let yes = |q: &QuestionSpec| answers.is_yes(&q.id);
    let in_section = |s: Section| spec.questions.iter().filter(move |q| q.section == s);
    let is_override = |q: &QuestionSpec| q.effect == Some(Effect::OverridesException);
    let is_systemic = |q: &QuestionSpec| q.effect == Some(Effect::SystemicRisk);

    let prohibited = in_section(Section::Prohibited).any(yes);
    let art_6_1 = in_section(Section::ProductSafety).any(yes);
    // Chosen Annex III areas in option order, ignoring values refused above.
    let mut areas: Vec<(&QuestionSpec, &OptionSpec)> = Vec::new();
    for q in in_section(Section::AnnexIii) {
        if let Some(Answer::Choices(chosen)) = answers.get(&q.id) {
            for o in &q.options {
                if chosen.contains(&o.value) && !areas.iter().any(|(_, a)| a.value == o.value) {
                    areas.push((q, o));
                }
            }
        }
    }
    let condition_met = in_section(Section::Exception).any(|q| !is_override(q) && yes(q));
    let profiling = in_section(Section::Exception).any(|q| is_override(q) && yes(q));
    let exception_applied = !areas.is_empty() && condition_met && !profiling;
    let annex_high_risk = !areas.is_empty() && !exception_applied;
    let high_risk_route = match (art_6_1, annex_high_risk) {
        (true, true) => HighRiskRoute::Art61AndAnnexIii,
        (true, false) => HighRiskRoute::Art61,
        (false, true) => HighRiskRoute::AnnexIii,
        (false, false) => HighRiskRoute::None,
    };
    let transparency_yes: Vec<&QuestionSpec> = in_section(Section::Transparency)
        .filter(|q| yes(q))
        .collect();
    let gpai = in_section(Section::Gpai).any(|q| !is_systemic(q) && yes(q));
    let systemic = in_section(Section::Gpai).any(|q| is_systemic(q) && yes(q));
    if systemic && !gpai {
        for q in in_section(Section::Gpai).filter(|q| is_systemic(q) && yes(q)) {
            errs.push(
                field(&q.id),
                "systemic risk applies only to a general-purpose AI model the organization provides; answer no here or yes to the general-purpose model question",
            );
        }
    }

    let risk_class = if prohibited {
        RiskClass::Prohibited
    } else if art_6_1 || annex_high_risk {
        RiskClass::HighRisk
    } else if !transparency_yes.is_empty() {
        RiskClass::Limited
    } else {
        RiskClass::Minimal
    };
    let deployer = matches!(role, AiRole::Deployer | AiRole::User);
    let fria_asked = deployer
        && risk_class == RiskClass::HighRisk
        && annex_high_risk
        && areas.iter().any(|(_, o)| !o.excludes_fria);
    let fria_required = fria_asked && in_section(Section::Fria).any(yes);

    // Every question that matters for this case must be answered.
    for q in &spec.questions {
        let required = match q.section {
            Section::Prohibited
            | Section::ProductSafety
            | Section::AnnexIii
            | Section::Transparency
            | Section::Gpai => true,
            Section::Exception => !areas.is_empty(),
            Section::Fria => fria_asked,
        };
        if required && answers.get(&q.id).is_none() {
            errs.push(field(&q.id), required_message(q));
        }
    }
    errs.into_result()?;

    // Reasons, in questionnaire order.
    let mut reasons = Vec::new();
    let mut reason = |provision: &str, text: &str| {
        reasons.push(Reason {
            provision: provision.to_string(),
            text: text.to_string(),
        })
    };
    for q in &spec.questions {
        let said_yes = yes(q);
        match q.section {
            Section::Prohibited | Section::ProductSafety | Section::Transparency if said_yes => {
                reason(&q.provision, &q.reason)
            }
            Section::AnnexIii => {
                for (_, o) in areas.iter().filter(|(aq, _)| aq.id == q.id) {
                    let provision = if o.provision.is_empty() {
                        &q.provision
                    } else {
                        &o.provision
                    };
                    let text = if o.reason.is_empty() {
                        &o.value
                    } else {
                        &o.reason
                    };
                    reason(provision, text);
                }
            }
            // The override's reason whenever an area was chosen; a condition's only when it took effect.
            Section::Exception
                if said_yes && !areas.is_empty() && (is_override(q) || exception_applied) =>
            {
                reason(&q.provision, &q.reason)
            }
            Section::Fria if said_yes && fria_required => reason(&q.provision, &q.reason),
            Section::Gpai if said_yes && gpai => reason(&q.provision, &q.reason),
            _ => {}
        }
    }
    if risk_class == RiskClass::Minimal {
        reason(
            MINIMAL_PROVISION,
            "no prohibited practice, high-risk use or transparency duty was identified, so only the general duties apply",
        );
    }

    // Obligations for this role, first row per provision wins.
    let applies = |t: &Trigger| match t {
        Trigger::Always => true,
        Trigger::Prohibited => risk_class == RiskClass::Prohibited,
        Trigger::HighRisk => risk_class == RiskClass::HighRisk,
        Trigger::Exception => {
            exception_applied && matches!(risk_class, RiskClass::Limited | RiskClass::Minimal)
        }
        Trigger::Fria => fria_required,
        Trigger::Gpai => gpai,
        Trigger::GpaiSystemic => gpai && systemic,
        Trigger::Transparency(id) => transparency_yes.iter().any(|q| q.id == *id),
    };
    let mut obligations: Vec<Obligation> = Vec::new();
    for row in &spec.obligations {
        if row.roles.contains(&role)
            && applies(&row.applies_when)
            && !obligations.iter().any(|o| o.provision == row.provision)
        {
            obligations.push(Obligation {
                provision: row.provision.clone(),
                note: row.note.clone(),
                applies_when: row.applies_when.as_text(),
            });
        }
    }

    let mut transparency: Vec<String> = Vec::new();
    for q in &transparency_yes {
        if !transparency.contains(&q.provision) {
            transparency.push(q.provision.clone());
        }
    }

    Ok(Classification {
        questionnaire_version: spec.version,
        role: role.as_str().to_string(),
        risk_class,
        high_risk_route,
        annex_iii_areas: areas.iter().map(|(_, o)| o.value.clone()).collect(),
        exception_applied,
        fria_required,
        transparency,
        gpai,
        gpai_systemic: gpai && systemic,
        reasons,
        obligations,
    })
}

/// A stored classification of one AI system: the answers given, the role they were given for, and the outcome.
/// Re-classifying replaces it; the change log keeps every earlier answer set.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassificationRecord {
    /// The AI system classified.
    pub system_id: String,
    /// The organization's role the obligations were selected for.
    pub role: String,
    /// Version of the questionnaire answered.
    pub questionnaire_version: i64,
    /// The answers.
    pub answers: Answers,
    /// The outcome with its reasons and obligations.
    pub result: Classification,
    /// Who answered the questionnaire.
    pub assessor: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A small questionnaire with one question per meaning.
    fn spec() -> QuestionnaireSpec {
        let questions = json!([
            {"id": "social_scoring", "section": "prohibited", "provision": "Art. 5(1)(c)", "kind": "yes_no",
             "reason": "scores people", "text": "ignored"},
            {"id": "annex_i_product", "section": "product_safety", "provision": "Art. 6(1)", "kind": "yes_no",
             "reason": "is an Annex I product"},
            {"id": "areas", "section": "annex_iii", "provision": "Art. 6(2)", "kind": "choice", "options": [
                {"value": "Annex III(2)", "provision": "Annex III(2)", "reason": "critical infrastructure",
                 "excludes_fria": true, "label": "ignored"},
                {"value": "Annex III(4)", "provision": "Annex III(4)", "reason": "used in employment"}
            ]},
            {"id": "narrow_task", "section": "exception", "provision": "Art. 6(3)", "kind": "yes_no",
             "reason": "narrow task, exception applies"},
            {"id": "profiling", "section": "exception", "provision": "Art. 6(3)", "kind": "yes_no",
             "effect": "overrides_exception", "reason": "profiles people, no exception"},
            {"id": "public_body", "section": "fria", "provision": "Art. 27", "kind": "yes_no",
             "reason": "public body"},
            {"id": "chatbot", "section": "transparency", "provision": "Art. 50(1)", "kind": "yes_no",
             "reason": "talks to people"},
            {"id": "deep_fake", "section": "transparency", "provision": "Art. 50(4)", "kind": "yes_no",
             "reason": "makes deep fakes"},
            {"id": "gpai_model", "section": "gpai", "provision": "Art. 53", "kind": "yes_no",
             "reason": "a GPAI model"},
            {"id": "systemic", "section": "gpai", "provision": "Art. 51", "kind": "yes_no",
             "effect": "systemic_risk", "reason": "systemic risk"}
        ]);
        let all = [
            "provider",
            "developer",
            "deployer",
            "importer",
            "distributor",
            "user",
        ];
        let obligations = json!([
            {"applies_when": "always", "roles": all, "provision": "Art. 4", "note": "literacy"},
            {"applies_when": "prohibited", "roles": all, "provision": "Art. 5", "note": "stop"},
            {"applies_when": "exception", "roles": ["provider"], "provision": "Art. 6", "note": "document"},
            {"applies_when": "high_risk", "roles": ["provider"], "provision": "Art. 9", "note": "risk"},
            {"applies_when": "high_risk", "roles": ["deployer", "user"], "provision": "Art. 26", "note": "use"},
            {"applies_when": "fria", "roles": ["deployer", "user"], "provision": "Art. 27", "note": "fria"},
            {"applies_when": "high_risk", "roles": ["provider"], "provision": "Art. 49", "note": "register"},
            {"applies_when": "exception", "roles": ["provider"], "provision": "Art. 49", "note": "register anyway"},
            {"applies_when": "transparency:chatbot", "roles": ["provider"], "provision": "Art. 50(1)", "note": "tell"},
            {"applies_when": "transparency:deep_fake", "roles": ["deployer"], "provision": "Art. 50(4)", "note": "disclose"},
            {"applies_when": "gpai", "roles": ["provider"], "provision": "Art. 53", "note": "gpai"},
            {"applies_when": "gpai_systemic", "roles": ["provider"], "provision": "Art. 55", "note": "systemic"}
        ]);
        QuestionnaireSpec {
            version: 3,
            questions: serde_json::from_value(questions).unwrap(),
            obligations: serde_json::from_value(obligations).unwrap(),
        }
    }

    /// Every always-required question answered no / none.
    fn base() -> Answers {
        Answers::new()
            .with("social_scoring", false)
            .with("annex_i_product", false)
            .with("areas", Answer::choices(Vec::<String>::new()))
            .with("chatbot", false)
            .with("deep_fake", false)
            .with("gpai_model", false)
            .with("systemic", false)
    }

    fn provisions(c: &Classification) -> Vec<&str> {
        c.obligations.iter().map(|o| o.provision.as_str()).collect()
    }

    fn fields(e: &ValidationError) -> Vec<&str> {
        e.errors.iter().map(|f| f.field.as_str()).collect()
    }

    #[test]
    fn nothing_found_is_minimal_with_only_the_general_duty() {
        let c = classify(&spec(), AiRole::Provider, &base()).unwrap();
        assert_eq!(c.risk_class, RiskClass::Minimal);
        assert_eq!(c.high_risk_route, HighRiskRoute::None);
        assert_eq!(provisions(&c), ["Art. 4"]);
        assert_eq!(c.reasons.len(), 1);
        assert_eq!(c.reasons[0].provision, "Art. 6");
        assert_eq!(c.questionnaire_version, 3);
        assert_eq!(c.role, "provider");
        assert!(!c.exception_applied && !c.fria_required && !c.gpai && !c.gpai_systemic);
    }

    #[test]
    fn a_prohibited_practice_wins_and_still_lists_every_reason() {
        let a = base()
            .with("social_scoring", true)
            .with("areas", Answer::choices(["Annex III(4)"]))
            .with("narrow_task", false)
            .with("profiling", true)
            .with("chatbot", true);
        let c = classify(&spec(), AiRole::Provider, &a).unwrap();
        assert_eq!(c.risk_class, RiskClass::Prohibited);
        assert_eq!(c.high_risk_route, HighRiskRoute::AnnexIii);
        let reasons: Vec<String> = c.reasons.iter().map(|r| r.to_string()).collect();
        assert_eq!(
            reasons,
            [
                "Art. 5(1)(c): scores people",
                "Annex III(4): used in employment",
                "Art. 6(3): profiles people, no exception",
                "Art. 50(1): talks to people"
            ]
        );
        // No high-risk duties for a system that may not be used at all; transparency stays on top.
        assert_eq!(provisions(&c), ["Art. 4", "Art. 5", "Art. 50(1)"]);
        assert_eq!(c.transparency, ["Art. 50(1)"]);
    }

    #[test]
    fn an_annex_iii_area_is_high_risk_with_duties_per_role() {
        let a = base()
            .with("areas", Answer::choices(["Annex III(4)"]))
            .with("narrow_task", false)
            .with("profiling", false);
        let p = classify(&spec(), AiRole::Provider, &a).unwrap();
        assert_eq!(p.risk_class, RiskClass::HighRisk);
        assert_eq!(p.high_risk_route, HighRiskRoute::AnnexIii);
        assert_eq!(p.annex_iii_areas, ["Annex III(4)"]);
        assert_eq!(provisions(&p), ["Art. 4", "Art. 9", "Art. 49"]);
        assert_eq!(
            p.obligations[2].note, "register",
            "first row per provision wins"
        );
        assert_eq!(p.obligations[1].applies_when, "high_risk");

        // A deployer must also say whether a fundamental rights impact assessment is due.
        let e = classify(&spec(), AiRole::Deployer, &a).unwrap_err();
        assert_eq!(fields(&e), ["answers.public_body"]);
        let d = classify(
            &spec(),
            AiRole::Deployer,
            &a.clone().with("public_body", true),
        )
        .unwrap();
        assert!(d.fria_required);
        assert_eq!(provisions(&d), ["Art. 4", "Art. 26", "Art. 27"]);
        assert_eq!(d.reasons.last().unwrap().provision, "Art. 27");
        let d = classify(&spec(), AiRole::User, &a.with("public_body", false)).unwrap();
        assert!(!d.fria_required);
        assert_eq!(provisions(&d), ["Art. 4", "Art. 26"]);
    }

    #[test]
    fn critical_infrastructure_and_annex_i_products_need_no_fria() {
        let a = base()
            .with("areas", Answer::choices(["Annex III(2)"]))
            .with("narrow_task", false)
            .with("profiling", false);
        let c = classify(&spec(), AiRole::Deployer, &a).unwrap();
        assert_eq!(c.risk_class, RiskClass::HighRisk);
        assert!(!c.fria_required);
        let a = base().with("annex_i_product", true);
        let c = classify(&spec(), AiRole::Deployer, &a).unwrap();
        assert_eq!(c.high_risk_route, HighRiskRoute::Art61);
        assert_eq!(c.reasons[0].to_string(), "Art. 6(1): is an Annex I product");
        assert_eq!(provisions(&c), ["Art. 4", "Art. 26"]);
    }

    #[test]
    fn the_exception_takes_the_system_out_unless_it_profiles_people() {
        let a = base()
            .with("areas", Answer::choices(["Annex III(4)"]))
            .with("narrow_task", true)
            .with("profiling", false);
        let c = classify(&spec(), AiRole::Provider, &a).unwrap();
        assert_eq!(c.risk_class, RiskClass::Minimal);
        assert!(c.exception_applied);
        assert_eq!(c.high_risk_route, HighRiskRoute::None);
        assert_eq!(c.annex_iii_areas, ["Annex III(4)"]);
        assert_eq!(provisions(&c), ["Art. 4", "Art. 6", "Art. 49"]);
        assert_eq!(c.obligations[2].note, "register anyway");
        assert!(
            c.reasons
                .iter()
                .any(|r| r.to_string() == "Art. 6(3): narrow task, exception applies")
        );

        let c = classify(
            &spec(),
            AiRole::Provider,
            &a.clone().with("profiling", true),
        )
        .unwrap();
        assert_eq!(c.risk_class, RiskClass::HighRisk);
        assert!(!c.exception_applied);
        assert!(
            !c.reasons
                .iter()
                .any(|r| r.text.contains("exception applies"))
        );
        assert!(
            c.reasons
                .iter()
                .any(|r| r.text == "profiles people, no exception")
        );

        // With an Annex I product the system stays high-risk through Art. 6(1); no exception duties.
        let c = classify(&spec(), AiRole::Provider, &a.with("annex_i_product", true)).unwrap();
        assert_eq!(c.risk_class, RiskClass::HighRisk);
        assert_eq!(c.high_risk_route, HighRiskRoute::Art61);
        assert!(c.exception_applied);
        assert_eq!(provisions(&c), ["Art. 4", "Art. 9", "Art. 49"]);
    }

    #[test]
    fn transparency_alone_is_limited_and_split_by_role() {
        let a = base().with("chatbot", true).with("deep_fake", true);
        let p = classify(&spec(), AiRole::Provider, &a).unwrap();
        assert_eq!(p.risk_class, RiskClass::Limited);
        assert_eq!(p.transparency, ["Art. 50(1)", "Art. 50(4)"]);
        assert_eq!(provisions(&p), ["Art. 4", "Art. 50(1)"]);
        let d = classify(&spec(), AiRole::Deployer, &a).unwrap();
        assert_eq!(provisions(&d), ["Art. 4", "Art. 50(4)"]);
        assert_eq!(d.obligations[1].applies_when, "transparency:deep_fake");
    }

    #[test]
    fn gpai_duties_come_on_top() {
        let a = base().with("gpai_model", true).with("systemic", true);
        let c = classify(&spec(), AiRole::Provider, &a).unwrap();
        assert!(c.gpai && c.gpai_systemic);
        assert_eq!(c.risk_class, RiskClass::Minimal);
        assert_eq!(provisions(&c), ["Art. 4", "Art. 53", "Art. 55"]);
        let e = classify(&spec(), AiRole::Provider, &base().with("systemic", true)).unwrap_err();
        assert_eq!(fields(&e), ["answers.systemic"]);
    }

    #[test]
    fn bad_answers_are_refused_naming_the_field() {
        let a = base()
            .with("no_such_question", true)
            .with("chatbot", Answer::choices(["x"]))
            .with(
                "areas",
                Answer::choices(["Annex III(9)", "Annex III(4)", "Annex III(4)"]),
            );
        let e = classify(&spec(), AiRole::Provider, &a).unwrap_err();
        assert_eq!(
            fields(&e),
            [
                "answers.areas",
                "answers.areas",
                "answers.chatbot",
                "answers.no_such_question",
                // Annex III(4) was chosen, so the exception questions are required.
                "answers.narrow_task",
                "answers.profiling",
            ]
        );
        assert!(
            e.errors[0]
                .message
                .contains("unknown option 'Annex III(9)'")
        );
        assert!(e.errors[1].message.contains("chosen twice"));
        assert!(e.errors[2].message.contains("yes or no"));
        let e = classify(
            &spec(),
            AiRole::Provider,
            &base()
                .with("social_scoring", Answer::YES)
                .with("areas", true),
        )
        .unwrap_err();
        assert_eq!(fields(&e), ["answers.areas"]);
        assert!(e.errors[0].message.contains("list of the options"));
    }

    #[test]
    fn missing_answers_are_named_and_optional_sections_only_asked_when_they_matter() {
        let e = classify(&spec(), AiRole::Deployer, &Answers::new()).unwrap_err();
        assert_eq!(
            fields(&e),
            [
                "answers.social_scoring",
                "answers.annex_i_product",
                "answers.areas",
                "answers.chatbot",
                "answers.deep_fake",
                "answers.gpai_model",
                "answers.systemic",
            ]
        );
        assert_eq!(e.errors[0].message, "must be answered yes or no");
    }

    #[test]
    fn json_shapes() {
        let a: Answers = serde_json::from_value(json!({
            "social_scoring": false,
            "areas": ["Annex III(4)"],
            "chatbot": "yes",
            "deep_fake": "No",
            "gpai_model": "Annex III(4)"
        }))
        .unwrap();
        assert_eq!(a.get("social_scoring"), Some(&Answer::NO));
        assert_eq!(a.get("chatbot"), Some(&Answer::YES));
        assert_eq!(a.get("deep_fake"), Some(&Answer::NO));
        assert_eq!(
            a.get("gpai_model"),
            Some(&Answer::choices(["Annex III(4)"]))
        );
        assert!(serde_json::from_value::<Answers>(json!({"x": 3})).is_err());
        assert_eq!(
            serde_json::to_value(
                Answers::new()
                    .with("a", true)
                    .with("b", Answer::choices(["x"]))
            )
            .unwrap(),
            json!({"a": true, "b": ["x"]})
        );

        let c = classify(&spec(), AiRole::Provider, &base().with("chatbot", true)).unwrap();
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["risk_class"], "limited");
        assert_eq!(v["high_risk_route"], "none");
        assert_eq!(
            v["reasons"][0],
            json!({"provision": "Art. 50(1)", "text": "talks to people"})
        );
        assert_eq!(
            v["obligations"][1],
            json!({"provision": "Art. 50(1)", "note": "tell", "applies_when": "transparency:chatbot"})
        );
        let back: Classification = serde_json::from_value(v).unwrap();
        assert_eq!(back, c);
        assert_eq!(
            serde_json::to_value(HighRiskRoute::Art61AndAnnexIii).unwrap(),
            "art_6_1_and_annex_iii"
        );
    }

    #[test]
    fn vocabularies_parse_and_name_the_field() {
        assert_eq!(
            RiskClass::parse("risk_class", "High-Risk").unwrap(),
            RiskClass::HighRisk
        );
        let e = RiskClass::parse("risk_class", "low").unwrap_err();
        assert_eq!(e.errors[0].field, "risk_class");
        assert_eq!(
            Trigger::parse("x", "transparency:chatbot").unwrap(),
            Trigger::Transparency("chatbot".into())
        );
        for t in Trigger::FIXED {
            assert_eq!(Trigger::parse("x", t).unwrap().as_text(), *t);
        }
        assert!(Trigger::parse("applies_when", "transparency:").is_err());
        let e = serde_json::from_value::<ObligationSpec>(
            json!({"applies_when": "always", "roles": ["boss"], "provision": "Art. 4", "note": "n"}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("boss"));
        assert_eq!(Section::ALL.len(), 7);
        assert_eq!(Section::AnnexIii.as_str(), "annex_iii");
        assert_eq!(
            serde_json::to_value(Section::AnnexIii).unwrap(),
            "annex_iii"
        );
    }
}
