//! The forms that record a new risk and edit a recorded one.

use super::assess_fields::{AssessFields, read_assessment};
use super::detail::catalog_titles;
use crate::chrome::Chrome;
use crate::pages::ctx::{Ctx, PageResult, ids, writable};
use crate::pages::form::{Errors, FormData, Opt, checked, go, render_form, vocab};
use aims_app::RecordId;
use aims_app::systems::SystemFilter;
use aims_domain::risk::Risk;
use aims_domain::vocab::RiskStatus;
use askama::Template;
use axum::extract::Path;

/// The register fields of the risk form.
#[derive(Default)]
pub struct RiskFields {
    /// Version when editing.
    pub version: Option<i64>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Owner.
    pub owner: String,
    /// Review date.
    pub review_date: String,
    /// Status.
    pub status: String,
    /// The organization's own sources, one per line.
    pub custom_sources: String,
    system_ids: Vec<String>,
    sources: Vec<String>,
    objectives: Vec<String>,
    raised_from: Vec<String>,
}

impl RiskFields {
    fn from_risk(r: &Risk, version: Option<i64>) -> RiskFields {
        RiskFields {
            version,
            title: r.title.clone(),
            description: r.description.clone(),
            owner: r.owner.clone(),
            review_date: r.review_date.clone(),
            status: r.status.clone(),
            custom_sources: r
                .sources
                .iter()
                .filter_map(|s| s.strip_prefix("custom:"))
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("\n"),
            system_ids: r.system_ids.clone(),
            sources: r
                .sources
                .iter()
                .filter(|s| !s.starts_with("custom:"))
                .cloned()
                .collect(),
            objectives: r.objectives.clone(),
            raised_from: r.raised_from.clone(),
        }
    }

    fn from_form(f: &FormData) -> RiskFields {
        RiskFields {
            version: f.version(),
            title: f.get("title"),
            description: f.get("description"),
            owner: f.get("owner"),
            review_date: f.text("review_date"),
            status: f.text("status"),
            custom_sources: f.get("custom_sources"),
            system_ids: f.all("system_ids"),
            sources: f.all("sources"),
            objectives: f.all("objectives"),
            raised_from: vec![],
        }
    }

    fn to_risk(&self) -> Risk {
        let mut sources = self.sources.clone();
        sources.extend(
            crate::pages::form::lines(&self.custom_sources)
                .into_iter()
                .map(|s| format!("custom:{s}")),
        );
        Risk {
            title: self.title.trim().to_string(),
            description: self.description.trim().to_string(),
            system_ids: self.system_ids.clone(),
            sources,
            objectives: self.objectives.clone(),
            owner: self.owner.trim().to_string(),
            review_date: self.review_date.clone(),
            status: if self.status.is_empty() {
                "open".into()
            } else {
                self.status.clone()
            },
            raised_from: self.raised_from.clone(),
            assessments: vec![],
        }
    }
}

#[derive(Template)]
#[template(path = "risk_form.html")]
struct RiskFormPage {
    chrome: Chrome,
    heading: String,
    action: String,
    cancel: String,
    f: RiskFields,
    a: Option<AssessFields>,
    errors: Errors,
    statuses: Vec<Opt>,
    systems: Vec<Opt>,
    sources: Vec<Opt>,
    objectives: Vec<Opt>,
}

impl RiskFormPage {
    fn other_errors(&self) -> Vec<String> {
        self.errors.others(&[
            "title",
            "description",
            "owner",
            "review_date",
            "status",
            "system_ids",
            "sources",
            "objectives",
            "assessment",
        ])
    }
}

/// Heading, form action and cancel link of the risk form.
struct FormHead {
    heading: String,
    action: String,
    cancel: String,
}

impl FormHead {
    fn new_risk() -> FormHead {
        FormHead {
            heading: "New risk".into(),
            action: "/risks".into(),
            cancel: "/risks".into(),
        }
    }

    fn edit(title: &str, id: &str) -> FormHead {
        FormHead {
            heading: format!("Edit {title}"),
            action: format!("/risks/{id}"),
            cancel: format!("/risks/{id}"),
        }
    }
}

