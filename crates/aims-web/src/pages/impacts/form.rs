//! The guided form: its rows, steps and questions as the template shows them, and the page that renders it.

use super::read::{RowIndex, TEXT_FIELDS, remap, text_of};
use super::vocab;
use crate::auth::encode;
use crate::chrome::Chrome;
use crate::pages::ctx::PageResult;
use crate::pages::form::{Errors, Opt, render_form, scale_options, words};
use aims_catalog::templates::ImpactTemplate;
use aims_domain::impact::{AffectedParty, Impact, ImpactAssessment};
use aims_domain::risk::RiskMethod;
use aims_domain::vocab::{
    AffectedKind, ImpactArea, ImpactNature, ReassessmentTrigger, Reversibility,
};
use askama::Template;
use std::collections::BTreeMap;

/// One affected-party row.
pub struct AffectedRow {
    /// Row index (`__i__` in the row template).
    pub i: String,
    /// Name.
    pub name: String,
    /// Kind options.
    pub kinds: Vec<Opt>,
    /// Vulnerable group.
    pub vulnerable: bool,
    /// Note.
    pub note: String,
    /// Messages of the row.
    pub error: String,
}

/// One impact card.
pub struct ImpactRowForm {
    /// Row index (`__i__` in the row template).
    pub i: String,
    /// Row number shown (`__n__` in the row template).
    pub n: String,
    /// Area options.
    pub areas: Vec<Opt>,
    /// Benefit or harm.
    pub natures: Vec<Opt>,
    /// What happens.
    pub description: String,
    /// Affected party names, comma-separated.
    pub affected: String,
    /// Severity options (the method's impact scale).
    pub severity: Vec<Opt>,
    /// Likelihood options.
    pub likelihood: Vec<Opt>,
    /// Reversibility options.
    pub reversibility: Vec<Opt>,
    /// Measures.
    pub measures: String,
    /// Controls, comma-separated.
    pub controls: String,
    /// Linked risk, kept as it is.
    pub risk_id: String,
    /// Messages of the card.
    pub error: String,
}

/// One step of the guided form.
pub struct Step {
    /// Number shown.
    pub n: usize,
    /// Record field (`scope`, `affected`, `impacts` …).
    pub field: String,
    /// Title.
    pub title: String,
    /// Help text from the template.
    pub help: String,
    /// The text of a text step.
    pub value: String,
}

/// One template question.
pub struct QuestionField {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Help.
    pub help: String,
    /// Provision, with a link to the catalogue when it has the item.
    pub provision: String,
    /// Link to the provision.
    pub href: String,
    /// Answer.
    pub value: String,
}

#[derive(Template)]
#[template(path = "impact_form.html")]
struct FormPage {
    chrome: Chrome,
    heading: String,
    action: String,
    cancel: String,
    version: Option<i64>,
    system_id: String,
    system_name: String,
    template: ImpactTemplate,
    title: String,
    system_version: String,
    steps: Vec<Step>,
    hidden: Vec<(String, String)>,
    affected: Vec<AffectedRow>,
    impacts: Vec<ImpactRowForm>,
    blank_affected: Vec<AffectedRow>,
    blank_impact: Vec<ImpactRowForm>,
    next_affected: usize,
    next_impact: usize,
    questions: Vec<QuestionField>,
    triggers: Vec<Opt>,
    next_review: String,
    appetite: String,
    errors: Errors,
}

impl FormPage {
    fn other_errors(&self) -> Vec<String> {
        let mut shown: Vec<&str> = vec![
            "title",
            "system_version",
            "affected",
            "impacts",
            "answers",
            "triggers",
            "next_review",
        ];
        shown.extend(self.steps.iter().map(|s| s.field.as_str()));
        self.errors.others(&shown)
    }
}

fn affected_row(i: Option<usize>, p: Option<&AffectedParty>, error: String) -> AffectedRow {
    AffectedRow {
        i: i.map_or_else(|| "__i__".into(), |i| i.to_string()),
        name: p.map(|p| p.name.clone()).unwrap_or_default(),
        kinds: Opt::vocab(
            &vocab(AffectedKind::ALL, AffectedKind::as_str),
            p.map_or("individuals", |p| p.kind.as_str()),
            None,
        ),
        vulnerable: p.is_some_and(|p| p.vulnerable),
        note: p.map(|p| p.note.clone()).unwrap_or_default(),
        error,
    }
}

fn impact_row(
    i: Option<usize>,
    m: Option<&Impact>,
    method: &RiskMethod,
    error: String,
) -> ImpactRowForm {
    let n = |v: i64| if v > 0 { v.to_string() } else { String::new() };
    ImpactRowForm {
        i: i.map_or_else(|| "__i__".into(), |i| i.to_string()),
        n: i.map_or_else(|| "__n__".into(), |i| (i + 1).to_string()),
        areas: Opt::vocab(
            &vocab(ImpactArea::ALL, ImpactArea::as_str),
            m.map_or("fairness", |m| m.area.as_str()),
            None,
        ),
        natures: Opt::vocab(
            &vocab(ImpactNature::ALL, ImpactNature::as_str),
            m.map_or("harm", |m| m.nature.as_str()),
            None,
        ),
        description: m.map(|m| m.description.clone()).unwrap_or_default(),
        affected: m.map(|m| m.affected.join(", ")).unwrap_or_default(),
        severity: scale_options(
            &method.impact,
            &m.map(|m| n(m.severity)).unwrap_or_default(),
            true,
        ),
        likelihood: scale_options(
            &method.likelihood,
            &m.map(|m| n(m.likelihood)).unwrap_or_default(),
            true,
        ),
        reversibility: Opt::vocab(
            &vocab(Reversibility::ALL, Reversibility::as_str),
            m.map_or("reversible", |m| m.reversibility.as_str()),
            None,
        ),
        measures: m.map(|m| m.measures.clone()).unwrap_or_default(),
        controls: m.map(|m| m.controls.join(", ")).unwrap_or_default(),
        risk_id: m.map(|m| m.risk_id.clone()).unwrap_or_default(),
        error,
    }
}

