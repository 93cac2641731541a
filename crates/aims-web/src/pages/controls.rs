//! Every control implementation the organization has recorded — Annex A controls and its own — searchable and
//! sortable, each a link to its control page; and the form that adds one of the organization's own controls
//! (6.1.3 c: controls beyond Annex A), which then appears in the Statement of Applicability.

use crate::AppState;
use crate::auth::encode;
use crate::chrome::Chrome;
use crate::filters;
use crate::pages::ctx::{Ctx, PageResult};
use crate::pages::form::{Errors, FormData, Opt, go, render_form};
use crate::pages::soa::{kinds, read_control, statuses};
use crate::pages::systems::SortLink;
use aims_app::AppError;
use aims_domain::context::Supplier;
use askama::Template;
use axum::extract::Query;
use serde::Deserialize;
use std::cmp::Ordering;
use std::collections::HashMap;

/// One line of the list.
pub struct ControlRow {
    /// Control identifier.
    pub control: String,
    /// Link to the control page.
    pub href: String,
    /// Title.
    pub title: String,
    /// Whether it is the organization's own control.
    pub own: bool,
    /// Implementation status.
    pub status: String,
    /// Owner.
    pub owner: String,
    /// Supplier it is inherited from: (name, certificate, link).
    pub inherited: Option<(String, String, String)>,
}

/// The values of the add-an-own-control form.
#[derive(Default)]
pub struct AddFields {
    /// Identifier.
    pub control: String,
    /// Title.
    pub title: String,
    /// Owner.
    pub owner: String,
    /// How it is met.
    pub description: String,
    /// Justification (when not applicable).
    pub justification: String,
    /// Status options.
    pub statuses: Vec<Opt>,
    /// Kind options of the reason.
    pub kinds: Vec<Opt>,
    /// Reason reference.
    pub reference: String,
    /// Reason note.
    pub reason_note: String,
}

impl AddFields {
    fn new(f: Option<&FormData>) -> AddFields {
        let get = |k: &str| f.map(|f| f.get(k)).unwrap_or_default();
        let status = f.map_or_else(|| "planned".to_string(), |f| f.text("status"));
        let kind = f.map_or_else(|| "business".to_string(), |f| f.text("reasons[0].kind"));
        AddFields {
            control: get("control"),
            title: get("title"),
            owner: get("owner"),
            description: get("description"),
            justification: get("justification"),
            statuses: statuses(&status, None),
            kinds: kinds(&kind),
            reference: get("reasons[0].reference"),
            reason_note: get("reasons[0].note"),
        }
    }
}

#[derive(Template)]
#[template(path = "controls_list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<ControlRow>,
    total: usize,
    own_count: usize,
    q: String,
    statuses: Vec<Opt>,
    columns: Vec<SortLink>,
    add: AddFields,
    add_open: bool,
    errors: Errors,
}

impl ListPage {
    fn other_errors(&self) -> Vec<String> {
        self.errors.others(&[
            "control",
            "title",
            "status",
            "owner",
            "description",
            "justification",
            "reasons",
        ])
    }
}

/// Query of the list.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    status: String,
    sort: String,
    desc: Option<String>,
    /// `1` opens the add form.
    add: String,
}

