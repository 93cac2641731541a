//! The page of one control, where its implementation and the reasons it applies are recorded.

use super::lines::*;
use crate::AppState;
use crate::auth::encode;
use crate::chrome::Chrome;
use crate::filters;
use crate::pages::ctx::{Ctx, PageResult};
use crate::pages::form::{Errors, FormData, Opt, checked, go, lines, render_form, vocab};
use aims_app::catalogue::MappingRow;
use aims_app::{AppError, Stored};
use aims_domain::context::Supplier;
use aims_domain::controls::{ControlImplementation, InclusionReason, Inheritance};
use aims_domain::vocab::{ImplementationStatus, InclusionKind};
use askama::Template;
use axum::extract::Path;

// ---------------------------------------------------------------------------------------------------------------
// One control
// ---------------------------------------------------------------------------------------------------------------

/// One reason row of the control form.
pub struct ReasonRow {
    /// Row index.
    pub i: usize,
    /// Kind options.
    pub kinds: Vec<Opt>,
    /// Reference.
    pub reference: String,
    /// Note.
    pub note: String,
}

#[derive(Template)]
#[template(path = "control.html")]
struct ControlPage {
    chrome: Chrome,
    control: String,
    title: String,
    own: bool,
    exists: bool,
    catalog_href: String,
    catalog_description: String,
    version: i64,
    statuses: Vec<Opt>,
    owner: String,
    description: String,
    justification: String,
    target_date: String,
    evidence: String,
    reasons: Vec<ReasonRow>,
    reason_kinds: Vec<Opt>,
    next_row: usize,
    inherit: Vec<Opt>,
    inherit_note: String,
    also_covers: Vec<(MappingRow, String)>,
    line: Option<SoaLine>,
    updated: String,
    errors: Errors,
}

impl ControlPage {
    fn other_errors(&self) -> Vec<String> {
        self.errors.others(&[
            "title",
            "status",
            "owner",
            "description",
            "justification",
            "target_date",
            "evidence",
            "reasons",
            "inherited",
        ])
    }

    fn reason_error(&self, i: &usize) -> String {
        self.errors.of(&format!("reasons[{i}]"))
    }
}

const BLANK_REASON_ROWS: usize = 1;

/// The options of a reason kind select (`legal`, `risk` …).
pub(crate) fn kinds(current: &str) -> Vec<Opt> {
    Opt::vocab(
        &vocab(InclusionKind::ALL, InclusionKind::as_str),
        current,
        None,
    )
}

/// The options of an implementation status select, with an optional empty first option (`Any status`).
pub(crate) fn statuses(current: &str, empty: Option<&str>) -> Vec<Opt> {
    let all = vocab(ImplementationStatus::ALL, ImplementationStatus::as_str);
    Opt::vocab(&all, current, empty)
}

pub(super) fn reason_rows(reasons: &[InclusionReason]) -> Vec<ReasonRow> {
    let mut rows: Vec<ReasonRow> = reasons
        .iter()
        .enumerate()
        .map(|(i, r)| ReasonRow {
            i,
            kinds: kinds(&r.kind),
            reference: r.reference.clone(),
            note: r.note.clone(),
        })
        .collect();
    let n = rows.len();
    rows.extend((n..n + BLANK_REASON_ROWS).map(|i| ReasonRow {
        i,
        kinds: kinds("legal"),
        reference: String::new(),
        note: String::new(),
    }));
    rows
}

pub(super) fn inherit_options(
    suppliers: &[Stored<Supplier>],
    current: Option<&Inheritance>,
) -> Vec<Opt> {
    let chosen = current
        .map(|i| format!("{}|{}", i.supplier_id, i.certificate_id))
        .unwrap_or_default();
    let mut v = vec![Opt {
        value: String::new(),
        label: "Not inherited: the organization implements it".into(),
        selected: chosen.is_empty(),
    }];
    for s in suppliers {
        for c in &s.data.certifications {
            if c.certificate_id.trim().is_empty() {
                continue;
            }
            let value = format!("{}|{}", s.id, c.certificate_id);
            v.push(Opt {
                selected: value == chosen,
                label: format!(
                    "{} — {} certificate {}{}",
                    s.data.name,
                    c.standard,
                    c.certificate_id,
                    if c.valid_until.is_empty() {
                        String::new()
                    } else {
                        format!(", valid until {}", c.valid_until)
                    }
                ),
                value,
            });
        }
    }
    if !chosen.is_empty() && !v.iter().any(|o| o.selected) {
        v.push(Opt {
            label: format!("{chosen} (no longer in the supplier register)"),
            value: chosen,
            selected: true,
        });
    }
    v
}

/// Everything the control page shows besides the form values.
struct ControlContext {
    title: String,
    own: bool,
    catalog_description: String,
    also_covers: Vec<(MappingRow, String)>,
    line: Option<SoaLine>,
    suppliers: Vec<Stored<Supplier>>,
    current: Option<Stored<ControlImplementation>>,
}

