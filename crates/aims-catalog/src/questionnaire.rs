//! The EU AI Act classification questionnaire and its obligations table (`packs/eu-ai-act-classification.toml`),
//! embedded in the binary, parsed and checked against the EU AI Act pack. The rules that turn answers into a class
//! live in `aims_domain::classification`; this module only serves the content.

use crate::{FRAMEWORK_PACKS, Framework, PackError, parse_framework, read_toml, sha256};
use aims_domain::classification::QuestionnaireSpec;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// File name of the built-in questionnaire.
pub const CLASSIFICATION_PACK: &str = "eu-ai-act-classification.toml";

const CLASSIFICATION_TEXT: &str = include_str!("../packs/eu-ai-act-classification.toml");

/// Sections a question may belong to, in questionnaire order.
pub const SECTIONS: &[&str] = &[
    "prohibited",
    "product_safety",
    "annex_iii",
    "exception",
    "fria",
    "transparency",
    "gpai",
];

/// Kinds of question.
pub const QUESTION_KINDS: &[&str] = &["yes_no", "choice"];

/// Special effects of a question, with the one section each is allowed in.
pub const EFFECTS: &[(&str, &str)] = &[
    ("overrides_exception", "exception"),
    ("systemic_risk", "gpai"),
];

/// Fixed `applies_when` values of an obligation row; `transparency:<question id>` comes on top. They are the
/// domain's triggers, which the classification rules read.
pub const TRIGGERS: &[&str] = aims_domain::classification::Trigger::FIXED;

/// Organization roles an obligation row may name: the texts of `aims_domain::vocab::AiRole`.
pub const ROLES: &[&str] = aims_domain::vocab::AiRole::TEXTS;

/// Header of the classification questionnaire.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireInfo {
    /// Stable id (`eu-ai-act-classification`).
    pub id: String,
    /// Framework whose refs the questions and obligations cite (`eu-ai-act`).
    pub framework: String,
    /// Version of the content; bump when questions, options or obligations change.
    pub version: i64,
    /// Display title.
    pub title: String,
    /// What the questionnaire is for, in our words.
    pub description: String,
}

/// A section heading of the questionnaire, shown above its questions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = QuestionnaireSection))]
#[serde(deny_unknown_fields)]
pub struct SectionInfo {
    /// Section id, one of [`SECTIONS`] (`prohibited`, `product_safety`, `annex_iii`, `exception`, `fria`,
    /// `transparency`, `gpai`).
    pub id: String,
    /// Heading.
    pub title: String,
    /// One sentence on what the section decides.
    pub help: String,
}

/// One option of a choice question.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = QuestionOption))]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// Value stored in the answers (`Annex III(4)`).
    pub value: String,
    /// Label shown to the user.
    pub label: String,
    /// Provision cited when the option is chosen; the question's provision when empty.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub provision: String,
    /// Plain-words reason recorded when the option is chosen.
    pub reason: String,
    /// Choosing only such options does not lead to a fundamental rights impact assessment.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub excludes_fria: bool,
}

/// One question of the classification questionnaire.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = QuestionnaireQuestion))]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable snake_case id, the key of the answer.
    pub id: String,
    /// Section id, one of [`SECTIONS`].
    pub section: String,
    /// Ref of the eu-ai-act pack the question is about.
    pub provision: String,
    /// `yes_no` (answer `true` or `false`) or `choice` (answer a list of option values).
    pub kind: String,
    /// The question, in our words.
    pub text: String,
    /// One sentence of help.
    pub help: String,
    /// Plain-words reason recorded when the answer is yes; empty for choice questions.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reason: String,
    /// Special meaning inside the section (`overrides_exception`, `systemic_risk`, see [`EFFECTS`]); empty when
    /// none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub effect: String,
    /// Options of a choice question (empty for yes/no questions).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub options: Vec<ChoiceOption>,
}

/// One row of the obligations table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = QuestionnaireObligation))]
#[serde(deny_unknown_fields)]
pub struct ObligationRow {
    /// When the row applies: one of [`TRIGGERS`] (`always`, `prohibited`, `high_risk`, `exception`, `fria`,
    /// `gpai`, `gpai_systemic`) or `transparency:<question id>`.
    pub applies_when: String,
    /// Organization roles the row binds (see [`ROLES`]).
    pub roles: Vec<String>,
    /// Ref of the eu-ai-act pack.
    pub provision: String,
    /// What to do, in our words.
    pub note: String,
}