/// The template's own questions with the answers given so far, as both the form and the detail page show them.
pub(super) fn question_fields(
    t: &ImpactTemplate,
    answers: &BTreeMap<String, String>,
) -> Vec<QuestionField> {
    t.questions
        .iter()
        .map(|q| QuestionField {
            id: q.id.clone(),
            title: q.title.clone(),
            help: q.help.clone(),
            href: if q.provision.is_empty() {
                String::new()
            } else {
                format!("/catalog/eu-ai-act/item?ref={}", encode(&q.provision))
            },
            provision: q.provision.clone(),
            value: answers.get(&q.id).cloned().unwrap_or_default(),
        })
        .collect()
}

/// What the guided form shows around the assessment: heading, the address it posts to (and cancels to), the
/// record version when editing and the name of the assessed system.
pub(super) struct Head {
    heading: String,
    target: String,
    version: Option<i64>,
    system_name: String,
}

impl Head {
    /// The form of a new assessment of system `system_name`.
    pub(super) fn new_assessment(system_name: String) -> Head {
        Head {
            heading: format!("New impact assessment: {system_name}"),
            target: "/impact-assessments".into(),
            version: None,
            system_name,
        }
    }

    /// The form that edits assessment `id` (titled `title`) at `version`.
    pub(super) fn edit(title: &str, id: &str, version: Option<i64>, system_name: String) -> Head {
        Head {
            heading: format!("Edit {title}"),
            target: format!("/impact-assessments/{id}"),
            version,
            system_name,
        }
    }
}

/// Renders the guided form for an assessment; a refused one comes with the form rows of the submitted rows and
/// the use case's messages, which are put on those rows (422).
pub(super) fn form_page(
    chrome: Chrome,
    head: Head,
    t: ImpactTemplate,
    a: &ImpactAssessment,
    method: &RiskMethod,
    refused: Option<(&RowIndex, Errors)>,
) -> PageResult {
    let (rows, errors) = match refused {
        Some((rows, errors)) => (Some(rows), remap(errors, rows)),
        None => (None, Errors::default()),
    };
    // Rows keep the index the form gave them, so messages land on the right row.
    let affected_idx: Vec<usize> =
        rows.map_or_else(|| (0..a.affected.len()).collect(), |r| r.affected.clone());
    let impact_idx: Vec<usize> =
        rows.map_or_else(|| (0..a.impacts.len()).collect(), |r| r.impacts.clone());
    let mut affected: Vec<AffectedRow> = a
        .affected
        .iter()
        .zip(&affected_idx)
        .map(|(p, i)| affected_row(Some(*i), Some(p), errors.of(&format!("affected[{i}]"))))
        .collect();
    let next_a = affected_idx.iter().max().map_or(0, |m| m + 1);
    affected.push(affected_row(Some(next_a), None, String::new()));
    let mut impacts: Vec<ImpactRowForm> = a
        .impacts
        .iter()
        .zip(&impact_idx)
        .map(|(m, i)| {
            impact_row(
                Some(*i),
                Some(m),
                method,
                errors.of(&format!("impacts[{i}]")),
            )
        })
        .collect();
    let next_i = impact_idx.iter().max().map_or(0, |m| m + 1);
    impacts.push(impact_row(Some(next_i), None, method, String::new()));
    let mut steps = vec![];
    let mut shown: Vec<&str> = vec![];
    // Step 1 is the title; the template's sections follow.
    for (n, sct) in (2..).zip(t.sections.iter()) {
        shown.push(sct.field.as_str());
        steps.push(Step {
            n,
            field: sct.field.clone(),
            title: sct.title.clone(),
            help: sct.help.clone(),
            value: text_of(a, &sct.field),
        });
    }
    let hidden = TEXT_FIELDS
        .iter()
        .filter(|f| !shown.contains(f))
        .map(|f| (f.to_string(), text_of(a, f)))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let questions = question_fields(&t, &a.answers);
    let invalid = !errors.is_empty();
    let page = FormPage {
        chrome,
        heading: head.heading,
        action: head.target.clone(),
        cancel: head.target,
        version: head.version,
        system_id: a.system_id.clone(),
        system_name: head.system_name,
        title: a.title.clone(),
        system_version: a.system_version.clone(),
        steps,
        hidden,
        blank_affected: vec![affected_row(None, None, String::new())],
        blank_impact: vec![impact_row(None, None, method, String::new())],
        next_affected: next_a + 1,
        next_impact: next_i + 1,
        affected,
        impacts,
        questions,
        triggers: Opt::many(
            vocab(ReassessmentTrigger::ALL, ReassessmentTrigger::as_str)
                .into_iter()
                .map(|x| (x.to_string(), words(x))),
            a.triggers.iter().map(String::as_str),
        ),
        next_review: a.next_review.clone(),
        appetite: method
            .levels
            .iter()
            .find(|l| l.id == method.appetite)
            .map_or_else(|| method.appetite.clone(), |l| l.label.clone()),
        template: t,
        errors,
    };
    render_form(&page, invalid)
}
