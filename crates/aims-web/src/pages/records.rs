//! The pages of every kit record type, from its declaration: a list filtered, searched, ordered and paged in the
//! database, a detail page with the record's history, and one form for creating and editing. The role the
//! declaration names for writing is checked by the router layer and again by the use cases.

use crate::AppState;
use crate::auth::encode;
use crate::chrome::Chrome;
use crate::error::{PageError, render};
use crate::pages::ctx::{Ctx, PageResult, area, ids, post_needs};
use crate::pages::form::{Errors, FormData, Opt, checked, go, render_form};
use aims_app::RecordId;
use aims_app::Stored;
use aims_app::integrity::HistoryEntry;
use aims_app::kit::{
    Cell, Field, FieldKind, ListParams, Record, RecordDef, RecordVisitor, cells, each_record,
    json_text, summary,
};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::routing::get;
use serde_json::{Map, Value};

/// The pages of every kit record type (see `aims_app::kit::each_record`).
pub fn kit_pages(state: &AppState) -> Router<AppState> {
    struct Add<'a>(&'a AppState, Router<AppState>);
    impl RecordVisitor for Add<'_> {
        fn visit<T: Record>(&mut self) {
            let r = std::mem::take(&mut self.1);
            self.1 = r.merge(routes::<T>(self.0));
        }
    }
    let mut add = Add(state, Router::new());
    each_record(&mut add);
    add.1
}

/// The pages of `T`, behind the signed-in layers of its area.
pub fn routes<T: Record>(state: &AppState) -> Router<AppState> {
    let def = T::DEF;
    let base = format!("/{}", def.path);
    let r = Router::new()
        .route(
            &base,
            get(list::<T>).merge(post_needs(def.write, create::<T>)),
        )
        .route(&format!("{base}/new"), get(new_form::<T>))
        .route(
            &format!("{base}/{{id}}"),
            get(show::<T>).merge(post_needs(def.write, update::<T>)),
        )
        .route(&format!("{base}/{{id}}/edit"), get(edit_form::<T>))
        .route(
            &format!("{base}/{{id}}/delete"),
            post_needs(def.write, delete::<T>),
        );
    area(state, def.area, r)
}

/// One cell of a list row.
pub struct ListCell {
    /// Shown text.
    pub text: String,
    /// Tags, when the field is a list of short texts.
    pub tags: Vec<String>,
}

/// One row of a list.
pub struct ListRow {
    /// Address of the record.
    pub href: String,
    /// Cells of the listed fields.
    pub cells: Vec<ListCell>,
}

/// A filter control above a list: a choice (with "any") or free text.
pub struct FilterView {
    /// Query parameter.
    pub name: &'static str,
    /// Label.
    pub label: &'static str,
    /// Options of a choice (empty for free text).
    pub options: Vec<Opt>,
    /// Current free-text value.
    pub value: String,
}

#[derive(Template)]
#[template(path = "record_list.html")]
struct ListPage {
    chrome: Chrome,
    heading: String,
    about: &'static str,
    base: String,
    singular: &'static str,
    may_write: bool,
    columns: Vec<&'static str>,
    rows: Vec<ListRow>,
    filters: Vec<FilterView>,
    searchable: bool,
    q: String,
    sorts: Vec<Opt>,
    filtered: bool,
    next_href: Option<String>,
}

fn may_write(ctx: &Ctx, def: &RecordDef) -> bool {
    ctx.s.actor().require(def.write).is_ok()
}

