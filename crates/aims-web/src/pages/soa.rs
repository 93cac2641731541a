//! The Statement of Applicability in the browser (6.1.3 d–f): every control with whether it applies and why — the
//! risks it treats, impact assessments, legal duties and recorded reasons, each a link to its record — or why it is
//! excluded; what stops approval; the drift since the approved version; approval of a new version; the approved
//! versions and the comparison of two of them. And the page of one control, where its implementation is recorded.

use crate::AppState;
use crate::auth::{Signed, check_form, encode};
use crate::chrome::Chrome;
use crate::error::{app_error, page, render};
use crate::pages::form::{Errors, FormData, Opt, deny, is_id, lines, words};
use aims_app::catalogue::MappingRow;
use aims_app::{AppError, Permission, Stored};
use aims_domain::context::Supplier;
use aims_domain::controls::{ControlImplementation, InclusionReason, Inheritance};
use aims_domain::soa::{
    ApplicabilityHint, FieldChange, RiskSnapshot, SoaApproval, SoaChange, SoaEntry, SoaSummary,
    SoaVersion,
};
use aims_domain::vocab::{ImplementationStatus, InclusionKind};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;

// ---------------------------------------------------------------------------------------------------------------
// Lines as people read them
// ---------------------------------------------------------------------------------------------------------------

/// One reason on a line, with a link to the record behind it when there is one.
pub struct ReasonView {
    /// Kind in words (`risk`, `impact assessment`, `legal duty` …).
    pub kind: String,
    /// What people read.
    pub label: String,
    /// Link, empty when the reason points at nothing aims holds.
    pub href: String,
}

/// One line of the Statement of Applicability.
pub struct SoaLine {
    /// Control identifier.
    pub control: String,
    /// Title.
    pub title: String,
    /// Link to the control page.
    pub href: String,
    /// Whether the control is included.
    pub applicable: bool,
    /// Why it is included.
    pub reasons: Vec<ReasonView>,
    /// Why it is excluded.
    pub justification: String,
    /// Implementation status.
    pub status: String,
    /// Owner.
    pub owner: String,
    /// Supplier it is inherited from: (name, certificate, link).
    pub inherited: Option<(String, String, String)>,
    /// What stops approval.
    pub problems: Vec<String>,
    /// `annex_a` or `organization`.
    pub source: String,
}

fn reason_view(kind: &str, reference: &str, label: &str) -> ReasonView {
    let (kind_words, href) = match kind {
        "risk" if is_id(reference) => ("risk", format!("/risks/{reference}")),
        "impact" if is_id(reference) => (
            "impact assessment",
            format!("/impact-assessments/{reference}"),
        ),
        "legal" => match reference.rsplit_once(" / ") {
            Some((_, system)) if is_id(system) => {
                ("legal duty", format!("/systems/{system}/classification"))
            }
            _ => ("legal", String::new()),
        },
        "interested_party" if is_id(reference) => {
            ("interested party", "/context#parties".to_string())
        }
        "interested_party" => ("interested party", String::new()),
        other => (other, String::new()),
    };
    let label = if label.is_empty() { reference } else { label };
    ReasonView {
        kind: kind_words.to_string(),
        label: label.to_string(),
        href,
    }
}

fn line(e: &SoaEntry, suppliers: &HashMap<String, String>) -> SoaLine {
    SoaLine {
        href: format!("/controls/{}", encode(&e.control)),
        control: e.control.clone(),
        title: e.title.clone(),
        applicable: e.applicable,
        reasons: e
            .reasons
            .iter()
            .map(|r| reason_view(&r.kind, &r.reference, &r.label))
            .collect(),
        justification: e.justification.clone(),
        status: e.status.clone(),
        owner: e.owner.clone(),
        inherited: e.inherited.as_ref().map(|i| {
            (
                suppliers
                    .get(&i.supplier_id)
                    .cloned()
                    .unwrap_or_else(|| "supplier".into()),
                i.certificate_id.clone(),
                format!("/context#supplier-{}", i.supplier_id),
            )
        }),
        problems: e.problems.clone(),
        source: e.source.clone(),
    }
}