async fn control_context(
    state: &AppState,
    s: &aims_app::auth::Session,
    control: &str,
) -> Result<ControlContext, AppError> {
    let actor = s.actor();
    let item = state.app.catalogue(&actor)?.item("iso42001", control);
    let current = match state.app.control(&actor, &s.org_id, control).await {
        Ok(v) => Some(v),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    let is_annex_a = item.as_ref().is_some_and(|i| i.kind == "control");
    if !is_annex_a && current.is_none() {
        return Err(AppError::NotFound(format!(
            "{control} is neither an Annex A control nor one of the organization's controls"
        )));
    }
    let also_covers = crate::pages::catalog::with_links(match &current {
        Some(v) => v.also_covers.clone(),
        None => state.app.catalogue(&actor)?.mappings("iso42001", control),
    });
    let suppliers = supplier_names(state, s).await?;
    let names = names_of(&suppliers);
    let view = state.app.soa(&actor, &s.org_id).await?;
    let line = view
        .entries
        .iter()
        .find(|e| e.control == control)
        .map(|e| line(e, &names));
    let current = current.map(|v| v.implementation);
    Ok(ControlContext {
        title: match (&item, &current) {
            (Some(i), _) if is_annex_a => i.title.clone(),
            (_, Some(c)) => c.data.title.clone(),
            _ => String::new(),
        },
        own: !is_annex_a,
        catalog_description: item
            .filter(|_| is_annex_a)
            .map(|i| i.description)
            .unwrap_or_default(),
        also_covers,
        line,
        suppliers,
        current,
    })
}

fn control_page(
    chrome: Chrome,
    control: &str,
    ctx: ControlContext,
    c: &ControlImplementation,
    version: i64,
    errors: Errors,
) -> PageResult {
    let reasons = reason_rows(&c.reasons);
    let invalid = !errors.is_empty();
    let page = ControlPage {
        chrome,
        control: control.to_string(),
        title: if ctx.own {
            c.title.clone()
        } else {
            ctx.title.clone()
        },
        own: ctx.own,
        exists: ctx.current.is_some(),
        catalog_href: if ctx.own {
            String::new()
        } else {
            format!("/catalog/iso42001/item?ref={}", encode(control))
        },
        catalog_description: ctx.catalog_description,
        version,
        statuses: statuses(&c.status, None),
        owner: c.owner.clone(),
        description: c.description.clone(),
        justification: c.justification.clone(),
        target_date: c.target_date.clone(),
        evidence: c.evidence.join("\n"),
        next_row: reasons.len(),
        reasons,
        reason_kinds: kinds("legal"),
        inherit: inherit_options(&ctx.suppliers, c.inherited.as_ref()),
        inherit_note: c
            .inherited
            .as_ref()
            .map(|i| i.note.clone())
            .unwrap_or_default(),
        also_covers: ctx.also_covers,
        line: ctx.line,
        updated: ctx
            .current
            .as_ref()
            .map(|c| format!("version {} · updated {}", c.version, c.updated_at))
            .unwrap_or_default(),
        errors,
    };
    render_form(&page, invalid)
}

/// GET /controls/{control}
pub async fn control(page: Ctx, Path(control): Path<String>) -> PageResult {
    let Ctx { state, s, chrome } = page;
    let ctx = control_context(&state, &s, &control).await?;
    let (c, version) = match &ctx.current {
        Some(c) => (c.data.clone(), c.version),
        None => (ControlImplementation::new(&control), 0),
    };
    control_page(chrome, &control, ctx, &c, version, Errors::default())
}

/// Reads the control form; blank reason rows are dropped and error paths keep the form's row index.
pub(crate) fn read_control(f: &FormData, control: &str) -> (ControlImplementation, Vec<usize>) {
    let mut reasons = vec![];
    let mut index = vec![];
    for i in f.rows("reasons") {
        let r = InclusionReason {
            kind: f.cell("reasons", i, "kind").trim().to_string(),
            reference: f.cell("reasons", i, "reference").trim().to_string(),
            note: f.cell("reasons", i, "note").trim().to_string(),
        };
        if r.reference.is_empty() && r.note.is_empty() {
            continue;
        }
        reasons.push(r);
        index.push(i);
    }
    let inherited = f
        .text("inherited")
        .split_once('|')
        .map(|(sid, cert)| Inheritance {
            supplier_id: sid.to_string(),
            certificate_id: cert.to_string(),
            note: f.get("inherited.note").trim().to_string(),
        });
    (
        ControlImplementation {
            control: control.to_string(),
            title: f.text("title"),
            status: f.text("status"),
            owner: f.text("owner"),
            description: f.get("description").trim().to_string(),
            justification: f.get("justification").trim().to_string(),
            reasons,
            inherited,
            evidence: lines(&f.get("evidence")),
            target_date: f.text("target_date"),
        },
        index,
    )
}

/// POST /controls/{control}
pub async fn set_control(page: Ctx, Path(control): Path<String>, f: FormData) -> PageResult {
    let Ctx { state, s, chrome } = page;
    let ctx = control_context(&state, &s, &control).await?;
    let (mut c, index) = read_control(&f, &control);
    if !ctx.own {
        c.title = String::new();
    }
    let version = f.version();
    let saved = state
        .app
        .set_control(&s.actor(), &s.org_id, c.clone(), version)
        .await;
    match checked(saved)? {
        Ok(_) => go(&format!("/controls/{}", encode(&control))),
        Err(e) => {
            let errors = e.on_rows("reasons", &index);
            control_page(chrome, &control, ctx, &c, version.unwrap_or(0), errors)
        }
    }
}
