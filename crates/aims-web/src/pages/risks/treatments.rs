//! Treatment plans of a risk: the form with its task rows, and the handlers that create and update a plan.

use super::detail::control_titles;
use crate::AppState;
use crate::chrome::Chrome;
use crate::pages::ctx::{Ctx, PageResult, ids, writable};
use crate::pages::form::{Errors, FormData, Opt, checked, go, render_form, vocab};
use aims_app::RecordId;
use aims_app::{AppError, Stored};
use aims_domain::risk::{Risk, Treatment, TreatmentTask};
use aims_domain::vocab::{TaskStatus, TreatmentOption, TreatmentStatus};
use askama::Template;
use axum::extract::Path;

/// One task row of the treatment form.
pub struct TaskRow {
    /// Row index.
    pub i: usize,
    /// Title.
    pub title: String,
    /// Owner.
    pub owner: String,
    /// Due date.
    pub due: String,
    /// Status options.
    pub statuses: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "treatment_form.html")]
struct TreatmentFormPage {
    chrome: Chrome,
    risk_id: String,
    risk_title: String,
    heading: String,
    action: String,
    version: Option<i64>,
    options: Vec<Opt>,
    statuses: Vec<Opt>,
    description: String,
    controls: Vec<Opt>,
    tasks: Vec<TaskRow>,
    task_statuses: Vec<Opt>,
    next_row: usize,
    errors: Errors,
}

impl TreatmentFormPage {
    fn other_errors(&self) -> Vec<String> {
        self.errors
            .others(&["option", "status", "description", "controls", "tasks"])
    }

    fn task_error(&self, i: &usize) -> String {
        self.errors.of(&format!("tasks[{i}]"))
    }
}

const BLANK_TASK_ROWS: usize = 2;

fn task_statuses(current: &str) -> Vec<Opt> {
    Opt::vocab(&vocab(TaskStatus::ALL, TaskStatus::as_str), current, None)
}

fn task_rows(tasks: &[TreatmentTask]) -> Vec<TaskRow> {
    let blank = TreatmentTask {
        title: String::new(),
        owner: String::new(),
        due: String::new(),
        status: "open".into(),
    };
    tasks
        .iter()
        .chain(std::iter::repeat_n(&blank, BLANK_TASK_ROWS))
        .enumerate()
        .map(|(i, t)| TaskRow {
            i,
            title: t.title.clone(),
            owner: t.owner.clone(),
            due: t.due.clone(),
            statuses: task_statuses(&t.status),
        })
        .collect()
}

/// Reads the treatment form; blank task rows are dropped, and error paths keep the row index the form shows.
fn read_treatment(f: &FormData, risk_id: &str) -> (Treatment, Vec<usize>) {
    let mut tasks = vec![];
    let mut index = vec![];
    for i in f.rows("tasks") {
        let t = TreatmentTask {
            title: f.cell("tasks", i, "title").trim().to_string(),
            owner: f.cell("tasks", i, "owner").trim().to_string(),
            due: f.cell("tasks", i, "due").trim().to_string(),
            status: {
                let s = f.cell("tasks", i, "status");
                if s.is_empty() { "open".into() } else { s }
            },
        };
        if t.title.is_empty() && t.owner.is_empty() && t.due.is_empty() {
            continue;
        }
        tasks.push(t);
        index.push(i);
    }
    (
        Treatment {
            risk_id: risk_id.to_string(),
            option: f.text("option"),
            description: f.get("description").trim().to_string(),
            controls: f.all("controls"),
            tasks,
            status: f.text("status"),
            acceptance: None,
        },
        index,
    )
}

/// What the treatment form shows besides the plan: heading, form action and record version.
struct FormHead {
    heading: &'static str,
    action: String,
    version: Option<i64>,
}

async fn treatment_form(
    ctx: Ctx,
    risk: &Stored<Risk>,
    head: FormHead,
    t: &Treatment,
    errors: Errors,
) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let controls = control_titles(&state, &s).await?;
    let invalid = !errors.is_empty();
    let tasks = task_rows(&t.tasks);
    let page = TreatmentFormPage {
        chrome,
        risk_id: risk.id.to_string(),
        risk_title: risk.data.title.clone(),
        heading: head.heading.into(),
        action: head.action,
        version: head.version,
        options: Opt::vocab(
            &vocab(TreatmentOption::ALL, TreatmentOption::as_str),
            &t.option,
            None,
        ),
        statuses: Opt::vocab(
            &vocab(TreatmentStatus::ALL, TreatmentStatus::as_str),
            &t.status,
            None,
        ),
        description: t.description.clone(),
        controls: {
            // The chosen controls first, so that they are in sight in the scrolling list.
            let mut v = Opt::many(
                controls
                    .into_iter()
                    .map(|(k, title)| (k.clone(), format!("{k} {title}"))),
                t.controls.iter().map(String::as_str),
            );
            v.sort_by_key(|o| !o.selected);
            v
        },
        next_row: tasks.len(),
        tasks,
        task_statuses: task_statuses("open"),
        errors,
    };
    render_form(&page, invalid)
}

