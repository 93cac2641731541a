//! The lines of the Statement of Applicability as people read them, and the changes between two states.

use crate::AppState;
use crate::auth::encode;
use crate::pages::form::{is_id, words};
use aims_app::{AppError, Stored};
use aims_domain::context::Supplier;
use aims_domain::soa::{FieldChange, SoaChange, SoaEntry};
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
    /// Whether anything decides it (included or excluded).
    pub decided: bool,
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

pub(super) fn reason_view(kind: &str, reference: &str, label: &str) -> ReasonView {
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

pub(super) fn line(e: &SoaEntry, suppliers: &HashMap<String, String>) -> SoaLine {
    SoaLine {
        href: format!("/controls/{}", encode(&e.control)),
        control: e.control.clone(),
        title: e.title.clone(),
        applicable: e.applicable,
        decided: e.decided,
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

pub(super) async fn supplier_names(
    state: &AppState,
    s: &aims_app::auth::Session,
) -> Result<Vec<Stored<Supplier>>, AppError> {
    state
        .app
        .list_records::<Supplier>(&s.actor(), &s.org_id)
        .await
}

pub(super) fn names_of(suppliers: &[Stored<Supplier>]) -> HashMap<String, String> {
    suppliers
        .iter()
        .map(|x| (x.id.to_string(), x.data.name.clone()))
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
pub(super) fn reason_words(item: &str) -> String {
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

pub(super) fn field_view(f: FieldChange) -> FieldView {
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

pub(super) fn change_views(changes: Vec<SoaChange>) -> Vec<ChangeView> {
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