/// The EU AI Act classification questionnaire and its obligations table, as parsed from its pack.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ClassificationQuestionnaire))]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Header.
    pub questionnaire: QuestionnaireInfo,
    /// Section headings in order.
    pub sections: Vec<SectionInfo>,
    /// Questions in order.
    pub questions: Vec<Question>,
    /// Obligations table in the order results list it.
    pub obligations: Vec<ObligationRow>,
    /// SHA-256 of the file.
    #[serde(skip)]
    pub sha256: String,
}

impl Questionnaire {
    /// The questionnaire as the domain's classification rules read it: the same fields as plain data, where a
    /// question without a special meaning has no `effect` (the pack and the API write it as empty text).
    pub fn spec(&self) -> Result<QuestionnaireSpec, serde_json::Error> {
        let mut questions = serde_json::to_value(&self.questions)?;
        for q in questions.as_array_mut().into_iter().flatten() {
            if let Some(fields) = q.as_object_mut()
                && fields.get("effect").is_some_and(|e| e == "")
            {
                fields.remove("effect");
            }
        }
        Ok(QuestionnaireSpec {
            version: self.questionnaire.version,
            questions: serde_json::from_value(questions)?,
            obligations: serde_json::from_value(serde_json::to_value(&self.obligations)?)?,
        })
    }