async fn supplier_names(
    state: &AppState,
    s: &aims_app::auth::Session,
) -> Result<Vec<Stored<Supplier>>, AppError> {
    state
        .app
        .list_records::<Supplier>(&s.actor(), &s.org_id)
        .await
}

fn names_of(suppliers: &[Stored<Supplier>]) -> HashMap<String, String> {
    suppliers
        .iter()
        .map(|x| (x.id.clone(), x.data.name.clone()))
        .collect()
}

/// A change between two states, with a link to its record.
pub struct ChangeView {
    /// `control` or `risk`.
    pub subject: String,
    /// Control id or risk id.
    pub reference: String,
    /// Link.
    pub href: String,
    /// Title.
    pub title: String,
    /// `added`, `removed`, `changed`.
    pub change: String,
    /// Changed fields.
    pub fields: Vec<FieldView>,
}

/// One changed field; list fields (reasons, evidence, controls) show only what left and what came.
pub struct FieldView {
    /// Field name in words.
    pub field: String,
    /// Value before (plain fields).
    pub before: String,
    /// Value after (plain fields).
    pub after: String,
    /// Whether the field is a list.
    pub list: bool,
    /// Items no longer there.
    pub removed: Vec<String>,
    /// Items added.
    pub added: Vec<String>,
}

/// `risk:ID (Title)` → `risk: Title`, so that people read labels rather than ids.
fn reason_words(item: &str) -> String {
    match item.split_once(':') {
        Some((kind, rest)) if !kind.contains(' ') => match rest.split_once(" (") {
            Some((_, label)) => format!(
                "{}: {}",
                words(kind),
                label.strip_suffix(')').unwrap_or(label)
            ),
            None => format!("{}: {rest}", words(kind)),
        },
        _ => item.to_string(),
    }
}

fn field_view(f: FieldChange) -> FieldView {
    let (sep, list) = match f.field.as_str() {
        "reasons" | "evidence" => ("; ", true),
        "controls" => (", ", true),
        _ => ("", false),
    };
    if !list {
        return FieldView {
            field: words(&f.field),
            before: f.before,
            after: f.after,
            list,
            removed: vec![],
            added: vec![],
        };
    }
    let split = |s: &str| -> Vec<String> {
        s.split(sep)
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    };
    let (b, a) = (split(&f.before), split(&f.after));
    let shown = |x: &String| {
        if f.field == "reasons" {
            reason_words(x)
        } else {
            x.clone()
        }
    };
    FieldView {
        field: words(&f.field),
        removed: b.iter().filter(|x| !a.contains(x)).map(shown).collect(),
        added: a.iter().filter(|x| !b.contains(x)).map(shown).collect(),
        before: f.before,
        after: f.after,
        list,
    }
}

