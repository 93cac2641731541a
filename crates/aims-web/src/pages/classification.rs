//! EU AI Act classification of one AI system in the browser: the questionnaire rendered from its data, section by
//! section with its help texts, the organization's role for the system, and the outcome — the risk class with the
//! reasons and the obligations that follow, each provision linked to its page in the catalogue.

use crate::auth::encode;
use crate::chrome::Chrome;
use crate::pages::ctx::{Ctx, PageResult, ids};
use crate::pages::form::{Errors, FormData, Opt, checked, go, render_form, vocab, words};
use aims_app::RecordId;
use aims_app::{AppError, Stored};
use aims_catalog::Questionnaire;
use aims_domain::classification::{Answer, Answers, ClassificationRecord};
use aims_domain::inventory::AiSystem;
use aims_domain::vocab::AiRole;
use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashSet;

/// One option of a choice question.
pub struct OptionView {
    /// Value.
    pub value: String,
    /// Label.
    pub label: String,
    /// Provision.
    pub provision: String,
    /// Whether chosen.
    pub checked: bool,
}

/// One question.
pub struct QuestionView {
    /// Id.
    pub id: String,
    /// Whether a choice question (else yes/no).
    pub choice: bool,
    /// Question text.
    pub text: String,
    /// Help.
    pub help: String,
    /// Provision.
    pub provision: String,
    /// Link to the provision in the catalogue, empty when the catalogue has no such item.
    pub href: String,
    /// Answered yes.
    pub yes: bool,
    /// Answered no.
    pub no: bool,
    /// Options of a choice question.
    pub options: Vec<OptionView>,
    /// Message.
    pub error: String,
}

/// One section of the questionnaire.
pub struct SectionView {
    /// Id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// What the section decides.
    pub help: String,
    /// Questions.
    pub questions: Vec<QuestionView>,
}

/// A provision with its link.
pub struct Cited {
    /// Provision.
    pub provision: String,
    /// Link, empty when the catalogue has no such item.
    pub href: String,
    /// Text.
    pub text: String,
    /// Why it applies (obligations).
    pub why: String,
}

/// The outcome as shown.
pub struct ResultView {
    /// Class id (`high_risk`).
    pub class: String,
    /// Class in words.
    pub label: String,
    /// High-risk route in words.
    pub route: String,
    /// Annex III areas.
    pub areas: Vec<String>,
    /// Exception applied.
    pub exception: bool,
    /// FRIA required.
    pub fria: bool,
    /// Transparency provisions.
    pub transparency: Vec<String>,
    /// GPAI model provider, with systemic risk.
    pub gpai: String,
    /// Reasons.
    pub reasons: Vec<Cited>,
    /// Obligations.
    pub obligations: Vec<Cited>,
    /// Role the obligations are for.
    pub role: String,
    /// Who answered, and when.
    pub by: String,
    /// Questionnaire version.
    pub version: i64,
}

#[derive(Template)]
#[template(path = "classification.html")]
struct Page {
    chrome: Chrome,
    system: Stored<AiSystem>,
    title: String,
    description: String,
    version: i64,
    sections: Vec<SectionView>,
    roles: Vec<Opt>,
    result: Option<ResultView>,
    errors: Errors,
}

impl Page {
    fn other_errors(&self) -> Vec<String> {
        self.errors.others(&["answers", "role"])
    }
}

fn class_label(c: &str) -> &'static str {
    match c {
        "prohibited" => "Prohibited practice",
        "high_risk" => "High-risk",
        "limited" => "Limited risk: transparency duties",
        _ => "Minimal risk",
    }
}

fn link(refs: &HashSet<String>, provision: &str) -> String {
    if refs.contains(provision) {
        format!("/catalog/eu-ai-act/item?ref={}", encode(provision))
    } else {
        String::new()
    }
}

fn result_view(r: &Stored<ClassificationRecord>, refs: &HashSet<String>) -> ResultView {
    let c = &r.data.result;
    let class = c.risk_class.as_str().to_string();
    let route = serde_json::to_value(c.high_risk_route)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    ResultView {
        label: class_label(&class).to_string(),
        class,
        route: match route.as_str() {
            "art_6_1" => "Art. 6(1): an Annex I product or its safety component".into(),
            "annex_iii" => "Art. 6(2): an Annex III use area".into(),
            "art_6_1_and_annex_iii" => "Art. 6(1) and an Annex III use area".into(),
            _ => "not high-risk under Art. 6".into(),
        },
        areas: c.annex_iii_areas.clone(),
        exception: c.exception_applied,
        fria: c.fria_required,
        transparency: c.transparency.clone(),
        gpai: match (c.gpai, c.gpai_systemic) {
            (true, true) => "provider of a general-purpose AI model with systemic risk".into(),
            (true, false) => "provider of a general-purpose AI model".into(),
            _ => String::new(),
        },
        reasons: c
            .reasons
            .iter()
            .map(|x| Cited {
                href: link(refs, &x.provision),
                provision: x.provision.clone(),
                text: x.text.clone(),
                why: String::new(),
            })
            .collect(),
        obligations: c
            .obligations
            .iter()
            .map(|o| Cited {
                href: link(refs, &o.provision),
                provision: o.provision.clone(),
                text: o.note.clone(),
                why: words(&o.applies_when.replace(':', ": ")),
            })
            .collect(),
        role: r.data.role.clone(),
        by: format!(
            "{} on {}",
            r.data.assessor,
            &r.updated_at[..10.min(r.updated_at.len())]
        ),
        version: r.data.questionnaire_version,
    }
}