    /// A question by id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

fn is_snake_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Parses and checks a questionnaire against the framework pack its refs point into.
pub fn parse_questionnaire(
    pack: &str,
    text: &str,
    framework: &Framework,
) -> Result<Questionnaire, PackError> {
    let err = |message: String| PackError::new(pack, message);
    let mut q: Questionnaire = read_toml(pack, text)?;
    q.sha256 = sha256(text);
    let info = &q.questionnaire;
    if info.framework != framework.framework.id {
        return Err(err(format!(
            "questionnaire cites framework '{}' but was checked against '{}'",
            info.framework, framework.framework.id
        )));
    }
    if info.version < 1 {
        return Err(err("version must be 1 or more".into()));
    }
    let refs: HashSet<&str> = framework
        .items
        .iter()
        .map(|i| i.reference.as_str())
        .collect();
    let known_ref = |r: &str| refs.contains(r);

    let mut sections: HashSet<&str> = HashSet::new();
    for s in &q.sections {
        if !SECTIONS.contains(&s.id.as_str()) {
            return Err(err(format!(
                "section '{}' is not one of {}",
                s.id,
                SECTIONS.join(", ")
            )));
        }
        if !sections.insert(s.id.as_str()) {
            return Err(err(format!("section '{}' appears twice", s.id)));
        }
        if s.title.trim().is_empty() || s.help.trim().is_empty() {
            return Err(err(format!(
                "section {}: title and help must not be empty",
                s.id
            )));
        }
    }

    let mut ids: HashSet<&str> = HashSet::new();
    for question in &q.questions {
        let id = question.id.as_str();
        let at = |m: String| err(format!("question {id}: {m}"));
        if !is_snake_case(id) {
            return Err(at("id must be snake_case ([a-z][a-z0-9_]*)".into()));
        }
        if !ids.insert(id) {
            return Err(at("id appears twice".into()));
        }
        if !SECTIONS.contains(&question.section.as_str()) {
            return Err(at(format!(
                "section '{}' is not one of {}",
                question.section,
                SECTIONS.join(", ")
            )));
        }
        if !sections.contains(question.section.as_str()) {
            return Err(at(format!(
                "section '{}' has no [[sections]] heading",
                question.section
            )));
        }
        if !QUESTION_KINDS.contains(&question.kind.as_str()) {
            return Err(at(format!(
                "kind '{}' is not one of {}",
                question.kind,
                QUESTION_KINDS.join(", ")
            )));
        }
        let want_kind = if question.section == "annex_iii" {
            "choice"
        } else {
            "yes_no"
        };
        if question.kind != want_kind {
            return Err(at(format!(
                "questions of section {} must be {want_kind}",
                question.section
            )));
        }
        if !known_ref(&question.provision) {
            return Err(at(format!(
                "provision '{}' is not an item of the {} pack",
                question.provision, framework.framework.id
            )));
        }
        if question.text.trim().is_empty() || question.help.trim().is_empty() {
            return Err(at("text and help must not be empty".into()));
        }
        if !question.effect.is_empty() {
            match EFFECTS.iter().find(|(e, _)| *e == question.effect) {
                None => {
                    let names: Vec<&str> = EFFECTS.iter().map(|(e, _)| *e).collect();
                    return Err(at(format!(
                        "effect '{}' is not one of {}",
                        question.effect,
                        names.join(", ")
                    )));
                }
                Some((e, s)) if *s != question.section => {
                    return Err(at(format!("effect '{e}' is only allowed in section {s}")));
                }
                Some(_) => {}
            }
        }
        if question.kind == "choice" {
            if question.options.is_empty() {
                return Err(at("a choice question needs options".into()));
            }
            let mut values = HashSet::new();
            for o in &question.options {
                if o.value.trim().is_empty() || !values.insert(o.value.as_str()) {
                    return Err(at(format!(
                        "option '{}' is empty or appears twice",
                        o.value
                    )));
                }
                if o.label.trim().is_empty() || o.reason.trim().is_empty() {
                    return Err(at(format!(
                        "option '{}': label and reason must not be empty",
                        o.value
                    )));
                }
                if !o.provision.is_empty() && !known_ref(&o.provision) {
                    return Err(at(format!(
                        "option '{}': provision '{}' is not an item of the {} pack",
                        o.value, o.provision, framework.framework.id
                    )));
                }
            }
        } else {
            if !question.options.is_empty() {
                return Err(at("a yes_no question has no options".into()));
            }
            if question.reason.trim().is_empty() {
                return Err(at("a yes_no question needs the reason a yes records".into()));
            }
        }
    }
    for s in SECTIONS {
        if !q.questions.iter().any(|x| x.section == *s) {
            return Err(err(format!("section {s} has no question")));
        }
    }

    for (n, row) in q.obligations.iter().enumerate() {
        let at = |m: String| err(format!("obligation {} ({}): {m}", n + 1, row.provision));
        if !known_ref(&row.provision) {
            return Err(at(format!(
                "provision is not an item of the {} pack",
                framework.framework.id
            )));
        }
        let when = row.applies_when.as_str();
        match when.strip_prefix("transparency:") {
            Some(qid) => {
                let names_transparency_question = q
                    .questions
                    .iter()
                    .any(|x| x.id == qid && x.section == "transparency");
                if !names_transparency_question {
                    return Err(at(format!(
                        "applies_when '{when}' names no transparency question"
                    )));
                }
            }
            None if TRIGGERS.contains(&when) => {}
            None => {
                return Err(at(format!(
                    "applies_when '{when}' is not one of {}, transparency:<question id>",
                    TRIGGERS.join(", ")
                )));
            }
        }
        if row.roles.is_empty() {
            return Err(at("roles must not be empty".into()));
        }
        if let Some(r) = row.roles.iter().find(|r| !ROLES.contains(&r.as_str())) {
            return Err(at(format!("role '{r}' is not one of {}", ROLES.join(", "))));
        }
        if row.note.trim().is_empty() {
            return Err(at("note must not be empty".into()));
        }
    }
    Ok(q)
}

/// The built-in EU AI Act classification questionnaire, checked against the built-in EU AI Act pack.
pub fn classification_questionnaire() -> Result<Questionnaire, PackError> {
    let (name, text) = FRAMEWORK_PACKS
        .iter()
        .find(|(name, _)| *name == "eu-ai-act.toml")
        .ok_or_else(|| PackError::new(CLASSIFICATION_PACK, "the eu-ai-act pack is not built in"))?;
    let act = parse_framework(name, text)?;
    parse_questionnaire(CLASSIFICATION_PACK, CLASSIFICATION_TEXT, &act)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aims_domain::classification::{
        Answer, Answers, Classification, HighRiskRoute, QuestionnaireSpec, RiskClass, classify,
    };
    use aims_domain::vocab::AiRole;

    fn questionnaire() -> Questionnaire {
        match classification_questionnaire() {
            Ok(q) => q,
            Err(e) => panic!("{e}"),
        }
    }

    fn act() -> Framework {
        let (name, text) = FRAMEWORK_PACKS
            .iter()
            .find(|(n, _)| *n == "eu-ai-act.toml")
            .expect("eu-ai-act pack");
        parse_framework(name, text).expect("eu-ai-act pack parses")
    }

    /// What the application layer does: hand the catalogue content to the domain as plain data.
    fn spec(q: &Questionnaire) -> QuestionnaireSpec {
        q.spec().unwrap()
    }

    const QUESTION_IDS: &str = "\
prohibited|manipulative_techniques|Art. 5(1)(a)
prohibited|exploits_vulnerabilities|Art. 5(1)(b)
prohibited|social_scoring|Art. 5(1)(c)
prohibited|crime_prediction_by_profiling|Art. 5(1)(d)
prohibited|untargeted_face_scraping|Art. 5(1)(e)
prohibited|emotion_recognition_work_education|Art. 5(1)(f)
prohibited|biometric_categorisation_sensitive|Art. 5(1)(g)
prohibited|realtime_biometric_identification|Art. 5(1)(h)
product_safety|annex_i_product|Art. 6(1)
annex_iii|annex_iii_areas|Art. 6(2)
exception|narrow_procedural_task|Art. 6(3)
exception|improves_completed_human_activity|Art. 6(3)
exception|detects_decision_patterns|Art. 6(3)
exception|preparatory_task|Art. 6(3)
exception|profiles_natural_persons|Art. 6(3)
fria|public_body_or_public_service|Art. 27
fria|credit_scoring_or_insurance_pricing|Art. 27
transparency|interacts_with_people|Art. 50(1)
transparency|generates_synthetic_content|Art. 50(2)
transparency|emotion_or_biometric_categorisation|Art. 50(3)
transparency|deep_fake_or_public_interest_text|Art. 50(4)
gpai|general_purpose_model|Art. 53
gpai|systemic_risk|Art. 51";

    #[test]
    fn question_ids_are_pinned() {
        let q = questionnaire();
        let got: Vec<String> = q
            .questions
            .iter()
            .map(|x| format!("{}|{}|{}", x.section, x.id, x.provision))
            .collect();
        let want: Vec<&str> = QUESTION_IDS.lines().collect();
        assert_eq!(got, want);
        let sections: Vec<&str> = q.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(sections, SECTIONS);
        let areas = q.question("annex_iii_areas").expect("annex_iii_areas");
        let values: Vec<&str> = areas.options.iter().map(|o| o.value.as_str()).collect();
        let want: Vec<String> = (1..=8).map(|n| format!("Annex III({n})")).collect();
        assert_eq!(values, want);
        assert!(areas.options.iter().all(|o| o.provision == o.value));
        assert_eq!(
            q.question("profiles_natural_persons")
                .map(|x| x.effect.as_str()),
            Some("overrides_exception")
        );
        assert_eq!(
            q.question("systemic_risk").map(|x| x.effect.as_str()),
            Some("systemic_risk")
        );
        assert!(q.questionnaire.version >= 1);
        assert_eq!(q.sha256.len(), 64);
    }

    #[test]
    fn the_obligations_table_cites_the_expected_provisions_per_role() {
        let q = questionnaire();
        let rows = |when: &str, role: &str| -> Vec<String> {
            q.obligations
                .iter()
                .filter(|o| o.applies_when == when && o.roles.iter().any(|r| r == role))
                .map(|o| o.provision.clone())
                .collect()
        };
        let mut provider: Vec<String> = (9..=20).map(|n| format!("Art. {n}")).collect();
        provider.extend(
            [
                "Art. 43", "Art. 47", "Art. 48", "Art. 49", "Art. 72", "Art. 73",
            ]
            .map(String::from),
        );
        assert_eq!(rows("high_risk", "provider"), provider);
        assert_eq!(rows("high_risk", "developer"), provider);
        assert_eq!(rows("high_risk", "deployer"), ["Art. 26"]);
        assert_eq!(rows("high_risk", "user"), ["Art. 26"]);
        assert_eq!(rows("fria", "deployer"), ["Art. 27"]);
        assert_eq!(rows("exception", "provider"), ["Art. 6", "Art. 49"]);
        assert_eq!(rows("gpai", "provider"), ["Art. 53"]);
        assert_eq!(rows("gpai_systemic", "provider"), ["Art. 55"]);
        for role in ROLES {
            assert_eq!(rows("always", role), ["Art. 4"]);
            assert_eq!(rows("prohibited", role), ["Art. 5"]);
        }
        assert_eq!(
            rows("transparency:interacts_with_people", "provider"),
            ["Art. 50(1)"]
        );
        assert_eq!(
            rows("transparency:generates_synthetic_content", "provider"),
            ["Art. 50(2)"]
        );
        assert_eq!(
            rows(
                "transparency:emotion_or_biometric_categorisation",
                "deployer"
            ),
            ["Art. 50(3)"]
        );
        assert_eq!(
            rows("transparency:deep_fake_or_public_interest_text", "deployer"),
            ["Art. 50(4)"]
        );
        // Every transparency question leads to an obligation for someone.
        for x in q.questions.iter().filter(|x| x.section == "transparency") {
            let when = format!("transparency:{}", x.id);
            assert!(
                q.obligations.iter().any(|o| o.applies_when == when),
                "{}",
                x.id
            );
        }
    }

    #[test]
    fn the_role_list_matches_the_domain_vocabulary() {
        let domain: Vec<&str> = AiRole::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(domain, ROLES);
    }

    #[test]
    fn the_questionnaire_converts_to_the_domain_spec() {
        let q = questionnaire();
        let s = spec(&q);
        assert_eq!(s.questions.len(), q.questions.len());
        assert_eq!(s.obligations.len(), q.obligations.len());
        assert_eq!(s.version, q.questionnaire.version);
    }

    /// Answers with every always-required question answered no (or no area).
    fn all_no(q: &Questionnaire) -> Answers {
        let mut a = Answers::new();
        for x in &q.questions {
            match x.section.as_str() {
                "annex_iii" => a.set(&x.id, Answer::choices(Vec::<String>::new())),
                "exception" | "fria" => {}
                _ => a.set(&x.id, false),
            }
        }
        a
    }

    fn provisions(c: &Classification) -> Vec<&str> {
        c.obligations.iter().map(|o| o.provision.as_str()).collect()
    }

    fn assert_refs_exist(c: &Classification) {
        let act = act();
        let refs: HashSet<&str> = act.items.iter().map(|i| i.reference.as_str()).collect();
        for r in c
            .reasons
            .iter()
            .map(|r| &r.provision)
            .chain(c.obligations.iter().map(|o| &o.provision))
            .chain(c.transparency.iter())
        {
            assert!(
                refs.contains(r.as_str()),
                "{r} is not in the eu-ai-act pack"
            );
        }
    }

    #[test]
    fn cv_screening_by_a_deployer_is_high_risk_through_annex_iii_4() {
        let q = questionnaire();
        let a = all_no(&q)
            .with("annex_iii_areas", Answer::choices(["Annex III(4)"]))
            .with("narrow_procedural_task", false)
            .with("improves_completed_human_activity", false)
            .with("detects_decision_patterns", false)
            .with("preparatory_task", false)
            .with("profiles_natural_persons", true)
            .with("public_body_or_public_service", false)
            .with("credit_scoring_or_insurance_pricing", false);
        let c = classify(&spec(&q), AiRole::Deployer, &a).unwrap();
        assert_eq!(c.risk_class, RiskClass::HighRisk);
        assert_eq!(c.high_risk_route, HighRiskRoute::AnnexIii);
        assert_eq!(c.annex_iii_areas, ["Annex III(4)"]);
        assert!(!c.exception_applied && !c.fria_required);
        assert!(
            c.reasons.iter().any(|r| r.provision == "Annex III(4)"
                && r.to_string()
                    .starts_with("Annex III(4): used in employment")),
            "{:?}",
            c.reasons
        );
        assert_eq!(provisions(&c), ["Art. 4", "Art. 26"]);
        assert_refs_exist(&c);

        // The same system deployed by a public body needs a fundamental rights impact assessment.
        let c = classify(
            &spec(&q),
            AiRole::Deployer,
            &a.clone().with("public_body_or_public_service", true),
        )
        .unwrap();
        assert!(c.fria_required);
        assert_eq!(provisions(&c), ["Art. 4", "Art. 26", "Art. 27"]);

        // Its provider carries the provider duties instead.
        let c = classify(&spec(&q), AiRole::Provider, &a).unwrap();
        assert!(provisions(&c).contains(&"Art. 9"));
        assert!(provisions(&c).contains(&"Art. 43"));
        assert!(!provisions(&c).contains(&"Art. 26"));
        assert_refs_exist(&c);
    }

    #[test]
    fn a_customer_support_chatbot_is_limited() {
        let q = questionnaire();
        let a = all_no(&q).with("interacts_with_people", true);
        let c = classify(&spec(&q), AiRole::Provider, &a).unwrap();
        assert_eq!(c.risk_class, RiskClass::Limited);
        assert_eq!(c.transparency, ["Art. 50(1)"]);
        assert_eq!(provisions(&c), ["Art. 4", "Art. 50(1)"]);
        assert_eq!(c.reasons[0].provision, "Art. 50(1)");
        assert_refs_exist(&c);
        // A deployer of the same chatbot only owes AI literacy; the disclosure is designed in by the provider.
        let c = classify(&spec(&q), AiRole::Deployer, &a).unwrap();
        assert_eq!(c.risk_class, RiskClass::Limited);
        assert_eq!(provisions(&c), ["Art. 4"]);
    }

    #[test]
    fn a_spam_filter_is_minimal() {
        let q = questionnaire();
        let c = classify(&spec(&q), AiRole::Deployer, &all_no(&q)).unwrap();
        assert_eq!(c.risk_class, RiskClass::Minimal);
        assert_eq!(c.high_risk_route, HighRiskRoute::None);
        assert_eq!(provisions(&c), ["Art. 4"]);
        assert!(c.transparency.is_empty());
        assert_refs_exist(&c);
    }

    #[test]
    fn unknown_and_missing_answers_are_refused_naming_the_field() {
        let q = questionnaire();
        let mut a = all_no(&q).with("is_a_toaster", true);
        a.0.remove("social_scoring");
        let e = classify(&spec(&q), AiRole::Provider, &a).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["answers.is_a_toaster", "answers.social_scoring"]);
        assert!(
            e.to_string()
                .contains("answers.is_a_toaster: no such question")
        );
    }

