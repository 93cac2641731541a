//! Helpers shared by the risk, Statement of Applicability, impact-assessment and classification pages: forms with
//! repeated fields and rows (read as name/value pairs, since a browser sends a checkbox group or a table of rows
//! as repeated names), field messages keyed by the same paths the use cases name in their errors, level badges
//! and small lookups.

use crate::error::{PageError, PageResult, render};
use aims_app::{Actor, App, AppError};
use aims_domain::inventory::AiSystem;
use aims_domain::risk::{Acceptance, RiskMethod};
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use std::collections::{BTreeSet, HashMap};

/// A submitted form as the browser sent it: every name/value pair in order, repeated names kept.
#[derive(Debug, Default, Clone)]
pub struct FormData(pub Vec<(String, String)>);

/// A handler takes the submitted form as `f: FormData`: the urlencoded body read as name/value pairs; a body that
/// is not a form gets axum's refusal.
impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = FormRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, state).await?;
        Ok(FormData(pairs))
    }
}

impl FormData {
    /// The first value of `name`, or empty.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Whether the form carries `name` at all: an input left blank is carried, one the form did not show is
    /// not.
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// The first value of `name`, trimmed.
    pub fn text(&self, name: &str) -> String {
        self.get(name).trim().to_string()
    }

    /// Every non-empty value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    /// The row indexes sent for `prefix` (fields named `prefix[i].field`), in ascending order.
    pub fn rows(&self, prefix: &str) -> Vec<usize> {
        let start = format!("{prefix}[");
        let set: BTreeSet<usize> = self
            .0
            .iter()
            .filter_map(|(k, _)| {
                let rest = k.strip_prefix(&start)?;
                let (n, _) = rest.split_once(']')?;
                n.parse().ok()
            })
            .collect();
        set.into_iter().collect()
    }

    /// The value of field `field` of row `i` of `prefix`.
    pub fn cell(&self, prefix: &str, i: usize, field: &str) -> String {
        self.get(&format!("{prefix}[{i}].{field}"))
    }

    /// The sign-off fields under `prefix` (`acceptance.by`, `approval.role` …): who accepted or approved, their
    /// role, the date and the rationale, as the residual-risk acceptance and the impact approval forms send them.
    pub fn acceptance(&self, prefix: &str) -> Acceptance {
        Acceptance {
            by: self.text(&format!("{prefix}.by")),
            role: self.text(&format!("{prefix}.role")),
            date: self.text(&format!("{prefix}.date")),
            rationale: self.text(&format!("{prefix}.rationale")),
            recorded_by: String::new(),
        }
    }

    /// The record version sent with the form, if any.
    pub fn version(&self) -> Option<i64> {
        self.get("version").trim().parse().ok()
    }
}

/// The fields of a sign-off form (residual-risk acceptance, impact approval) as the form shows them: who signs
/// off, their role, the date and the rationale.
pub struct SignOff {
    /// The named person.
    pub by: String,
    /// Their role.
    pub role: String,
    /// Date of the decision.
    pub date: String,
    /// Why, and on which conditions.
    pub rationale: String,
}

impl SignOff {
    /// What the form shows at first: the signed-in person and today.
    pub fn blank(by: &str) -> SignOff {
        SignOff {
            by: by.to_string(),
            role: String::new(),
            date: aims_app::today(),
            rationale: String::new(),
        }
    }

    /// A refused sign-off, shown again.
    pub fn of(a: Acceptance) -> SignOff {
        SignOff {
            by: a.by,
            role: a.role,
            date: a.date,
            rationale: a.rationale,
        }
    }
}

