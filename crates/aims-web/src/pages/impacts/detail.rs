//! One impact assessment on its own page, and its approval.

use super::edit::{find_template, system_name};
use super::form::{QuestionField, question_fields};
use super::read::{TEXT_FIELDS, text_of};
use crate::AppState;
use crate::chrome::Chrome;
use crate::filters;
use crate::pages::ctx::{Ctx, PageResult, ids};
use crate::pages::form::{
    Badge, Errors, FormData, SignOff, checked, go, render_form, scale_label, words,
};
use aims_app::RecordId;
use aims_app::impact::ApproveImpact;
use aims_app::{AppError, Stored};
use aims_catalog::templates::ImpactTemplate;
use aims_domain::impact::ImpactAssessment;
use aims_domain::risk::Risk;
use askama::Template;
use axum::extract::Path;

/// One impact as shown on the assessment.
pub struct ImpactView {
    /// Index (anchor `impact-{i}`).
    pub i: usize,
    /// Area.
    pub area: String,
    /// Benefit or harm.
    pub nature: String,
    /// What happens.
    pub description: String,
    /// Affected parties.
    pub affected: String,
    /// Severity label.
    pub severity: String,
    /// Likelihood label.
    pub likelihood: String,
    /// Level.
    pub level: Option<Badge>,
    /// Whether a harm above the appetite.
    pub above: bool,
    /// Reversibility.
    pub reversibility: String,
    /// Measures.
    pub measures: String,
    /// Controls.
    pub controls: Vec<String>,
    /// Linked risk (id, title).
    pub risk: Option<(String, String)>,
}

/// A text section as shown.
pub struct SectionView {
    /// Title.
    pub title: String,
    /// Text.
    pub text: String,
}

#[derive(Template)]
#[template(path = "impact_detail.html")]
struct DetailPage {
    chrome: Chrome,
    a: Stored<ImpactAssessment>,
    system_name: String,
    template: ImpactTemplate,
    sections: Vec<SectionView>,
    impacts: Vec<ImpactView>,
    answers: Vec<QuestionField>,
    above: usize,
    appetite: String,
    sign_off: SignOff,
    errors: Errors,
}

impl DetailPage {
    fn other_errors(&self) -> Vec<String> {
        self.errors.others(&["approval"])
    }
}

async fn detail(
    state: &AppState,
    s: &aims_app::auth::Session,
    chrome: Chrome,
    id: &RecordId,
    sign_off: SignOff,
    errors: Errors,
) -> PageResult {
    let actor = s.actor();
    let app = &state.app;
    let a = app
        .get_record::<ImpactAssessment>(&actor, &s.org_id, id)
        .await?;
    let method = app.risk_method(&actor, &s.org_id).await?;
    let t = find_template(&a.data.template)?;
    let mut risks = vec![];
    for m in &a.data.impacts {
        if m.risk_id.is_empty() {
            risks.push(None);
        } else {
            let title = match app
                .get_record::<Risk>(&actor, &s.org_id, &m.risk_id.as_str().into())
                .await
            {
                Ok(r) => r.data.title,
                Err(AppError::NotFound(_)) => m.risk_id.clone(),
                Err(e) => return Err(e.into()),
            };
            risks.push(Some((m.risk_id.clone(), title)));
        }
    }
    let name = system_name(state, s, &a.data.system_id).await;
    let mut sections: Vec<SectionView> = t
        .sections
        .iter()
        .filter(|x| TEXT_FIELDS.contains(&x.field.as_str()))
        .map(|x| SectionView {
            title: x.title.clone(),
            text: text_of(&a.data, &x.field),
        })
        .collect();
    for f in TEXT_FIELDS {
        if !t.sections.iter().any(|x| x.field == *f) && !text_of(&a.data, f).is_empty() {
            sections.push(SectionView {
                title: words(f),
                text: text_of(&a.data, f),
            });
        }
    }
    let impacts = a
        .data
        .impacts
        .iter()
        .zip(risks)
        .enumerate()
        .map(|(i, (m, risk))| {
            let level = method
                .level_of(&m.score())
                .and_then(|l| Badge::of(&method, &l.id));
            ImpactView {
                i,
                area: words(&m.area),
                nature: m.nature.clone(),
                description: m.description.clone(),
                affected: m.affected.join(", "),
                severity: scale_label(&method.impact, m.severity),
                likelihood: scale_label(&method.likelihood, m.likelihood),
                above: m.is_harm() && method.exceeds_appetite(&m.score()),
                level,
                reversibility: words(&m.reversibility),
                measures: m.measures.clone(),
                controls: m.controls.clone(),
                risk,
            }
        })
        .collect();
    let answers = question_fields(&t, &a.data.answers);
    let invalid = !errors.is_empty();
    let page = DetailPage {
        chrome,
        above: a.data.harms_above_appetite(&method).len(),
        appetite: method
            .levels
            .iter()
            .find(|l| l.id == method.appetite)
            .map_or_else(|| method.appetite.clone(), |l| l.label.clone()),
        a,
        system_name: name,
        template: t,
        sections,
        impacts,
        answers,
        sign_off,
        errors,
    };
    render_form(&page, invalid)
}

/// GET /impact-assessments/{id}
pub async fn show(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    ids(&[&id], "impact assessment")?;
    let Ctx { state, s, chrome } = ctx;
    let sign_off = SignOff::blank(&s.user.display_name);
    detail(&state, &s, chrome, &id, sign_off, Errors::default()).await
}

/// POST /impact-assessments/{id}/approve
pub async fn approve(ctx: Ctx, Path(id): Path<RecordId>, f: FormData) -> PageResult {
    ids(&[&id], "impact assessment")?;
    let Ctx { state, s, chrome } = ctx;
    let approval = f.acceptance("approval");
    let approved = state
        .app
        .step::<ApproveImpact>(&s.actor(), &s.org_id, &id, f.version(), approval.clone())
        .await;
    match checked(approved)? {
        Ok(a) => go(&format!("/impact-assessments/{}", a.id)),
        Err(errors) => detail(&state, &s, chrome, &id, SignOff::of(approval), errors).await,
    }
}
