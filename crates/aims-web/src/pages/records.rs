//! The pages of every kit record type, from its declaration: a list filtered, searched, ordered and paged in the
//! database, a detail page with the record's history, a history page, and one form for creating and editing
//! (an edit changes the fields the form shows and keeps the rest as stored). The role the declaration names for
//! writing is checked by the router layer and again by the use cases.

use crate::AppState;
use crate::auth::encode;
use crate::chrome::Chrome;
use crate::error::{PageError, render};
use crate::filters;
use crate::pages::ctx::{Ctx, PageResult, area, ids, post_needs};
use crate::pages::form::{Errors, FormData, Opt, checked, go, render_form};
use aims_app::RecordId;
use aims_app::Stored;
use aims_app::integrity::HistoryEntry;
use aims_app::kit::{
    Cell, Field, FieldKind, ListParams, Record, RecordDef, RecordVisitor, cells, each_record,
    json_text, summary,
};
use aims_domain::inventory::CustomFieldDef;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::routing::{MethodRouter, get};
use serde_json::{Map, Value};

/// The pages of every kit record type (see `aims_app::kit::each_record`).
pub fn kit_pages(state: &AppState) -> Router<AppState> {
    struct Add<'a>(&'a AppState, Router<AppState>);
    impl RecordVisitor for Add<'_> {
        fn visit<T: Record>(&mut self) {
            let r = std::mem::take(&mut self.1);
            self.1 = r.merge(routes::<T>(self.0, get(list::<T>)));
        }
    }
    let mut add = Add(state, Router::new());
    each_record(&mut add);
    add.1
}

