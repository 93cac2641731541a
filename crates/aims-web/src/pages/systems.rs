//! The AI system inventory in the browser: searchable, sortable list; detail with every section; create and edit
//! forms with messages next to the fields; the change history from the log.

use crate::auth::encode;
use crate::chrome::Chrome;
use crate::error::render;
use crate::pages::ctx::{Ctx, PageResult};
use aims_app::integrity::HistoryEntry;
use aims_app::systems::SystemFilter;
use aims_app::{AppError, Stored};
use aims_domain::inventory::AiSystem;
use aims_domain::vocab::{AiRole, AutomationLevel, HumanOversight, LifecycleStage};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// A malformed id in the address is an unknown page, not a form error.
fn not_a_record(id: &str) -> Option<Response> {
    aims_domain::parse_id("id", id).is_err().then(|| {
        crate::error::page(
            StatusCode::NOT_FOUND,
            None,
            "Not found",
            "There is no AI system with this id.",
        )
    })
}

/// Query of the list page.
#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    desc: Option<String>,
    /// Keyset cursor of the next page: the sort value and the id of the last system shown.
    #[serde(default)]
    after: String,
    #[serde(default)]
    after_id: String,
}

/// Systems shown per page of the inventory list.
const PAGE_SIZE: i64 = 100;

/// A sortable column header.
pub struct SortLink {
    /// Label.
    pub label: &'static str,
    /// Link that sorts by this column (toggling direction when already sorted by it).
    pub href: String,
    /// `ascending`, `descending` or `none`, for aria-sort.
    pub aria: &'static str,
}

#[derive(Template)]
#[template(path = "systems_list.html")]
struct ListPage {
    chrome: Chrome,
    systems: Vec<Stored<AiSystem>>,
    next_page: Option<String>,
    first_page: Option<String>,
    q: String,
    stage: String,
    stages: Vec<&'static str>,
    columns: Vec<SortLink>,
}

/// GET /systems
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let sort = if q.sort.is_empty() {
        "name".to_string()
    } else {
        q.sort.clone()
    };
    let desc = q.desc.as_deref() == Some("1");
    let filter = SystemFilter {
        stage: (!q.stage.is_empty()).then(|| q.stage.clone()),
        search: (!q.q.is_empty()).then(|| q.q.clone()),
        sort: Some(sort.clone()),
        descending: desc,
        limit: Some(PAGE_SIZE + 1),
        ..SystemFilter::default()
    };
    let after = (!q.after_id.is_empty()).then(|| (q.after.clone(), q.after_id.clone()));
    let mut systems = state
        .app
        .systems_after(&s.actor(), &s.org_id, &filter, after)
        .await?;
    let next_page = if systems.len() as i64 > PAGE_SIZE {
        systems.truncate(PAGE_SIZE as usize);
        systems.last().map(|last| {
            let value = match sort.as_str() {
                "lifecycle_stage" => last.data.lifecycle_stage.clone(),
                "owner" => last.data.owner.clone(),
                "business_unit" => last.data.business_unit.clone(),
                _ => last.data.name.clone(),
            };
            format!(
                "/systems?q={}&stage={}&sort={}{}&after={}&after_id={}",
                encode(&q.q),
                encode(&q.stage),
                encode(&sort),
                if desc { "&desc=1" } else { "" },
                encode(&value),
                encode(&last.id)
            )
        })
    } else {
        None
    };
    let first_page = (!q.after_id.is_empty()).then(|| {
        format!(
            "/systems?q={}&stage={}&sort={}{}",
            encode(&q.q),
            encode(&q.stage),
            encode(&sort),
            if desc { "&desc=1" } else { "" }
        )
    });
    let columns = [
        ("Name", "name"),
        ("Stage", "lifecycle_stage"),
        ("Owner", "owner"),
        ("Business unit", "business_unit"),
    ]
    .iter()
    .map(|(label, key)| {
        let active = sort == *key;
        let next_desc = active && !desc;
        SortLink {
            label,
            href: format!(
                "/systems?q={}&stage={}&sort={key}{}",
                encode(&q.q),
                encode(&q.stage),
                if next_desc { "&desc=1" } else { "" }
            ),
            aria: match (active, desc) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            },
        }
    })
    .collect();
    Ok(render(&ListPage {
        chrome,
        systems,
        next_page,
        first_page,
        q: q.q,
        stage: q.stage,
        stages: LifecycleStage::ALL.iter().map(|x| x.as_str()).collect(),
        columns,
    }))
}