/// Orders control identifiers as people count: `A.2.10` after `A.2.9`, `ORG-10` after `ORG-2`.
fn natural(a: &str, b: &str) -> Ordering {
    fn parts(s: &str) -> Vec<(bool, String)> {
        let mut v: Vec<(bool, String)> = vec![];
        for c in s.chars() {
            let digit = c.is_ascii_digit();
            match v.last_mut() {
                Some((d, part)) if *d == digit => part.push(c),
                _ => v.push((digit, c.to_string())),
            }
        }
        v
    }
    let (pa, pb) = (parts(&a.to_lowercase()), parts(&b.to_lowercase()));
    for (x, y) in pa.iter().zip(&pb) {
        let o = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            ((_, x), (_, y)) => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.len().cmp(&pb.len())
}

async fn list_page(
    state: &AppState,
    s: &aims_app::auth::Session,
    chrome: Chrome,
    q: ListQuery,
    add: AddFields,
    errors: Errors,
) -> PageResult {
    let actor = s.actor();
    let controls = state.app.controls(&actor, &s.org_id).await?;
    let suppliers = state
        .app
        .list_records::<Supplier>(&actor, &s.org_id)
        .await?;
    let annex_a: Vec<String> = state.app.catalogue(&actor)?.refs("control");
    let names: HashMap<String, String> = suppliers
        .into_iter()
        .map(|x| (x.id.into(), x.data.name))
        .collect();
    let all: Vec<ControlRow> = controls
        .into_iter()
        .map(|c| {
            let c = c.data;
            ControlRow {
                href: format!("/controls/{}", encode(&c.control)),
                own: !annex_a.contains(&c.control),
                inherited: c.inherited.as_ref().map(|i| {
                    (
                        names
                            .get(&i.supplier_id)
                            .cloned()
                            .unwrap_or_else(|| "supplier".into()),
                        i.certificate_id.clone(),
                        format!("/context#supplier-{}", i.supplier_id),
                    )
                }),
                control: c.control,
                title: c.title,
                status: c.status,
                owner: c.owner,
            }
        })
        .collect();
    let total = all.len();
    let own_count = all.iter().filter(|r| r.own).count();
    let needle = q.q.trim().to_lowercase();
    let mut rows: Vec<ControlRow> = all
        .into_iter()
        .filter(|r| q.status.is_empty() || r.status == q.status)
        .filter(|r| {
            needle.is_empty()
                || r.control.to_lowercase().contains(&needle)
                || r.title.to_lowercase().contains(&needle)
                || r.owner.to_lowercase().contains(&needle)
        })
        .collect();
    let sort = if q.sort.is_empty() {
        "control".to_string()
    } else {
        q.sort.clone()
    };
    let desc = q.desc.as_deref() == Some("1");
    rows.sort_by(|a, b| {
        let o = match sort.as_str() {
            "title" => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
            "status" => a.status.cmp(&b.status),
            "owner" => a.owner.to_lowercase().cmp(&b.owner.to_lowercase()),
            "inherited" => a.inherited.is_some().cmp(&b.inherited.is_some()),
            _ => a.own.cmp(&b.own),
        }
        .then_with(|| natural(&a.control, &b.control));
        if desc { o.reverse() } else { o }
    });
    let base = format!("/controls?q={}&status={}", encode(&q.q), encode(&q.status));
    let columns = SortLink::columns(
        &[
            ("Control", "control"),
            ("Title", "title"),
            ("Status", "status"),
            ("Owner", "owner"),
            ("Inherited from", "inherited"),
        ],
        &sort,
        desc,
        |key, next_desc| format!("{base}&sort={key}&desc={}#list", u8::from(next_desc)),
    );
    let invalid = !errors.is_empty();
    let page = ListPage {
        chrome,
        rows,
        total,
        own_count,
        statuses: statuses(&q.status, Some("Any status")),
        q: q.q,
        columns,
        add,
        add_open: invalid || q.add == "1",
        errors,
    };
    render_form(&page, invalid)
}

/// GET /controls
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    list_page(
        &state,
        &s,
        chrome,
        q,
        AddFields::new(None),
        Errors::default(),
    )
    .await
}

/// POST /controls — adds one of the organization's own controls.
pub async fn add_own(ctx: Ctx, f: FormData) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let id = f.text("control");
    // Only the reason row of this form; the control page takes more.
    let form = FormData(
        f.0.iter()
            .filter(|(k, _)| !k.starts_with("reasons[") || k.starts_with("reasons[0]."))
            .cloned()
            .collect(),
    );
    let (mut c, _) = read_control(&form, &id);
    c.inherited = None;
    c.evidence = vec![];
    c.target_date = String::new();
    let refused = async {
        if id.is_empty() {
            return Ok(None);
        }
        let item = state.app.catalogue(&s.actor())?.item("iso42001", &id);
        if item.is_some_and(|i| i.kind == "control") {
            return Ok(Some(format!(
                "{id} is an Annex A control; record how it is implemented on its own page"
            )));
        }
        match state.app.control(&actor, &s.org_id, &id).await {
            Ok(_) => Ok(Some(format!(
                "the organization already has a control {id}; change it on its page or choose another identifier"
            ))),
            Err(AppError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
    .await;
    let errors = match refused? {
        Some(message) => Errors::one("control", &message),
        None => match state.app.set_control(&actor, &s.org_id, c, Some(0)).await {
            Ok(saved) => return go(&format!("/controls/{}", encode(&saved.data.control))),
            Err(AppError::Invalid(v)) => Errors::from_validation(v),
            Err(AppError::Conflict(_)) => Errors::one(
                "control",
                &format!("the organization already has a control {id}"),
            ),
            Err(e) => return Err(e.into()),
        },
    };
    let add = AddFields::new(Some(&f));
    list_page(&state, &s, chrome, ListQuery::default(), add, errors).await
}

#[cfg(test)]
mod tests {
    use super::natural;
    use std::cmp::Ordering;

    #[test]
    fn identifiers_sort_as_people_count() {
        let mut v = vec!["A.10.1", "ORG-10", "A.2.10", "A.2.2", "ORG-2", "A.2.9"];
        v.sort_by(|a, b| natural(a, b));
        assert_eq!(v, ["A.2.2", "A.2.9", "A.2.10", "A.10.1", "ORG-2", "ORG-10"]);
        assert_eq!(natural("A.02", "A.2"), Ordering::Equal);
    }
}
