//! The AI system inventory in the browser: searchable, sortable list; detail with every section; create and edit
//! forms with messages next to the fields; the change history from the log.

use crate::auth::encode;
use crate::chrome::Chrome;
use crate::error::render;
use crate::pages::ctx::{Ctx, PageResult, ids, writable};
use crate::pages::form::{Errors, Opt, checked, go, render_form, vocab};
use aims_app::RecordId;
use aims_app::Stored;
use aims_app::integrity::HistoryEntry;
use aims_app::systems::SystemFilter;
use aims_domain::inventory::AiSystem;
use aims_domain::vocab::{AiRole, AutomationLevel, HumanOversight, LifecycleStage};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use serde::Deserialize;

/// The record kind the not-found page names.
const SYSTEM: &str = "AI system";
/// What the forbidden page says a read-only role cannot do here.
const CHANGE: &str = "change AI systems";

/// Query of the list page.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    stage: String,
    sort: String,
    desc: Option<String>,
    /// Keyset cursor of the next page: the sort value and the id of the last system shown.
    after: String,
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

impl SortLink {
    /// The headers of `columns` (label, sort key) of a list sorted by `sort` (`desc` when descending): `href(key,
    /// descending)` is the address that sorts by a column; the active column's link turns the order around.
    pub fn columns(
        columns: &[(&'static str, &str)],
        sort: &str,
        desc: bool,
        href: impl Fn(&str, bool) -> String,
    ) -> Vec<SortLink> {
        columns
            .iter()
            .map(|(label, key)| {
                let active = sort == *key;
                SortLink {
                    label,
                    href: href(key, active && !desc),
                    aria: match (active, desc) {
                        (false, _) => "none",
                        (true, false) => "ascending",
                        (true, true) => "descending",
                    },
                }
            })
            .collect()
    }
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
    let columns = SortLink::columns(
        &[
            ("Name", "name"),
            ("Stage", "lifecycle_stage"),
            ("Owner", "owner"),
            ("Business unit", "business_unit"),
        ],
        &sort,
        desc,
        |key, next_desc| {
            format!(
                "/systems?q={}&stage={}&sort={key}{}",
                encode(&q.q),
                encode(&q.stage),
                if next_desc { "&desc=1" } else { "" }
            )
        },
    );
    Ok(render(&ListPage {
        chrome,
        systems,
        next_page,
        first_page,
        q: q.q,
        stage: q.stage,
        stages: vocab(LifecycleStage::ALL, LifecycleStage::as_str),
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
pub async fn show(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    ids(&[&id], SYSTEM)?;
    let Ctx { state, s, chrome } = ctx;
    let sys = state
        .app
        .get_record::<AiSystem>(&s.actor(), &s.org_id, &id)
        .await?;
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
pub async fn history(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    ids(&[&id], SYSTEM)?;
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let sys = state
        .app
        .get_record::<AiSystem>(&actor, &s.org_id, &id)
        .await?;
    let mut entries = state
        .app
        .record_history::<AiSystem>(&actor, &s.org_id, &sys.id)
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
#[serde(default)]
pub struct SystemForm {
    version: Option<i64>,
    name: String,
    purpose: String,
    intended_use: String,
    foreseeable_misuse: String,
    owner: String,
    business_unit: String,
    lifecycle_stage: String,
    org_role: String,
    in_scope: Option<String>,
    automation_level: String,
    human_oversight: String,
    oversight_notes: String,
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

#[derive(Template)]
#[template(path = "system_form.html")]
struct FormPage {
    chrome: Chrome,
    title: String,
    action: String,
    cancel: String,
    f: SystemForm,
    errors: Errors,
    stages: Vec<Opt>,
    roles: Vec<Opt>,
    automation: Vec<Opt>,
    oversight: Vec<Opt>,
}

impl FormPage {
    /// Errors that belong to no field on the form.
    fn other_errors(&self) -> Vec<String> {
        self.errors.others(&[
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
        ])
    }
}

/// Heading, form action and cancel link of the system form.
struct FormHead {
    title: String,
    target: String,
}

impl FormHead {
    fn new_system() -> FormHead {
        FormHead {
            title: "New AI system".into(),
            target: "/systems".into(),
        }
    }

    /// The edit form of system `id`, headed with the name the form shows (a generic heading while it is blank).
    fn edit(name: &str, id: &str) -> FormHead {
        FormHead {
            title: if name.trim().is_empty() {
                "Edit AI system".to_string()
            } else {
                format!("Edit {name}")
            },
            target: format!("/systems/{id}"),
        }
    }
}

/// Renders the create/edit form (422 when it shows messages).
fn form_page(chrome: Chrome, head: FormHead, f: SystemForm, errors: Errors) -> PageResult {
    let not_yet = Some("not yet determined");
    let invalid = !errors.is_empty();
    let page = FormPage {
        stages: Opt::vocab(
            &vocab(LifecycleStage::ALL, LifecycleStage::as_str),
            &f.lifecycle_stage,
            None,
        ),
        roles: Opt::vocab(&vocab(AiRole::ALL, AiRole::as_str), &f.org_role, None),
        automation: Opt::vocab(
            &vocab(AutomationLevel::ALL, AutomationLevel::as_str),
            &f.automation_level,
            not_yet,
        ),
        oversight: Opt::vocab(
            &vocab(HumanOversight::ALL, HumanOversight::as_str),
            &f.human_oversight,
            not_yet,
        ),
        chrome,
        title: head.title,
        action: head.target.clone(),
        cancel: head.target,
        f,
        errors,
    };
    render_form(&page, invalid)
}

/// GET /systems/new
pub async fn new_form(Ctx { chrome, .. }: Ctx) -> PageResult {
    writable(&chrome, CHANGE)?;
    let f = SystemForm::from_system(&AiSystem::new("", ""), None);
    form_page(chrome, FormHead::new_system(), f, Errors::default())
}

/// GET /systems/{id}/edit
pub async fn edit_form(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    ids(&[&id], SYSTEM)?;
    writable(&ctx.chrome, CHANGE)?;
    let Ctx { state, s, chrome } = ctx;
    let sys = state
        .app
        .get_record::<AiSystem>(&s.actor(), &s.org_id, &id)
        .await?;
    let f = SystemForm::from_system(&sys.data, Some(sys.version));
    form_page(
        chrome,
        FormHead::edit(&sys.data.name, &sys.id),
        f,
        Errors::default(),
    )
}

/// POST /systems
pub async fn create(ctx: Ctx, Form(f): Form<SystemForm>) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let mut sys = AiSystem::new("", "");
    f.apply(&mut sys);
    match checked(state.app.create_record(&s.actor(), &s.org_id, sys).await)? {
        Ok(created) => go(&format!("/systems/{}", created.id)),
        Err(errors) => form_page(chrome, FormHead::new_system(), f, errors),
    }
}

/// POST /systems/{id}
pub async fn update(ctx: Ctx, Path(id): Path<RecordId>, Form(f): Form<SystemForm>) -> PageResult {
    ids(&[&id], SYSTEM)?;
    let Ctx { state, s, chrome } = ctx;
    let form = f.clone();
    let result = state
        .app
        .modify_record(&s.actor(), &s.org_id, &id, f.version, move |sys| {
            form.apply(sys);
            Ok(())
        })
        .await;
    match checked(result)? {
        Ok(updated) => go(&format!("/systems/{}", updated.id)),
        Err(errors) => form_page(chrome, FormHead::edit(&f.name, &id), f, errors),
    }
}