#[derive(Template)]
#[template(path = "system_detail.html")]
struct DetailPage {
    chrome: Chrome,
    s: Stored<AiSystem>,
    custom: Vec<(String, String)>,
}

/// GET /systems/{id}
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    if let Some(r) = not_a_record(&id) {
        return Ok(r);
    }
    let Ctx { state, s, chrome } = ctx;
    let sys = state.app.system(&s.actor(), &s.org_id, &id).await?;
    let custom = sys
        .data
        .custom_fields
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str()
                    .map(String::from)
                    .unwrap_or_else(|| v.to_string()),
            )
        })
        .collect();
    Ok(render(&DetailPage {
        chrome,
        s: sys,
        custom,
    }))
}

#[derive(Template)]
#[template(path = "system_history.html")]
struct HistoryPage {
    chrome: Chrome,
    s: Stored<AiSystem>,
    entries: Vec<HistoryEntry>,
}

/// GET /systems/{id}/history
pub async fn history(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    if let Some(r) = not_a_record(&id) {
        return Ok(r);
    }
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let sys = state.app.system(&actor, &s.org_id, &id).await?;
    let mut entries = state
        .app
        .history(&actor, &s.org_id, "ai_system", &sys.id)
        .await?;
    entries.reverse();
    Ok(render(&HistoryPage {
        chrome,
        s: sys,
        entries,
    }))
}

/// The create/edit form's fields.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct SystemForm {
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    intended_use: String,
    #[serde(default)]
    foreseeable_misuse: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    business_unit: String,
    #[serde(default)]
    lifecycle_stage: String,
    #[serde(default)]
    org_role: String,
    #[serde(default)]
    in_scope: Option<String>,
    #[serde(default)]
    automation_level: String,
    #[serde(default)]
    human_oversight: String,
    #[serde(default)]
    oversight_notes: String,
    #[serde(default)]
    affected_parties: String,
}

impl SystemForm {
    fn from_system(s: &AiSystem, version: Option<i64>) -> Self {
        SystemForm {
            version,
            name: s.name.clone(),
            purpose: s.purpose.clone(),
            intended_use: s.intended_use.clone(),
            foreseeable_misuse: s.foreseeable_misuse.clone(),
            owner: s.owner.clone(),
            business_unit: s.business_unit.clone(),
            lifecycle_stage: s.lifecycle_stage.clone(),
            org_role: s.org_role.clone(),
            in_scope: s.in_scope.then(|| "on".to_string()),
            automation_level: s.automation_level.clone(),
            human_oversight: s.human_oversight.clone(),
            oversight_notes: s.oversight_notes.clone(),
            affected_parties: s.affected_parties.join("\n"),
        }
    }

    fn apply(&self, s: &mut AiSystem) {
        s.name = self.name.clone();
        s.purpose = self.purpose.clone();
        s.intended_use = self.intended_use.clone();
        s.foreseeable_misuse = self.foreseeable_misuse.clone();
        s.owner = self.owner.clone();
        s.business_unit = self.business_unit.clone();
        s.lifecycle_stage = self.lifecycle_stage.clone();
        s.org_role = self.org_role.clone();
        s.in_scope = self.in_scope.is_some();
        s.automation_level = self.automation_level.clone();
        s.human_oversight = self.human_oversight.clone();
        s.oversight_notes = self.oversight_notes.clone();
        s.affected_parties = self
            .affected_parties
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
    }
}

/// One option of a select.
pub struct Choice {
    /// Stored value.
    pub value: &'static str,
    /// Whether it is selected.
    pub selected: bool,
}

fn choices(all: &[&'static str], current: &str, optional: bool) -> Vec<Choice> {
    let mut v: Vec<Choice> = Vec::new();
    if optional {
        v.push(Choice {
            value: "",
            selected: current.is_empty(),
        });
    }
    v.extend(all.iter().map(|x| Choice {
        value: x,
        selected: *x == current,
    }));
    v
}

#[derive(Template)]
#[template(path = "system_form.html")]
struct FormPage {
    chrome: Chrome,
    title: String,
    action: String,
    cancel: String,
    f: SystemForm,
    errors: Vec<(String, String)>,
    stages: Vec<Choice>,
    roles: Vec<Choice>,
    automation: Vec<Choice>,
    oversight: Vec<Choice>,
}

impl FormPage {
    /// The message for one field, empty when it is fine.
    fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|(f, _)| f == field || f.starts_with(&format!("{field}[")))
            .map(|(_, m)| m.clone())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Errors that belong to no field on the form.
    fn other_errors(&self) -> Vec<String> {
        const ON_FORM: &[&str] = &[
            "name",
            "purpose",
            "intended_use",
            "foreseeable_misuse",
            "owner",
            "business_unit",
            "lifecycle_stage",
            "org_role",
            "automation_level",
            "human_oversight",
            "oversight_notes",
            "affected_parties",
        ];
        self.errors
            .iter()
            .filter(|(f, _)| {
                !ON_FORM
                    .iter()
                    .any(|k| f == k || f.starts_with(&format!("{k}[")))
            })
            .map(|(f, m)| format!("{f}: {m}"))
            .collect()
    }
}