fn new_head(risk: &Stored<Risk>) -> FormHead {
    FormHead {
        heading: "New treatment plan",
        action: format!("/risks/{}/treatments", risk.id),
        version: None,
    }
}

fn edit_head(risk: &Stored<Risk>, tid: &str, version: Option<i64>) -> FormHead {
    FormHead {
        heading: "Edit treatment plan",
        action: format!("/risks/{}/treatments/{tid}", risk.id),
        version,
    }
}

/// GET /risks/{id}/treatments/new
pub async fn new_treatment(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    ids(&[&id], "risk")?;
    writable(&ctx.chrome, "plan risk treatments")?;
    let risk = ctx
        .state
        .app
        .get_record::<Risk>(&ctx.s.actor(), &ctx.s.org_id, &id)
        .await?;
    let t = Treatment {
        risk_id: risk.id.to_string(),
        option: "modify".into(),
        description: String::new(),
        controls: vec![],
        tasks: vec![],
        status: "planned".into(),
        acceptance: None,
    };
    treatment_form(ctx, &risk, new_head(&risk), &t, Errors::default()).await
}

/// POST /risks/{id}/treatments
pub async fn create_treatment(ctx: Ctx, Path(id): Path<RecordId>, f: FormData) -> PageResult {
    ids(&[&id], "risk")?;
    let (app, actor, org) = (&ctx.state.app, ctx.s.actor(), &ctx.s.org_id);
    let risk = app.get_record::<Risk>(&actor, org, &id).await?;
    let (t, index) = read_treatment(&f, &risk.id);
    match checked(app.create_record(&actor, org, t.clone()).await)? {
        Ok(_) => go(&format!("/risks/{}#treatments", risk.id)),
        Err(e) => {
            let errors = e.on_rows("tasks", &index);
            treatment_form(ctx, &risk, new_head(&risk), &t, errors).await
        }
    }
}

/// A risk and one of its treatment plans, or not found when the plan belongs to another risk.
pub(super) async fn risk_and_treatment(
    state: &AppState,
    s: &aims_app::auth::Session,
    rid: &RecordId,
    tid: &RecordId,
) -> Result<(Stored<Risk>, Stored<Treatment>), AppError> {
    let actor = s.actor();
    let risk = state.app.get_record::<Risk>(&actor, &s.org_id, rid).await?;
    let t = state
        .app
        .get_record::<Treatment>(&actor, &s.org_id, tid)
        .await?;
    if t.data.risk_id != risk.id {
        return Err(AppError::NotFound(
            "this risk has no such treatment plan".into(),
        ));
    }
    Ok((risk, t))
}

/// GET /risks/{rid}/treatments/{tid}/edit
pub async fn edit_treatment(ctx: Ctx, Path((rid, tid)): Path<(RecordId, RecordId)>) -> PageResult {
    ids(&[&rid, &tid], "treatment plan")?;
    writable(&ctx.chrome, "change treatment plans")?;
    let (risk, t) = risk_and_treatment(&ctx.state, &ctx.s, &rid, &tid).await?;
    let head = edit_head(&risk, &t.id, Some(t.version));
    treatment_form(ctx, &risk, head, &t.data, Errors::default()).await
}

/// POST /risks/{rid}/treatments/{tid}
pub async fn update_treatment(
    ctx: Ctx,
    Path((rid, tid)): Path<(RecordId, RecordId)>,
    f: FormData,
) -> PageResult {
    ids(&[&rid, &tid], "treatment plan")?;
    let (risk, current) = risk_and_treatment(&ctx.state, &ctx.s, &rid, &tid).await?;
    let (t, index) = read_treatment(&f, &risk.id);
    let (app, actor, org) = (&ctx.state.app, ctx.s.actor(), &ctx.s.org_id);
    let saved = app
        .update_record(&actor, org, &current.id, f.version(), t.clone())
        .await;
    match checked(saved)? {
        Ok(_) => go(&format!("/risks/{}#treatments", risk.id)),
        Err(e) => {
            let head = edit_head(&risk, &current.id, f.version());
            treatment_form(ctx, &risk, head, &t, e.on_rows("tasks", &index)).await
        }
    }
}