    #[test]
    fn broken_questionnaires_are_refused_naming_the_question() {
        let act = act();
        // Each case: the text replaced (first occurrence), its replacement, and what the error must say.
        let cases = [
            (
                "provision = \"Art. 5(1)(c)\"",
                "provision = \"Art. 5(1)(z)\"",
                "question social_scoring: provision 'Art. 5(1)(z)' is not an item",
            ),
            (
                "id = \"exploits_vulnerabilities\"",
                "id = \"manipulative_techniques\"",
                "question manipulative_techniques: id appears twice",
            ),
            (
                "kind = \"yes_no\"",
                "kind = \"maybe\"",
                "question manipulative_techniques: kind 'maybe'",
            ),
            (
                "section = \"product_safety\"",
                "section = \"annex_i\"",
                "question annex_i_product: section 'annex_i'",
            ),
            (
                "applies_when = \"transparency:interacts_with_people\"",
                "applies_when = \"transparency:talks\"",
                "transparency:talks' names no transparency question",
            ),
            (
                "provision = \"Art. 73\"",
                "provision = \"Art. 99\"",
                "(Art. 99): provision is not an item",
            ),
            (
                "roles = [\"deployer\", \"user\"]",
                "roles = [\"deployer\", \"boss\"]",
                "role 'boss'",
            ),
            (
                "effect = \"systemic_risk\"",
                "effect = \"overrides_exception\"",
                "question systemic_risk: effect 'overrides_exception' is only allowed in section exception",
            ),
        ];
        for (from, to, expected) in cases {
            let broken = CLASSIFICATION_TEXT.replacen(from, to, 1);
            let e = parse_questionnaire("t.toml", &broken, &act).unwrap_err();
            assert!(e.to_string().contains(expected), "{e}");
        }

        let no_options = cut_options(CLASSIFICATION_TEXT);
        let e = parse_questionnaire("t.toml", &no_options, &act).unwrap_err();
        assert!(
            e.to_string()
                .contains("question annex_iii_areas: a choice question needs options"),
            "{e}"
        );
    }

    /// The questionnaire with the options of the choice question removed.
    fn cut_options(text: &str) -> String {
        let start = text.find("[[questions.options]]").expect("options");
        let end = text[start..]
            .find("# --- exception")
            .map(|i| start + i)
            .expect("exception section");
        format!("{}{}", &text[..start], &text[end..])
    }
}