/// GET /{path}: a page of records with the filters, search and order of the query string.
async fn list<T: Record>(ctx: Ctx, Query(query): Query<Vec<(String, String)>>) -> PageResult {
    let def = T::DEF;
    let get = |k: &str| {
        query
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let params = ListParams {
        filters: def
            .filters
            .iter()
            .map(|f| (f.to_string(), get(f)))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
        q: Some(get("q")).filter(|q| !q.is_empty()),
        sort: Some(get("sort")).filter(|s| !s.is_empty()),
        cursor: Some(get("cursor")).filter(|c| !c.is_empty()),
        limit: None,
    };
    let page = ctx
        .state
        .app
        .list_page::<T>(&ctx.s.actor(), &ctx.s.org_id, &params)
        .await?;
    let base = format!("/{}", def.path);
    let listed: Vec<&Field> = def.fields.iter().filter(|f| f.in_list).collect();
    let rows = page
        .items
        .iter()
        .map(|s| ListRow {
            href: format!("{base}/{}", s.id),
            cells: cells(def, &s.data)
                .into_iter()
                .filter(|(f, _)| f.in_list)
                .map(|(_, c)| match c {
                    Cell::Tags(tags) => ListCell {
                        text: String::new(),
                        tags,
                    },
                    other => ListCell {
                        text: other.plain(),
                        tags: vec![],
                    },
                })
                .collect(),
        })
        .collect();
    let filters = def
        .filters
        .iter()
        .map(|name| {
            let field = def.field(name);
            let label = field.map_or(*name, |f| f.label);
            let current = get(name);
            let options = match field.map(|f| f.kind) {
                Some(FieldKind::Choice(allowed)) => Opt::vocab(allowed, &current, Some("any")),
                Some(FieldKind::Bool) => {
                    let mut o = Opt::vocab(&["true", "false"], &current, Some("any"));
                    for (opt, label) in o.iter_mut().skip(1).zip(["yes", "no"]) {
                        opt.label = label.to_string();
                    }
                    o
                }
                _ => vec![],
            };
            FilterView {
                name,
                label,
                options,
                value: current,
            }
        })
        .collect();
    let sort = get("sort");
    let mut sorts = vec![Opt {
        value: String::new(),
        label: "creation order".into(),
        selected: sort.is_empty(),
    }];
    for s in def.sorts {
        let label = def.field(s).map_or(*s, |f| f.label).to_lowercase();
        for (value, label) in [
            (s.to_string(), label.clone()),
            (format!("-{s}"), format!("{label}, descending")),
        ] {
            sorts.push(Opt {
                selected: value == sort,
                value,
                label,
            });
        }
    }
    let next_href = page.next_cursor.map(|c| {
        let mut q: Vec<(String, String)> = query
            .iter()
            .filter(|(k, v)| k != "cursor" && !v.trim().is_empty())
            .cloned()
            .collect();
        q.push(("cursor".into(), c));
        let encoded: Vec<String> = q
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        format!("{base}?{}", encoded.join("&"))
    });
    let view = ListPage {
        heading: def.plural_title(),
        about: def.about,
        singular: def.singular,
        may_write: may_write(&ctx, def),
        columns: listed.iter().map(|f| f.label).collect(),
        rows,
        filters,
        searchable: !def.search.is_empty(),
        q: get("q"),
        sorts,
        filtered: !params.filters.is_empty() || params.q.is_some(),
        next_href,
        base,
        chrome: ctx.chrome,
    };
    Ok(render(&view))
}

/// One field of a detail page.
pub struct DetailField {
    /// Label.
    pub label: &'static str,
    /// Plain text (for text, choice and yes/no fields).
    pub text: String,
    /// Whether the text is paragraphs.
    pub long: bool,
    /// Tags of a list of short texts.
    pub tags: Option<Vec<String>>,
    /// Column labels and rows of a list of small records.
    pub table: Option<(Vec<&'static str>, Vec<Vec<String>>)>,
}

#[derive(Template)]
#[template(path = "record_detail.html")]
struct DetailPage {
    chrome: Chrome,
    heading: String,
    plural: String,
    base: String,
    singular: &'static str,
    record: Stored<Value>,
    fields: Vec<DetailField>,
    history: Vec<HistoryEntry>,
    may_write: bool,
}

/// GET /{path}/{id}: the record and its change history.
async fn show<T: Record>(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    let def = T::DEF;
    ids(&[&id], def.singular)?;
    let actor = ctx.s.actor();
    let s: Stored<T> = ctx.state.app.get_record(&actor, &ctx.s.org_id, &id).await?;
    let history = ctx
        .state
        .app
        .record_history::<T>(&actor, &ctx.s.org_id, &id)
        .await?;
    let fields = cells(def, &s.data)
        .into_iter()
        .map(|(f, c)| DetailField {
            label: f.label,
            long: matches!(f.kind, FieldKind::LongText),
            text: c.plain(),
            tags: match &c {
                Cell::Tags(t) => Some(t.clone()),
                _ => None,
            },
            table: match c {
                Cell::Rows(labels, rows) => Some((
                    labels,
                    rows.iter()
                        .map(|r| r.iter().map(Cell::plain).collect())
                        .collect(),
                )),
                _ => None,
            },
        })
        .collect();
    let view = DetailPage {
        heading: summary(def, &s.id, &s.data),
        plural: def.plural_title(),
        base: format!("/{}", def.path),
        singular: def.singular,
        may_write: may_write(&ctx, def),
        record: Stored {
            id: s.id.clone(),
            version: s.version,
            created_at: s.created_at.clone(),
            updated_at: s.updated_at.clone(),
            data: Value::Null,
        },
        fields,
        history,
        chrome: ctx.chrome,
    };
    Ok(render(&view))
}

/// One input of the form; rows of a list of small records hold inputs of their own.
pub struct FormField {
    /// Submitted name (`title`, `requirements[0].text`).
    pub name: String,
    /// Element id.
    pub id: String,
    /// Label.
    pub label: &'static str,
    /// Guidance.
    pub help: &'static str,
    /// Whether it must be filled in.
    pub required: bool,
    /// `text`, `area`, `bool`, `choice`, `tags`, `rows` or `hidden`.
    pub kind: &'static str,
    /// Current value (tags one per line).
    pub value: String,
    /// Whether a yes/no field is ticked.
    pub checked: bool,
    /// Options of a choice.
    pub options: Vec<Opt>,
    /// Column labels of a list of small records.
    pub columns: Vec<&'static str>,
    /// Rows of a list of small records (the last one blank, for adding).
    pub rows: Vec<Vec<FormField>>,
    /// Message for this field, empty when fine.
    pub error: String,
}

fn form_field(f: &'static Field, name: String, v: Option<&Value>, errors: &Errors) -> FormField {
    let text = |v: Option<&Value>| v.map(json_text).unwrap_or_default();
    let mut out = FormField {
        id: name.replace(['[', ']', '.'], "-"),
        error: errors.of(&name),
        name,
        label: f.label,
        help: f.help,
        required: f.required,
        kind: "text",
        value: String::new(),
        checked: false,
        options: vec![],
        columns: vec![],
        rows: vec![],
    };
    match f.kind {
        FieldKind::Text | FieldKind::Link(_) => out.value = text(v),
        FieldKind::LongText => {
            out.kind = "area";
            out.value = text(v);
        }
        FieldKind::Id => {
            out.kind = "hidden";
            out.value = text(v);
        }
        FieldKind::Bool => {
            out.kind = "bool";
            out.checked = v.and_then(Value::as_bool).unwrap_or(false);
        }
        FieldKind::Choice(allowed) => {
            out.kind = "choice";
            let current = text(v);
            out.options = Opt::vocab(allowed, &current, Some("choose…"));
        }
        FieldKind::Tags => {
            out.kind = "tags";
            out.value = v
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|x| text(Some(x)))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default();
        }
        FieldKind::Rows(sub) => {
            out.kind = "rows";
            out.columns = sub
                .iter()
                .filter(|s| !matches!(s.kind, FieldKind::Id))
                .map(|s| s.label)
                .collect();
            let existing = v.and_then(Value::as_array).cloned().unwrap_or_default();
            let blank = Value::Object(Map::new());
            out.rows = existing
                .iter()
                .chain(std::iter::once(&blank))
                .enumerate()
                .map(|(i, row)| {
                    sub.iter()
                        .map(|s| {
                            form_field(
                                s,
                                format!("{}[{i}].{}", f.name, s.name),
                                row.get(s.name),
                                errors,
                            )
                        })
                        .collect()
                })
                .collect();
        }
    }
    out
}

/// Reads one field from the submitted form into its JSON value; `None` leaves it out (a blank row).
fn read_field(f: &Field, name: &str, form: &FormData) -> Value {
    match f.kind {
        FieldKind::Text
        | FieldKind::LongText
        | FieldKind::Choice(_)
        | FieldKind::Link(_)
        | FieldKind::Id => Value::String(form.text(name)),
        FieldKind::Bool => Value::Bool(!form.get(name).is_empty()),
        FieldKind::Tags => Value::Array(
            crate::pages::form::lines(&form.get(name))
                .into_iter()
                .map(Value::String)
                .collect(),
        ),
        FieldKind::Rows(sub) => {
            let mut rows = Vec::new();
            for i in form.rows(name) {
                let row: Map<String, Value> = sub
                    .iter()
                    .map(|s| {
                        (
                            s.name.to_string(),
                            read_field(s, &format!("{name}[{i}].{}", s.name), form),
                        )
                    })
                    .collect();
                // A row whose entered fields are all empty is the blank one offered for adding: leave it out.
                let entered = sub.iter().any(|s| match (s.kind, row.get(s.name)) {
                    (FieldKind::Id | FieldKind::Bool, _) => false,
                    (_, Some(Value::String(t))) => !t.is_empty(),
                    (_, Some(Value::Array(a))) => !a.is_empty(),
                    _ => false,
                });
                if entered {
                    rows.push(Value::Object(row));
                }
            }
            Value::Array(rows)
        }
    }
}

/// The record as the form describes it.
fn read_form(def: &RecordDef, form: &FormData) -> Value {
    Value::Object(
        def.fields
            .iter()
            .map(|f| (f.name.to_string(), read_field(f, f.name, form)))
            .collect(),
    )
}

#[derive(Template)]
#[template(path = "record_form.html")]
struct FormPage {
    chrome: Chrome,
    heading: String,
    plural: String,
    base: String,
    action: String,
    cancel: String,
    version: Option<i64>,
    fields: Vec<FormField>,
    errors: Vec<String>,
}

impl FormPage {
    /// Whether any field, or any cell of a row, carries a message.
    fn any_error(&self) -> bool {
        self.fields
            .iter()
            .any(|f| !f.error.is_empty() || f.rows.iter().flatten().any(|c| !c.error.is_empty()))
    }
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    chrome: Chrome,
    def: &RecordDef,
    heading: String,
    action: String,
    cancel: String,
    version: Option<i64>,
    data: &Value,
    errors: &Errors,
) -> FormPage {
    let fields = def
        .fields
        .iter()
        .map(|f| form_field(f, f.name.to_string(), data.get(f.name), errors))
        .collect();
    let shown: Vec<&str> = def.fields.iter().map(|f| f.name).collect();
    FormPage {
        chrome,
        heading,
        plural: def.plural_title(),
        base: format!("/{}", def.path),
        action,
        cancel,
        version,
        fields,
        errors: errors.others(&shown),
    }
}

/// GET /{path}/new.
async fn new_form<T: Record>(ctx: Ctx) -> PageResult {
    let def = T::DEF;
    if !may_write(&ctx, def) {
        return Err(PageError::forbidden(&format!("record {}", def.plural)));
    }
    let base = format!("/{}", def.path);
    Ok(render(&form_page(
        ctx.chrome,
        def,
        format!("New {}", def.singular),
        base.clone(),
        base,
        None,
        &Value::Object(Map::new()),
        &Errors::default(),
    )))
}

/// GET /{path}/{id}/edit.
async fn edit_form<T: Record>(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    let def = T::DEF;
    ids(&[&id], def.singular)?;
    if !may_write(&ctx, def) {
        return Err(PageError::forbidden(&format!("change {}", def.plural)));
    }
    let s: Stored<T> = ctx
        .state
        .app
        .get_record(&ctx.s.actor(), &ctx.s.org_id, &id)
        .await?;
    let data = serde_json::to_value(&s.data).unwrap_or(Value::Null);
    let href = format!("/{}/{}", def.path, s.id);
    Ok(render(&form_page(
        ctx.chrome,
        def,
        format!("Edit {}: {}", def.singular, summary(def, &s.id, &s.data)),
        href.clone(),
        href,
        Some(s.version),
        &data,
        &Errors::default(),
    )))
}

/// The form read into a record, or the form again with every message.
fn parse<T: Record>(data: &Value) -> Result<T, Errors> {
    serde_json::from_value(data.clone()).map_err(|e| Errors::one("input", &e.to_string()))
}

/// Which write a submitted form makes: a new record, or a new version of record `id`.
enum Write {
    Create,
    Update { id: RecordId, version: Option<i64> },
}

/// Saves the submitted form and shows the record, or shows the form again (422) with every message.
async fn save<T: Record>(ctx: Ctx, write: Write, form: &FormData) -> PageResult {
    let def = T::DEF;
    let data = read_form(def, form);
    let (actor, org, app) = (ctx.s.actor(), &ctx.s.org_id, &ctx.state.app);
    let saved = match (parse::<T>(&data), &write) {
        (Err(e), _) => Err(e),
        (Ok(record), Write::Create) => checked(app.create_record(&actor, org, record).await)?,
        (Ok(record), Write::Update { id, version }) => {
            checked(app.update_record(&actor, org, id, *version, record).await)?
        }
    };
    let errors = match saved {
        Ok(s) => return go(&format!("/{}/{}", def.path, s.id)),
        Err(errors) => errors,
    };
    let (heading, action, version) = match write {
        Write::Create => (
            format!("New {}", def.singular),
            format!("/{}", def.path),
            None,
        ),
        Write::Update { id, version } => (
            format!("Edit {}", def.singular),
            format!("/{}/{id}", def.path),
            version,
        ),
    };
    let page = form_page(
        ctx.chrome,
        def,
        heading,
        action.clone(),
        action,
        version,
        &data,
        &errors,
    );
    render_form(&page, true)
}

/// POST /{path}: creates the record.
async fn create<T: Record>(ctx: Ctx, f: FormData) -> PageResult {
    save::<T>(ctx, Write::Create, &f).await
}

/// POST /{path}/{id}: saves the edited record, refusing a stale version.
async fn update<T: Record>(ctx: Ctx, Path(id): Path<RecordId>, f: FormData) -> PageResult {
    ids(&[&id], T::DEF.singular)?;
    let version = f.version();
    save::<T>(ctx, Write::Update { id, version }, &f).await
}

/// POST /{path}/{id}/delete: deletes the record (at the version shown) and returns to the list.
async fn delete<T: Record>(ctx: Ctx, Path(id): Path<RecordId>, f: FormData) -> PageResult {
    let def = T::DEF;
    ids(&[&id], def.singular)?;
    let version = f.version();
    ctx.state
        .app
        .delete_record::<T>(&ctx.s.actor(), &ctx.s.org_id, &id, version)
        .await?;
    go(&format!("/{}", def.path))
}