fn form_page(
    chrome: Chrome,
    title: String,
    action: String,
    cancel: String,
    f: SystemForm,
    errors: Vec<(String, String)>,
) -> FormPage {
    let all = |v: &[&'static str]| v.to_vec();
    FormPage {
        stages: choices(
            &all(&LifecycleStage::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>()),
            &f.lifecycle_stage,
            false,
        ),
        roles: choices(
            &AiRole::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
            &f.org_role,
            false,
        ),
        automation: choices(
            &AutomationLevel::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>(),
            &f.automation_level,
            true,
        ),
        oversight: choices(
            &HumanOversight::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>(),
            &f.human_oversight,
            true,
        ),
        chrome,
        title,
        action,
        cancel,
        f,
        errors,
    }
}

fn forbidden_unless_writer(chrome: &Chrome) -> Option<Response> {
    (!chrome.can_write).then(|| {
        crate::error::page(
            StatusCode::FORBIDDEN,
            None,
            "Not allowed",
            "Your role in this organization cannot change AI systems.",
        )
    })
}

/// GET /systems/new
pub async fn new_form(Ctx { chrome, .. }: Ctx) -> PageResult {
    if let Some(r) = forbidden_unless_writer(&chrome) {
        return Ok(r);
    }
    let f = SystemForm::from_system(&AiSystem::new("", ""), None);
    Ok(render(&form_page(
        chrome,
        "New AI system".into(),
        "/systems".into(),
        "/systems".into(),
        f,
        vec![],
    )))
}

/// GET /systems/{id}/edit
pub async fn edit_form(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    if let Some(r) = not_a_record(&id).or_else(|| forbidden_unless_writer(&chrome)) {
        return Ok(r);
    }
    let sys = state.app.system(&s.actor(), &s.org_id, &id).await?;
    let f = SystemForm::from_system(&sys.data, Some(sys.version));
    let title = format!("Edit {}", sys.data.name);
    Ok(render(&form_page(
        chrome,
        title,
        format!("/systems/{}", sys.id),
        format!("/systems/{}", sys.id),
        f,
        vec![],
    )))
}

fn invalid(
    chrome: Chrome,
    title: String,
    action: String,
    cancel: String,
    f: SystemForm,
    e: aims_domain::ValidationError,
) -> Response {
    let errors = e.errors.into_iter().map(|x| (x.field, x.message)).collect();
    let mut res = render(&form_page(chrome, title, action, cancel, f, errors));
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    res
}

/// POST /systems
pub async fn create(ctx: Ctx, Form(f): Form<SystemForm>) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let mut sys = AiSystem::new("", "");
    f.apply(&mut sys);
    match state.app.add_system(&s.actor(), &s.org_id, sys).await {
        Ok(created) => Ok(Redirect::to(&format!("/systems/{}", created.id)).into_response()),
        Err(AppError::Invalid(v)) => Ok(invalid(
            chrome,
            "New AI system".into(),
            "/systems".into(),
            "/systems".into(),
            f,
            v,
        )),
        Err(e) => Err(e.into()),
    }
}

/// POST /systems/{id}
pub async fn update(ctx: Ctx, Path(id): Path<String>, Form(f): Form<SystemForm>) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    if let Some(r) = not_a_record(&id) {
        return Ok(r);
    }
    let form = f.clone();
    let result = state
        .app
        .update_system(&s.actor(), &s.org_id, &id, f.version, move |sys| {
            form.apply(sys);
            Ok(())
        })
        .await;
    match result {
        Ok(updated) => Ok(Redirect::to(&format!("/systems/{}", updated.id)).into_response()),
        Err(AppError::Invalid(v)) => {
            let title = if f.name.trim().is_empty() {
                "Edit AI system".to_string()
            } else {
                format!("Edit {}", f.name)
            };
            Ok(invalid(
                chrome,
                title,
                format!("/systems/{id}"),
                format!("/systems/{id}"),
                f,
                v,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