async fn risk_form(
    ctx: Ctx,
    head: FormHead,
    f: RiskFields,
    a: Option<AssessFields>,
    errors: Errors,
) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let FormHead {
        heading,
        action,
        cancel,
    } = head;
    let filter = SystemFilter {
        limit: Some(1000),
        ..SystemFilter::default()
    };
    let systems = state.app.systems(&s.actor(), &s.org_id, &filter).await?;
    let sources = catalog_titles("risk_source")?;
    let objectives = catalog_titles("annex_c_objective")?;
    let invalid = !errors.is_empty();
    let page = RiskFormPage {
        statuses: Opt::vocab(
            &vocab(RiskStatus::ALL, RiskStatus::as_str),
            if f.status.is_empty() {
                "open"
            } else {
                &f.status
            },
            None,
        ),
        systems: Opt::many(
            systems.into_iter().map(|x| {
                let label = if x.data.lifecycle_stage == "retired" {
                    format!("{} (retired)", x.data.name)
                } else {
                    x.data.name
                };
                (x.id.into(), label)
            }),
            f.system_ids.iter().map(String::as_str),
        ),
        sources: Opt::many(
            sources
                .into_iter()
                .map(|(k, t)| (k.clone(), format!("{k} {t}"))),
            f.sources.iter().map(String::as_str),
        ),
        objectives: Opt::many(
            objectives
                .into_iter()
                .map(|(k, t)| (k.clone(), format!("{k} {t}"))),
            f.objectives.iter().map(String::as_str),
        ),
        chrome,
        heading,
        action,
        cancel,
        f,
        a,
        errors,
    };
    render_form(&page, invalid)
}

/// GET /risks/new
pub async fn new_form(ctx: Ctx) -> PageResult {
    writable(&ctx.chrome, "record risks")?;
    let method = ctx
        .state
        .app
        .risk_method(&ctx.s.actor(), &ctx.s.org_id)
        .await?;
    let a = AssessFields::from_assessment(&method, None, &ctx.s.user.display_name, true);
    let fields = RiskFields::default();
    risk_form(
        ctx,
        FormHead::new_risk(),
        fields,
        Some(a),
        Errors::default(),
    )
    .await
}

/// POST /risks
pub async fn create(ctx: Ctx, f: FormData) -> PageResult {
    let (app, actor, org) = (&ctx.state.app, ctx.s.actor(), &ctx.s.org_id);
    let method = app.risk_method(&actor, org).await?;
    let fields = RiskFields::from_form(&f);
    let mut risk = fields.to_risk();
    let errors = match read_assessment(&f, true) {
        Ok(a) => {
            risk.assessments = a.into_iter().collect();
            match checked(app.create_record(&actor, org, risk).await)? {
                Ok(created) => return go(&format!("/risks/{}", created.id)),
                Err(e) => e.rename("assessments[0]", "assessment"),
            }
        }
        Err(e) => e,
    };
    let a = AssessFields::from_form(&method, &f, true);
    risk_form(ctx, FormHead::new_risk(), fields, Some(a), errors).await
}

/// GET /risks/{id}/edit
pub async fn edit_form(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    ids(&[&id], "risk")?;
    writable(&ctx.chrome, "change risks")?;
    let r = ctx
        .state
        .app
        .get_record::<Risk>(&ctx.s.actor(), &ctx.s.org_id, &id)
        .await?;
    let fields = RiskFields::from_risk(&r.data, Some(r.version));
    risk_form(
        ctx,
        FormHead::edit(&r.data.title, &r.id),
        fields,
        None,
        Errors::default(),
    )
    .await
}

/// POST /risks/{id}
pub async fn update(ctx: Ctx, Path(id): Path<RecordId>, f: FormData) -> PageResult {
    ids(&[&id], "risk")?;
    let (app, actor, org) = (&ctx.state.app, ctx.s.actor(), &ctx.s.org_id);
    let mut fields = RiskFields::from_form(&f);
    let current = app.get_record::<Risk>(&actor, org, &id).await?;
    fields.raised_from = current.data.raised_from.clone();
    let saved = app
        .update_record(&actor, org, &id, fields.version, fields.to_risk())
        .await;
    match checked(saved)? {
        Ok(r) => go(&format!("/risks/{}", r.id)),
        Err(errors) => {
            let head = FormHead::edit(&current.data.title, &id);
            risk_form(ctx, head, fields, None, errors).await
        }
    }
}