/// Splits text into trimmed, non-empty lines.
pub fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// Splits text at commas and line breaks into trimmed, non-empty parts.
pub fn split_list(s: &str) -> Vec<String> {
    s.split([',', '\n', ';'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// Messages for the fields of a form, keyed by the paths the use cases name (`title`, `tasks[0].due`).
#[derive(Debug, Default, Clone)]
pub struct Errors(pub Vec<(String, String)>);

impl Errors {
    /// From a validation error.
    pub fn from_validation(v: aims_domain::ValidationError) -> Errors {
        Errors(v.errors.into_iter().map(|e| (e.field, e.message)).collect())
    }

    /// One message for one field.
    pub fn one(field: &str, message: &str) -> Errors {
        Errors(vec![(field.to_string(), message.to_string())])
    }

    /// Whether there is no message.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The messages for `field` and everything below it (`field.x`, `field[0]`), joined; empty when fine.
    pub fn of(&self, field: &str) -> String {
        self.0
            .iter()
            .filter(|(f, _)| under(f, field))
            .map(|(_, m)| m.clone())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Messages for no field of `shown`, written with their field name.
    pub fn others(&self, shown: &[&str]) -> Vec<String> {
        self.0
            .iter()
            .filter(|(f, _)| !shown.iter().any(|s| under(f, s)))
            .map(|(f, m)| format!("{f}: {m}"))
            .collect()
    }

    /// Gives the messages of rows `prefix[k]` the index the form showed: the use case counts the rows it got, but
    /// blank rows were dropped before, so `index[k]` is the form's row of submitted row `k`.
    pub fn on_rows(mut self, prefix: &str, index: &[usize]) -> Errors {
        let start = format!("{prefix}[");
        for (f, _) in self.0.iter_mut() {
            if let Some(rest) = f.strip_prefix(&start)
                && let Some((k, tail)) = rest.split_once(']')
                && let Some(row) = k.parse::<usize>().ok().and_then(|k| index.get(k))
            {
                *f = format!("{start}{row}]{tail}");
            }
        }
        self
    }

    /// Renames the paths under `from` to start with `to` (`assessments[0].date` → `assessment.date`).
    pub fn rename(mut self, from: &str, to: &str) -> Errors {
        for (f, _) in self.0.iter_mut() {
            if let Some(rest) = f.strip_prefix(from) {
                *f = format!("{to}{rest}");
            }
        }
        self
    }
}

fn under(f: &str, field: &str) -> bool {
    f == field
        || f.strip_prefix(field)
            .is_some_and(|r| r.starts_with('.') || r.starts_with('['))
}

/// One option of a select or one box of a checkbox group.
#[derive(Debug, Clone)]
pub struct Opt {
    /// Submitted value.
    pub value: String,
    /// What people read.
    pub label: String,
    /// Whether it is selected or checked.
    pub selected: bool,
}

impl Opt {
    /// Options from `(value, label)` pairs, selecting those in `chosen`.
    pub fn many<'a>(
        items: impl IntoIterator<Item = (String, String)>,
        chosen: impl IntoIterator<Item = &'a str> + Clone,
    ) -> Vec<Opt> {
        items
            .into_iter()
            .map(|(value, label)| Opt {
                selected: chosen.clone().into_iter().any(|c| c == value),
                value,
                label,
            })
            .collect()
    }

    /// Options of a closed vocabulary, with an optional empty first option.
    pub fn vocab(all: &[&str], current: &str, empty: Option<&str>) -> Vec<Opt> {
        let mut v = Vec::new();
        if let Some(e) = empty {
            v.push(Opt {
                value: String::new(),
                label: e.to_string(),
                selected: current.is_empty(),
            });
        }
        v.extend(all.iter().map(|x| Opt {
            value: x.to_string(),
            label: aims_domain::vocab::label(x),
            selected: *x == current,
        }));
        v
    }
}

/// A risk level shown as a coloured badge: the method's colour as a dot, the level's label as text.
#[derive(Debug, Clone, Default)]
pub struct Badge {
    /// Level id (`high`), also a CSS class.
    pub id: String,
    /// Label (`High`).
    pub label: String,
    /// `#rrggbb` from the method.
    pub colour: String,
    /// Whether the level lies above the risk appetite.
    pub above_appetite: bool,
}

impl Badge {
    /// The badge of level `id` under `method`; an unknown id is shown as it is.
    pub fn of(method: &RiskMethod, id: &str) -> Option<Badge> {
        if id.is_empty() {
            return None;
        }
        let appetite = method.rank(&method.appetite);
        Some(match method.levels.iter().position(|l| l.id == id) {
            Some(rank) => {
                let l = &method.levels[rank];
                Badge {
                    id: l.id.clone(),
                    label: l.label.clone(),
                    colour: l.colour.clone(),
                    above_appetite: appetite.is_some_and(|a| rank > a),
                }
            }
            None => Badge {
                id: id.to_string(),
                label: id.to_string(),
                colour: "#8a94a3".into(),
                above_appetite: false,
            },
        })
    }
}

/// The label of point `n` (1-based) of a scale, as `3 · Possible`.
pub fn scale_label(scale: &[aims_domain::risk::ScalePoint], n: i64) -> String {
    usize::try_from(n - 1)
        .ok()
        .and_then(|i| scale.get(i))
        .map_or_else(|| n.to_string(), |p| format!("{n} · {}", p.label))
}

/// The options of a score select: empty, then every point of the scale.
pub fn scale_options(
    scale: &[aims_domain::risk::ScalePoint],
    current: &str,
    empty: bool,
) -> Vec<Opt> {
    let mut v = Vec::new();
    if empty {
        v.push(Opt {
            value: String::new(),
            label: "—".into(),
            selected: current.is_empty(),
        });
    }
    for (i, p) in scale.iter().enumerate() {
        let n = (i + 1).to_string();
        v.push(Opt {
            selected: n == current,
            label: format!("{n} · {}", p.label),
            value: n,
        });
    }
    v
}

/// Renders a form page: `422 Unprocessable Entity` when it shows messages (`invalid`), so that a refused form
/// is not mistaken for a saved one; `200` otherwise.
pub fn render_form<T: Template>(page: &T, invalid: bool) -> PageResult {
    let mut res = render(page);
    if invalid {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// Splits the result of a use case that validates a form: what it saved, or the messages for the form to show
/// again (`Ok(Err(..))`); any other refusal becomes the error page. Every form handler goes
/// `match checked(app.save(..).await)? { Ok(saved) => redirect, Err(errors) => the form again }`.
pub fn checked<T>(r: Result<T, AppError>) -> Result<Result<T, Errors>, PageError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(AppError::Invalid(v)) => Ok(Err(Errors::from_validation(v))),
        Err(e) => Err(e.into()),
    }
}

/// The answer to a saved form: `303 See Other` to the page that shows the result.
pub fn go(to: &str) -> PageResult {
    Ok(Redirect::to(to).into_response())
}

/// The wire names of a vocabulary's values, for the selects that offer them
/// (`vocab(TaskStatus::ALL, TaskStatus::as_str)`).
pub fn vocab<T: Copy>(items: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
    items.iter().map(|x| f(*x)).collect()
}

/// Whether `id` has the shape of a record id.
pub fn is_id(id: &str) -> bool {
    aims_domain::parse_id("id", id).is_ok()
}

/// Names of AI systems by id, looked up once each.
#[derive(Default)]
pub struct SystemNames(HashMap<String, Option<String>>);

impl SystemNames {
    /// Looks up every id not seen yet; an id of no system of the organization gets no name.
    pub async fn load(
        &mut self,
        app: &App,
        actor: &Actor,
        org: &aims_app::OrgId,
        ids: impl IntoIterator<Item = &String>,
    ) -> Result<(), AppError> {
        for id in ids {
            if self.0.contains_key(id) {
                continue;
            }
            let name = match app
                .get_record::<AiSystem>(actor, org, &id.as_str().into())
                .await
            {
                Ok(s) => Some(s.data.name),
                Err(AppError::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
            self.0.insert(id.clone(), name);
        }
        Ok(())
    }

    /// The name of system `id`, or the id when it is unknown.
    pub fn name(&self, id: &str) -> String {
        self.0
            .get(id)
            .cloned()
            .flatten()
            .unwrap_or_else(|| id.to_string())
    }

    /// Links to the systems (id, name).
    pub fn links(&self, ids: &[String]) -> Vec<(String, String)> {
        ids.iter().map(|i| (i.clone(), self.name(i))).collect()
    }
}

/// Turns a status or kind value into words (`not_started` → `not started`).
pub fn words(s: &str) -> String {
    s.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_repeated_names() {
        let f = FormData(vec![
            ("tasks[2].title".into(), "b".into()),
            ("tasks[0].title".into(), "a".into()),
            ("tasks[0].due".into(), "2026-01-01".into()),
            ("controls".into(), "A.2.2".into()),
            ("controls".into(), " ".into()),
            ("controls".into(), "A.6.2.4".into()),
        ]);
        assert_eq!(f.rows("tasks"), [0, 2]);
        assert_eq!(f.cell("tasks", 2, "title"), "b");
        assert_eq!(f.all("controls"), ["A.2.2", "A.6.2.4"]);
        assert!(f.rows("other").is_empty());
    }

    #[test]
    fn row_messages_go_back_to_the_rows_the_form_showed() {
        // Rows 0 and 2 of the form were filled in; the use case saw them as its rows 0 and 1.
        let e = Errors(vec![
            ("tasks[1].title".into(), "empty".into()),
            ("tasks[0]".into(), "whole row".into()),
            ("tasks[9].due".into(), "not sent".into()),
            ("reasons[1].kind".into(), "other rows".into()),
        ])
        .on_rows("tasks", &[0, 2]);
        assert_eq!(e.of("tasks[2]"), "empty");
        assert_eq!(e.of("tasks[0]"), "whole row");
        assert_eq!(
            e.of("tasks[9]"),
            "not sent",
            "an index with no form row is kept"
        );
        assert_eq!(e.of("reasons[1]"), "other rows");
    }

    #[test]
    fn errors_by_path() {
        let e = Errors(vec![
            ("assessments[0].inherent.likelihood".into(), "x".into()),
            ("title".into(), "t".into()),
            ("titles".into(), "u".into()),
        ])
        .rename("assessments[0]", "assessment");
        assert_eq!(e.of("assessment.inherent"), "x");
        assert_eq!(e.of("title"), "t");
        assert_eq!(e.others(&["title", "assessment"]), ["titles: u"]);
    }
}