/// The pages of `T` with `list` as its list page (the kit's, or the type's own), behind the signed-in layers
/// of its area.
pub fn routes<T: Record>(state: &AppState, list: MethodRouter<AppState>) -> Router<AppState> {
    let def = T::DEF;
    let base = format!("/{}", def.pages);
    let r = Router::new()
        .route(&base, list.merge(post_needs(def.write, create::<T>)))
        .route(&format!("{base}/new"), get(new_form::<T>))
        .route(
            &format!("{base}/{{id}}"),
            get(show::<T>).merge(post_needs(def.write, update::<T>)),
        )
        .route(&format!("{base}/{{id}}/edit"), get(edit_form::<T>))
        .route(&format!("{base}/{{id}}/history"), get(history::<T>))
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
    let base = format!("/{}", def.pages);
    let listed: Vec<&Field> = def.fields.iter().filter(|f| f.in_list).collect();
    let rows = page
        .items
        .iter()
        .map(|s| ListRow {
            href: format!("{base}/{}", s.id),
            cells: cells(def, &s.data)
                .into_iter()
                .filter(|(f, _)| f.in_list)
                .map(|(f, c)| match c {
                    Cell::Tags(tags) => ListCell {
                        text: String::new(),
                        tags,
                    },
                    other => ListCell {
                        text: shown(f, &other),
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

/// A cell as people read it: a vocabulary value by its label, anything else as it is.
fn shown(f: &Field, c: &Cell) -> String {
    match f.kind {
        FieldKind::Choice(_) => aims_domain::vocab::label(&c.plain()),
        _ => c.plain(),
    }
}

/// One field of a detail page.
pub struct DetailField {
    /// Label (a custom field's is the organization's).
    pub label: String,
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
    deletable: bool,
    /// Pages about this record: label and address.
    related: Vec<(&'static str, String)>,
}

/// The organization's custom field definitions, when `def` has a field for their values (none otherwise).
async fn custom_defs(ctx: &Ctx, def: &RecordDef) -> Result<Vec<CustomFieldDef>, PageError> {
    if !def
        .fields
        .iter()
        .any(|f| matches!(f.kind, FieldKind::Custom))
    {
        return Ok(vec![]);
    }
    let defs = ctx
        .state
        .app
        .list_records::<CustomFieldDef>(&ctx.s.actor(), &ctx.s.org_id)
        .await?;
    Ok(defs.into_iter().map(|d| d.data).collect())
}

/// The record's change history, newest first.
async fn history_of<T: Record>(ctx: &Ctx, id: &RecordId) -> Result<Vec<HistoryEntry>, PageError> {
    let mut entries = ctx
        .state
        .app
        .record_history::<T>(&ctx.s.actor(), &ctx.s.org_id, id)
        .await?;
    entries.reverse();
    // Changed fields by their labels, vocabulary values as words.
    for c in entries.iter_mut().flat_map(|e| e.changes.iter_mut()) {
        if let Some(f) = T::DEF.field(&c.field) {
            if matches!(f.kind, FieldKind::Choice(_)) {
                c.before = aims_domain::vocab::label(&c.before);
                c.after = aims_domain::vocab::label(&c.after);
            }
            c.field = f.label.to_string();
        }
    }
    Ok(entries)
}

/// One line per custom field the organization defines, with the record's value (`values` is the JSON object
/// of values by key).
fn custom_lines(defs: &[CustomFieldDef], values: Option<&Value>) -> Vec<DetailField> {
    defs.iter()
        .map(|d| DetailField {
            label: d.label.clone(),
            text: values
                .and_then(|v| v.get(&d.key))
                .map(json_text)
                .unwrap_or_default(),
            long: false,
            tags: None,
            table: None,
        })
        .collect()
}

/// GET /{pages}/{id}: the record, links to the pages about it, and its change history.
async fn show<T: Record>(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    let def = T::DEF;
    ids(&[&id], def.singular)?;
    let actor = ctx.s.actor();
    let s: Stored<T> = ctx.state.app.get_record(&actor, &ctx.s.org_id, &id).await?;
    let history = history_of::<T>(&ctx, &id).await?;
    let custom = custom_defs(&ctx, def).await?;
    let json = serde_json::to_value(&s.data).unwrap_or(Value::Null);
    let fields = cells(def, &s.data)
        .into_iter()
        // What a step sets shows once the step was taken.
        .filter(|(f, c)| !(f.fixed && c.is_empty()))
        .flat_map(|(f, c)| {
            if matches!(f.kind, FieldKind::Custom) {
                return custom_lines(&custom, json.get(f.name));
            }
            vec![DetailField {
                label: f.label.to_string(),
                long: matches!(f.kind, FieldKind::LongText),
                text: shown(f, &c),
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
            }]
        })
        .collect();
    let view = DetailPage {
        heading: summary(def, &s.id, &s.data),
        plural: def.plural_title(),
        base: format!("/{}", def.pages),
        singular: def.singular,
        may_write: may_write(&ctx, def),
        deletable: def.deletable,
        related: def
            .related
            .iter()
            .map(|(label, href)| (*label, href.replace("{id}", &s.id)))
            .collect(),
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

#[derive(Template)]
#[template(path = "record_history.html")]
struct HistoryPage {
    chrome: Chrome,
    heading: String,
    plural: String,
    base: String,
    href: String,
    entries: Vec<HistoryEntry>,
}

/// GET /{pages}/{id}/history: every change of the record, newest first.
async fn history<T: Record>(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    let def = T::DEF;
    ids(&[&id], def.singular)?;
    let s: Stored<T> = ctx
        .state
        .app
        .get_record(&ctx.s.actor(), &ctx.s.org_id, &id)
        .await?;
    let entries = history_of::<T>(&ctx, &id).await?;
    let base = format!("/{}", def.pages);
    Ok(render(&HistoryPage {
        heading: summary(def, &s.id, &s.data),
        plural: def.plural_title(),
        href: format!("{base}/{}", s.id),
        base,
        entries,
        chrome: ctx.chrome,
    }))
}

/// One input of the form; rows of a list of small records hold inputs of their own, and a group (the custom
/// fields) one row of inputs.
pub struct FormField {
    /// Submitted name (`title`, `requirements[0].text`).
    pub name: String,
    /// Element id.
    pub id: String,
    /// Label (a custom field's is the organization's).
    pub label: String,
    /// Guidance.
    pub help: String,
    /// Whether it must be filled in.
    pub required: bool,
    /// `text`, `area`, `bool`, `choice`, `tags`, `rows`, `group` or `hidden`.
    pub kind: &'static str,
    /// Current value (tags one per line).
    pub value: String,
    /// Whether a yes/no field is ticked.
    pub checked: bool,
    /// Options of a choice.
    pub options: Vec<Opt>,
    /// Column labels of a list of small records.
    pub columns: Vec<&'static str>,
    /// Rows of a list of small records (the last one blank, for adding); the inputs of a group.
    pub rows: Vec<Vec<FormField>>,
    /// Message for this field, empty when fine.
    pub error: String,
}

impl FormField {
    /// A one-line text input named `name`, with its message.
    fn new(name: String, label: String, help: String, errors: &Errors) -> FormField {
        FormField {
            id: name.replace(['[', ']', '.'], "-"),
            error: errors.of(&name),
            name,
            label,
            help,
            required: false,
            kind: "text",
            value: String::new(),
            checked: false,
            options: vec![],
            columns: vec![],
            rows: vec![],
        }
    }
}

/// The input of one custom field the organization defines; `values` is the record's object of values.
fn custom_input(
    d: &CustomFieldDef,
    name: &str,
    values: Option<&Value>,
    errors: &Errors,
) -> FormField {
    let mut out = FormField::new(
        format!("{name}.{}", d.key),
        d.label.clone(),
        d.description.clone(),
        errors,
    );
    out.required = d.required;
    out.value = values
        .and_then(|v| v.get(&d.key))
        .map(json_text)
        .unwrap_or_default();
    let blank = Some(if d.required { "choose…" } else { "not set" });
    match d.kind.as_str() {
        "choice" => {
            out.kind = "choice";
            let choices: Vec<&str> = d.choices.iter().map(String::as_str).collect();
            out.options = Opt::vocab(&choices, &out.value, blank);
        }
        // A select rather than a checkbox, so that "not set" can be told from "no".
        "boolean" => {
            out.kind = "choice";
            out.options = Opt::vocab(&["true", "false"], &out.value, blank);
            for (opt, label) in out.options.iter_mut().skip(1).zip(["yes", "no"]) {
                opt.label = label.to_string();
            }
        }
        _ => {}
    }
    out
}

/// The entered value of a custom field: a number or yes/no where the field is one and the text reads as one
/// (otherwise the text, which the validation then names), `null` when blank (no value).
fn custom_value(d: &CustomFieldDef, raw: String) -> Value {
    if raw.is_empty() {
        return Value::Null;
    }
    match d.kind.as_str() {
        "number" => raw
            .parse::<i64>()
            .map(Value::from)
            .ok()
            .or_else(|| {
                raw.parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
            })
            .unwrap_or(Value::String(raw)),
        "boolean" => match raw.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(raw),
        },
        _ => Value::String(raw),
    }
}

fn form_field(
    f: &'static Field,
    name: String,
    v: Option<&Value>,
    custom: &[CustomFieldDef],
    errors: &Errors,
) -> FormField {
    let text = |v: Option<&Value>| v.map(json_text).unwrap_or_default();
    let mut out = FormField::new(name, f.label.to_string(), f.help.to_string(), errors);
    out.required = f.required;
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
                            let name = format!("{}[{i}].{}", f.name, s.name);
                            form_field(s, name, row.get(s.name), &[], errors)
                        })
                        .collect()
                })
                .collect();
        }
        FieldKind::Custom => {
            out.kind = "group";
            let inputs: Vec<FormField> = custom
                .iter()
                .map(|d| custom_input(d, f.name, v, errors))
                .collect();
            if !inputs.is_empty() {
                out.rows = vec![inputs];
            }
        }
    }
    out
}

/// Reads one field from the submitted form into its JSON value.
fn read_field(f: &Field, name: &str, form: &FormData, custom: &[CustomFieldDef]) -> Value {
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
                        let cell = format!("{name}[{i}].{}", s.name);
                        (s.name.to_string(), read_field(s, &cell, form, &[]))
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
        // The custom fields the form carried; a blank one is `null`, which removes the value.
        FieldKind::Custom => Value::Object(
            custom
                .iter()
                .filter_map(|d| {
                    let input = format!("{name}.{}", d.key);
                    form.has(&input)
                        .then(|| (d.key.clone(), custom_value(d, form.text(&input))))
                })
                .collect(),
        ),
    }
}

/// The fields of the record as the form describes them: on an edit, the change to make (what the form does not
/// show stays as stored).
fn read_form(def: &RecordDef, form: &FormData, custom: &[CustomFieldDef]) -> Map<String, Value> {
    def.fields
        .iter()
        .filter(|f| !f.fixed)
        .map(|f| (f.name.to_string(), read_field(f, f.name, form, custom)))
        .collect()
}

/// The fields a new record's form starts from (see `Record::blank`).
fn blank<T: Record>() -> Map<String, Value> {
    match T::blank() {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// A new record from the form: the blank record of its type with the form's fields, custom fields left blank
/// left out.
fn new_record<T: Record>(fields: &Map<String, Value>) -> Result<T, Errors> {
    let mut data = blank::<T>();
    for (k, v) in fields {
        let v = match (T::DEF.field(k).map(|f| f.kind), v) {
            (Some(FieldKind::Custom), Value::Object(values)) => Value::Object(
                (values.iter())
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
            _ => v.clone(),
        };
        data.insert(k.clone(), v);
    }
    serde_json::from_value(Value::Object(data)).map_err(|e| Errors::one("input", &e.to_string()))
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
    /// Whether any field, or any cell of a row or group, carries a message.
    fn any_error(&self) -> bool {
        self.fields
            .iter()
            .any(|f| !f.error.is_empty() || f.rows.iter().flatten().any(|c| !c.error.is_empty()))
    }
}

/// What a form page shows besides its fields: heading, where it posts, where Cancel goes, the version edited.
struct FormHead {
    heading: String,
    action: String,
    version: Option<i64>,
}

impl FormHead {
    /// The form for a new record of `def`.
    fn new_record(def: &RecordDef) -> FormHead {
        FormHead {
            heading: format!("New {}", def.singular),
            action: format!("/{}", def.pages),
            version: None,
        }
    }

    /// The form for record `id` at `version`, headed with its name (a generic heading while it is blank).
    fn edit(def: &RecordDef, id: &str, name: &str, version: Option<i64>) -> FormHead {
        FormHead {
            heading: if name.trim().is_empty() {
                format!("Edit {}", def.singular)
            } else {
                format!("Edit {}: {name}", def.singular)
            },
            action: format!("/{}/{id}", def.pages),
            version,
        }
    }
}

fn form_page(
    chrome: Chrome,
    def: &RecordDef,
    head: FormHead,
    data: &Map<String, Value>,
    custom: &[CustomFieldDef],
    errors: &Errors,
) -> FormPage {
    let fields = def
        .fields
        .iter()
        .filter(|f| !f.fixed)
        .map(|f| form_field(f, f.name.to_string(), data.get(f.name), custom, errors))
        .collect();
    let shown: Vec<&str> = def.fields.iter().map(|f| f.name).collect();
    FormPage {
        chrome,
        heading: head.heading,
        plural: def.plural_title(),
        base: format!("/{}", def.pages),
        cancel: head.action.clone(),
        action: head.action,
        version: head.version,
        fields,
        errors: errors.others(&shown),
    }
}

/// GET /{pages}/new.
async fn new_form<T: Record>(ctx: Ctx) -> PageResult {
    let def = T::DEF;
    if !may_write(&ctx, def) {
        return Err(PageError::forbidden(&format!("record {}", def.plural)));
    }
    let custom = custom_defs(&ctx, def).await?;
    let blank = blank::<T>();
    let head = FormHead::new_record(def);
    let page = form_page(ctx.chrome, def, head, &blank, &custom, &Errors::default());
    Ok(render(&page))
}

/// GET /{pages}/{id}/edit.
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
    let custom = custom_defs(&ctx, def).await?;
    let data = match serde_json::to_value(&s.data) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let name = summary(def, &s.id, &s.data);
    let head = FormHead::edit(def, &s.id, &name, Some(s.version));
    let page = form_page(ctx.chrome, def, head, &data, &custom, &Errors::default());
    Ok(render(&page))
}

/// Saves the submitted form and shows the record, or shows the form again (422) with every message. `edit` is
/// the record changed and the version the form showed; `None` creates one.
async fn save<T: Record>(
    ctx: Ctx,
    edit: Option<(RecordId, Option<i64>)>,
    form: &FormData,
) -> PageResult {
    let def = T::DEF;
    let custom = custom_defs(&ctx, def).await?;
    let fields = read_form(def, form, &custom);
    let (actor, org, app) = (ctx.s.actor(), &ctx.s.org_id, &ctx.state.app);
    let saved = match &edit {
        None => match new_record::<T>(&fields) {
            Ok(record) => checked(app.create_record(&actor, org, record).await)?,
            Err(e) => Err(e),
        },
        Some((id, version)) => checked(
            app.patch_record::<T>(&actor, org, id, *version, &fields)
                .await,
        )?,
    };
    let errors = match saved {
        Ok(s) => return go(&format!("/{}/{}", def.pages, s.id)),
        Err(errors) => errors,
    };
    let head = match edit {
        None => FormHead::new_record(def),
        Some((id, version)) => {
            let name = fields.get(def.title).map(json_text).unwrap_or_default();
            FormHead::edit(def, &id, &name, version)
        }
    };
    let page = form_page(ctx.chrome, def, head, &fields, &custom, &errors);
    render_form(&page, true)
}

/// POST /{pages}: creates the record.
async fn create<T: Record>(ctx: Ctx, f: FormData) -> PageResult {
    save::<T>(ctx, None, &f).await
}

/// POST /{pages}/{id}: saves the edited fields, refusing a stale version.
async fn update<T: Record>(ctx: Ctx, Path(id): Path<RecordId>, f: FormData) -> PageResult {
    ids(&[&id], T::DEF.singular)?;
    let version = f.version();
    save::<T>(ctx, Some((id, version)), &f).await
}

/// POST /{pages}/{id}/delete: deletes the record (at the version shown) and returns to the list.
async fn delete<T: Record>(ctx: Ctx, Path(id): Path<RecordId>, f: FormData) -> PageResult {
    let def = T::DEF;
    ids(&[&id], def.singular)?;
    let version = f.version();
    ctx.state
        .app
        .delete_record::<T>(&ctx.s.actor(), &ctx.s.org_id, &id, version)
        .await?;
    go(&format!("/{}", def.pages))
}