fn sections(
    q: &Questionnaire,
    answers: &Answers,
    refs: &HashSet<String>,
    errors: &Errors,
) -> Vec<SectionView> {
    q.sections
        .iter()
        .map(|sct| SectionView {
            id: sct.id.clone(),
            title: sct.title.clone(),
            help: sct.help.clone(),
            questions: q
                .questions
                .iter()
                .filter(|x| x.section == sct.id)
                .map(|x| {
                    let a = answers.get(&x.id);
                    let chosen: Vec<String> = match a {
                        Some(Answer::Choices(v)) => v.clone(),
                        _ => vec![],
                    };
                    QuestionView {
                        id: x.id.clone(),
                        choice: x.kind == "choice",
                        text: x.text.clone(),
                        help: x.help.clone(),
                        href: link(refs, &x.provision),
                        provision: x.provision.clone(),
                        yes: matches!(a, Some(Answer::YesNo(true))),
                        no: matches!(a, Some(Answer::YesNo(false))),
                        options: x
                            .options
                            .iter()
                            .map(|o| OptionView {
                                checked: chosen.contains(&o.value),
                                value: o.value.clone(),
                                label: o.label.clone(),
                                provision: o.provision.clone(),
                            })
                            .collect(),
                        error: errors.of(&format!("answers.{}", x.id)),
                    }
                })
                .collect(),
        })
        .collect()
}

fn eu_refs() -> Result<HashSet<String>, AppError> {
    Ok(aims_app::catalogue::builtin()?
        .items("eu-ai-act", &[])
        .into_iter()
        .map(|i| i.reference)
        .collect())
}

/// A system, its stored classification and the answers and role the page shows.
struct Shown<'a> {
    system: Stored<AiSystem>,
    stored: Option<Stored<ClassificationRecord>>,
    answers: &'a Answers,
    role: &'a str,
}

async fn page(chrome: Chrome, shown: Shown<'_>, errors: Errors) -> PageResult {
    let q = aims_app::classify::questionnaire()?;
    let refs = eu_refs()?;
    let invalid = !errors.is_empty();
    let page = Page {
        chrome,
        title: q.questionnaire.title.clone(),
        description: q.questionnaire.description.clone(),
        version: q.questionnaire.version,
        sections: sections(&q, shown.answers, &refs, &errors),
        roles: Opt::vocab(&vocab(AiRole::ALL, AiRole::as_str), shown.role, None),
        result: shown.stored.as_ref().map(|r| result_view(r, &refs)),
        system: shown.system,
        errors,
    };
    render_form(&page, invalid)
}

/// GET /systems/{id}/classification
pub async fn show(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    ids(&[&id], "AI system")?;
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let system = state
        .app
        .get_record::<AiSystem>(&actor, &s.org_id, &id)
        .await?;
    let stored = state.app.classification(&actor, &s.org_id, &id).await?;
    let answers = stored
        .as_ref()
        .map(|c| c.data.answers.clone())
        .unwrap_or_default();
    let role = stored
        .as_ref()
        .map_or_else(|| system.data.org_role.clone(), |c| c.data.role.clone());
    let shown = Shown {
        system,
        stored,
        answers: &answers,
        role: &role,
    };
    page(chrome, shown, Errors::default()).await
}

/// GET /ai-systems/{id}/classification: the same page under the API's name for systems.
pub async fn alias(Path(id): Path<RecordId>) -> Response {
    Redirect::permanent(&format!("/systems/{}/classification", encode(&id))).into_response()
}

/// Reads the answers: `q.<id>` is `yes`/`no` for a yes/no question and one value per chosen option for a choice
/// question (no box ticked means none applies). Unanswered yes/no questions stay unanswered.
fn read_answers(q: &Questionnaire, f: &FormData) -> Answers {
    let mut a = Answers::new();
    for x in &q.questions {
        let name = format!("q.{}", x.id);
        if x.kind == "choice" {
            a.set(x.id.clone(), Answer::choices(f.all(&name)));
        } else {
            match f.text(&name).as_str() {
                "yes" => a.set(x.id.clone(), true),
                "no" => a.set(x.id.clone(), false),
                _ => {}
            }
        }
    }
    a
}

/// POST /systems/{id}/classification
pub async fn classify(ctx: Ctx, Path(id): Path<RecordId>, f: FormData) -> PageResult {
    ids(&[&id], "AI system")?;
    let Ctx { state, s, chrome } = ctx;
    let q = aims_app::classify::questionnaire()?;
    let answers = read_answers(&q, &f);
    let role = f.text("role");
    let actor = s.actor();
    let classified = state
        .app
        .classify_system(
            &actor,
            &s.org_id,
            &id,
            (!role.is_empty()).then_some(role.as_str()),
            answers.clone(),
        )
        .await;
    match checked(classified)? {
        Ok(_) => go(&format!("/systems/{id}/classification#result")),
        Err(errors) => {
            let shown = Shown {
                system: state
                    .app
                    .get_record::<AiSystem>(&actor, &s.org_id, &id)
                    .await?,
                stored: state.app.classification(&actor, &s.org_id, &id).await?,
                answers: &answers,
                role: &role,
            };
            page(chrome, shown, errors).await
        }
    }
}