fn change_views(changes: Vec<SoaChange>) -> Vec<ChangeView> {
    changes
        .into_iter()
        .map(|c| ChangeView {
            href: if c.subject == "risk" {
                format!("/risks/{}", c.reference)
            } else {
                format!("/controls/{}", encode(&c.reference))
            },
            subject: c.subject,
            reference: c.reference,
            title: c.title,
            change: c.change,
            fields: c.fields.into_iter().map(field_view).collect(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// The SoA page
// ---------------------------------------------------------------------------------------------------------------

/// Query of the SoA page.
#[derive(Debug, Deserialize, Default)]
pub struct SoaQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    applicable: String,
    #[serde(default)]
    problems: String,
    #[serde(default)]
    q: String,
}

/// The approval form's values.
#[derive(Default)]
pub struct ApproveFields {
    /// Named person.
    pub approved_by: String,
    /// Their role.
    pub approver_role: String,
    /// Note.
    pub note: String,
}

#[derive(Template)]
#[template(path = "soa.html")]
struct SoaPage {
    chrome: Chrome,
    lines: Vec<SoaLine>,
    total: usize,
    summary: SoaSummary,
    by_status: Vec<(String, usize)>,
    approved_version: Option<i64>,
    drift: Vec<ChangeView>,
    hints: Vec<ApplicabilityHint>,
    statuses: Vec<Opt>,
    applicable: String,
    problems_only: bool,
    q: String,
    approve: ApproveFields,
    errors: Errors,
    blocking: Vec<(String, String)>,
}

fn filter_lines(lines: Vec<SoaLine>, q: &SoaQuery) -> Vec<SoaLine> {
    let needle = q.q.trim().to_lowercase();
    lines
        .into_iter()
        .filter(|l| q.status.is_empty() || l.status == q.status)
        .filter(|l| match q.applicable.as_str() {
            "yes" => l.applicable,
            "no" => !l.applicable,
            _ => true,
        })
        .filter(|l| q.problems.is_empty() || !l.problems.is_empty())
        .filter(|l| {
            needle.is_empty()
                || l.control.to_lowercase().contains(&needle)
                || l.title.to_lowercase().contains(&needle)
                || l.owner.to_lowercase().contains(&needle)
        })
        .collect()
}

async fn soa_page(
    state: &AppState,
    s: &aims_app::auth::Session,
    chrome: Chrome,
    q: SoaQuery,
    approve: ApproveFields,
    errors: Errors,
) -> Response {
    let result = async {
        let view = state.app.soa(&s.actor(), &s.org_id).await?;
        let suppliers = supplier_names(state, s).await?;
        Ok::<_, AppError>((view, suppliers))
    }
    .await;
    let (view, suppliers) = match result {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    let names = names_of(&suppliers);
    let all: Vec<SoaLine> = view.entries.iter().map(|e| line(e, &names)).collect();
    let total = all.len();
    let lines = filter_lines(all, &q);
    let blocking: Vec<(String, String)> = errors
        .0
        .iter()
        .filter_map(|(f, m)| {
            f.strip_prefix("entries[")
                .and_then(|r| r.strip_suffix(']'))
                .map(|c| (c.to_string(), m.clone()))
        })
        .collect();
    let invalid = !errors.is_empty();
    let mut res = render(&SoaPage {
        chrome,
        lines,
        total,
        by_status: view
            .summary
            .by_status
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
        summary: view.summary,
        approved_version: view.approved_version,
        drift: change_views(view.drift),
        hints: view.hints,
        statuses: Opt::vocab(
            &ImplementationStatus::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>(),
            &q.status,
            Some("Any status"),
        ),
        applicable: q.applicable,
        problems_only: !q.problems.is_empty(),
        q: q.q,
        approve,
        errors,
        blocking,
    });
    if invalid {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// GET /soa
pub async fn show(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<SoaQuery>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "soa").await;
    let approve = ApproveFields {
        approved_by: s.user.display_name.clone(),
        ..ApproveFields::default()
    };
    soa_page(&state, &s, chrome, q, approve, Errors::default()).await
}

/// POST /soa/approve
pub async fn approve(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(f);
    if let Some(r) = check_form(&headers, &s, &f.csrf()) {
        return r;
    }
    if let Some(r) = deny(&s, Permission::Approve) {
        return r;
    }
    let chrome = Chrome::new(&state.app, &s, "soa").await;
    let approval = SoaApproval {
        approved_by: f.text("approved_by"),
        approver_role: f.text("approver_role"),
        note: f.get("note").trim().to_string(),
    };
    match state
        .app
        .approve_soa(&s.actor(), &s.org_id, approval.clone())
        .await
    {
        Ok(v) => Redirect::to(&format!("/soa/versions/{}", v.data.number)).into_response(),
        Err(AppError::Invalid(v)) => {
            let approve = ApproveFields {
                approved_by: approval.approved_by,
                approver_role: approval.approver_role,
                note: approval.note,
            };
            soa_page(
                &state,
                &s,
                chrome,
                SoaQuery::default(),
                approve,
                Errors::from_validation(v),
            )
            .await
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Versions and comparison
// ---------------------------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "soa_versions.html")]
struct VersionsPage {
    chrome: Chrome,
    versions: Vec<Stored<SoaVersion>>,
}

/// GET /soa/versions
pub async fn versions(State(state): State<AppState>, Signed(s): Signed) -> Response {
    let chrome = Chrome::new(&state.app, &s, "soa").await;
    match state.app.soa_versions(&s.actor(), &s.org_id).await {
        Ok(versions) => render(&VersionsPage { chrome, versions }),
        Err(e) => app_error(Some(chrome), e),
    }
}

#[derive(Template)]
#[template(path = "soa_version.html")]
struct VersionPage {
    chrome: Chrome,
    v: Stored<SoaVersion>,
    lines: Vec<SoaLine>,
    risks: Vec<RiskSnapshot>,
}

/// GET /soa/versions/{number}
pub async fn version(
    State(state): State<AppState>,
    Signed(s): Signed,
    Path(number): Path<String>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "soa").await;
    let Ok(n) = number.parse::<i64>() else {
        return page(
            StatusCode::NOT_FOUND,
            Some(chrome),
            "Not found",
            "There is no such version of the Statement of Applicability.",
        );
    };
    let result = async {
        let v = state.app.soa_version(&s.actor(), &s.org_id, n).await?;
        let suppliers = supplier_names(&state, &s).await?;
        Ok::<_, AppError>((v, suppliers))
    }
    .await;
    match result {
        Ok((v, suppliers)) => {
            let names = names_of(&suppliers);
            let lines = v.data.entries.iter().map(|e| line(e, &names)).collect();
            let risks = v.data.risks.clone();
            render(&VersionPage {
                chrome,
                v,
                lines,
                risks,
            })
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

/// Query of the comparison page.
#[derive(Debug, Deserialize, Default)]
pub struct DiffQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template)]
#[template(path = "soa_diff.html")]
struct DiffPage {
    chrome: Chrome,
    from: Option<i64>,
    to: Option<i64>,
    from_opts: Vec<Opt>,
    to_opts: Vec<Opt>,
    changes: Vec<ChangeView>,
}

/// GET /soa/diff?from=N&to=M (no `to`: the current state)
pub async fn diff(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<DiffQuery>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "soa").await;
    let actor = s.actor();
    let versions = match state.app.soa_versions(&actor, &s.org_id).await {
        Ok(v) => v,
        Err(e) => return app_error(Some(chrome), e),
    };
    // `None` for the current state; `Err(())` for text that is no version number.
    let parse = |v: &str| -> Result<Option<i64>, ()> {
        if v.trim().is_empty() || v == "current" {
            Ok(None)
        } else {
            v.trim().parse::<i64>().map(Some).map_err(|_| ())
        }
    };
    let (from, to) = match (parse(&q.from), parse(&q.to)) {
        (Ok(from), Ok(to)) => (from.or_else(|| versions.first().map(|v| v.data.number)), to),
        _ => {
            return page(
                StatusCode::NOT_FOUND,
                Some(chrome),
                "Not found",
                "Versions of the Statement of Applicability are compared by their numbers.",
            );
        }
    };
    let changes = match from {
        Some(f) => match state.app.soa_diff(&actor, &s.org_id, f, to).await {
            Ok(c) => change_views(c),
            Err(e) => return app_error(Some(chrome), e),
        },
        None => vec![],
    };
    let numbers: Vec<(String, String)> = versions
        .iter()
        .map(|v| {
            (
                v.data.number.to_string(),
                format!(
                    "Version {} · {} · {}",
                    v.data.number, v.data.approved_at, v.data.approved_by
                ),
            )
        })
        .collect();
    let from_s = from.map(|n| n.to_string()).unwrap_or_default();
    let to_s = to.map_or_else(|| "current".to_string(), |n| n.to_string());
    let mut to_opts = vec![Opt {
        value: "current".into(),
        label: "The current state".into(),
        selected: to.is_none(),
    }];
    to_opts.extend(Opt::many(numbers.clone(), [to_s.as_str()]));
    render(&DiffPage {
        chrome,
        from,
        to,
        from_opts: Opt::many(numbers, [from_s.as_str()]),
        to_opts,
        changes,
    })
}

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

fn kinds(current: &str) -> Vec<Opt> {
    Opt::vocab(
        &InclusionKind::ALL
            .iter()
            .map(|x| x.as_str())
            .collect::<Vec<_>>(),
        current,
        None,
    )
}

fn reason_rows(reasons: &[InclusionReason]) -> Vec<ReasonRow> {
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

fn inherit_options(suppliers: &[Stored<Supplier>], current: Option<&Inheritance>) -> Vec<Opt> {
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
    let also_covers = match &current {
        Some(v) => v.also_covers.clone(),
        None => state.app.catalogue(&actor)?.mappings("iso42001", control),
    }
    .into_iter()
    .map(|m| {
        let href = format!(
            "/catalog/{}/item?ref={}",
            encode(&m.framework),
            encode(&m.reference)
        );
        (m, href)
    })
    .collect();
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
) -> Response {
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
        statuses: Opt::vocab(
            &ImplementationStatus::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>(),
            &c.status,
            None,
        ),
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
    let mut res = render(&page);
    if invalid {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// GET /controls/{control}
pub async fn control(
    State(state): State<AppState>,
    Signed(s): Signed,
    Path(control): Path<String>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "soa").await;
    let ctx = match control_context(&state, &s, &control).await {
        Ok(c) => c,
        Err(e) => return app_error(Some(chrome), e),
    };
    let (c, version) = match &ctx.current {
        Some(c) => (c.data.clone(), c.version),
        None => (
            ControlImplementation {
                control: control.clone(),
                title: String::new(),
                status: "not_started".into(),
                owner: String::new(),
                description: String::new(),
                justification: String::new(),
                reasons: vec![],
                inherited: None,
                evidence: vec![],
                target_date: String::new(),
            },
            0,
        ),
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
pub async fn set_control(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(s): Signed,
    Path(control): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(f);
    if let Some(r) = check_form(&headers, &s, &f.csrf()) {
        return r;
    }
    if let Some(r) = deny(&s, Permission::Write) {
        return r;
    }
    let chrome = Chrome::new(&state.app, &s, "soa").await;
    let ctx = match control_context(&state, &s, &control).await {
        Ok(c) => c,
        Err(e) => return app_error(Some(chrome), e),
    };
    let (mut c, index) = read_control(&f, &control);
    if !ctx.own {
        c.title = String::new();
    }
    let version = f.version();
    match state
        .app
        .set_control(&s.actor(), &s.org_id, c.clone(), version)
        .await
    {
        Ok(_) => Redirect::to(&format!("/controls/{}", encode(&control))).into_response(),
        Err(AppError::Invalid(v)) => {
            let mut errors = Errors::from_validation(v);
            for (field, _) in errors.0.iter_mut() {
                if let Some(rest) = field.strip_prefix("reasons[")
                    && let Some((k, tail)) = rest.split_once(']')
                    && let Some(row) = k.parse::<usize>().ok().and_then(|k| index.get(k))
                {
                    *field = format!("reasons[{row}]{tail}");
                }
            }
            control_page(chrome, &control, ctx, &c, version.unwrap_or(0), errors)
        }
        Err(e) => app_error(Some(chrome), e),
    }
}
