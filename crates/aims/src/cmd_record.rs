//! Runs the command-line noun of any kit record type: the generic actions from the declaration, output as a
//! table or fields (or JSON), and extra subcommands handed back to the record type's own code.

use crate::args_record::{Action, RecordCmd};
use crate::cmd_admin::print_history;
use crate::input::{build, typed};
use crate::out::{self, Format};
use crate::{CmdResult, Ctx, Failure, Outcome};
use aims_app::Stored;
use aims_app::kit::{Cell, ListParams, Record, RecordPage, cells, summary};
use serde::Serialize;

/// Prints `s` as JSON, or `message` for people.
pub fn done<T: Serialize>(ctx: &Ctx, s: &T, message: String) -> CmdResult {
    if ctx.format == Format::Json {
        out::json(s)?;
    } else {
        println!("{message}");
    }
    Ok(Outcome::Ok)
}

/// What running a noun left to do: nothing, or an extra subcommand for the record type's own code.
pub enum Ran<X> {
    /// The generic action ran.
    Done(Outcome),
    /// An extra subcommand, with the organization it acts in.
    Extra(aims_app::OrgId, X),
}

/// Runs the generic actions of `c`; hands an extra subcommand back.
pub async fn run<T: Record, X>(ctx: &Ctx, c: RecordCmd<T, X>) -> Result<Ran<X>, Failure> {
    let org = ctx.org_id().await?;
    let def = T::DEF;
    let app = &ctx.app;
    let outcome = match c.action {
        Action::Add { values, file } => {
            let data: T = build(None, file.as_deref(), typed::<T>(values)?)?;
            let s = app.create_record(&ctx.actor, &org, data).await?;
            let name = summary(def, &s.id, &s.data);
            done(
                ctx,
                &s,
                format!("Recorded {} {name} (id {})", def.singular, s.id),
            )?
        }
        Action::List { params, one_page } => list::<T>(ctx, &org, params, one_page).await?,
        Action::Show { id } => {
            let s: Stored<T> = app.get_record(&ctx.actor, &org, &id).await?;
            if ctx.format == Format::Json {
                out::json(&s)?;
            } else {
                show(&s);
            }
            Outcome::Ok
        }
        Action::Update {
            id,
            values,
            file,
            if_version,
        } => {
            let current: Stored<T> = app.get_record(&ctx.actor, &org, &id).await?;
            let data: T = build(Some(&current.data), file.as_deref(), typed::<T>(values)?)?;
            let s = app
                .update_record(
                    &ctx.actor,
                    &org,
                    &current.id,
                    if_version.or(Some(current.version)),
                    data,
                )
                .await?;
            let name = summary(def, &s.id, &s.data);
            done(
                ctx,
                &s,
                format!("Updated {} {name} (version {})", def.singular, s.version),
            )?
        }
        Action::Delete { id, if_version } => {
            app.delete_record::<T>(&ctx.actor, &org, &id, if_version)
                .await?;
            done(
                ctx,
                &serde_json::json!({ "deleted": id }),
                format!("Deleted {} {id}", def.singular),
            )?
        }
        Action::History { id } => print_history(ctx, &org, def.spec.record_type, &id).await?,
        Action::Extra(x) => return Ok(Ran::Extra(org, x)),
    };
    Ok(Ran::Done(outcome))
}

/// Runs a noun that has no extra subcommands.
pub async fn run_plain<T: Record>(ctx: &Ctx, c: RecordCmd<T>) -> CmdResult {
    match run(ctx, c).await? {
        Ran::Done(o) => Ok(o),
        Ran::Extra(_, never) => match never {},
    }
}

/// Lists one page (as `{items, next_cursor}` in JSON), or every page (as one JSON array).
async fn list<T: Record>(
    ctx: &Ctx,
    org: &aims_app::OrgId,
    mut params: ListParams,
    one_page: bool,
) -> CmdResult {
    let mut items = Vec::new();
    let mut page: RecordPage<T>;
    loop {
        if !one_page {
            params.limit = Some(aims_app::kit::MAX_LIMIT);
        }
        page = ctx.app.list_page(&ctx.actor, org, &params).await?;
        items.append(&mut page.items);
        match (&page.next_cursor, one_page) {
            (Some(c), false) => params.cursor = Some(c.clone()),
            _ => break,
        }
    }
    if ctx.format == Format::Json {
        if one_page {
            out::json(&RecordPage {
                items,
                next_cursor: page.next_cursor,
            })?;
        } else {
            out::json(&items)?;
        }
        return Ok(Outcome::Ok);
    }
    let def = T::DEF;
    let listed: Vec<_> = def.fields.iter().filter(|f| f.in_list).collect();
    let mut headers = vec!["id".to_string()];
    headers.extend(listed.iter().map(|f| f.label.to_lowercase()));
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|s| {
            let mut row = vec![s.id.to_string()];
            row.extend(
                cells(def, &s.data)
                    .into_iter()
                    .filter(|(f, _)| f.in_list)
                    .map(|(_, c)| c.plain()),
            );
            row
        })
        .collect();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    out::table(&headers, &rows);
    if let Some(c) = page.next_cursor.filter(|_| one_page) {
        println!("More: --cursor {c}");
    }
    Ok(Outcome::Ok)
}

/// Prints one record: its plain fields, then a table per list of rows.
pub fn show<T: Record>(s: &Stored<T>) {
    let all = cells(T::DEF, &s.data);
    let mut pairs: Vec<(&str, String)> = all
        .iter()
        .filter(|(_, c)| !matches!(c, Cell::Rows(..)))
        .map(|(f, c)| (f.label, c.plain()))
        .collect();
    pairs.push(("Id", s.id.to_string()));
    pairs.push(("Version", s.version.to_string()));
    pairs.push(("Updated", s.updated_at.clone()));
    out::fields(&pairs);
    for (f, c) in &all {
        if let Cell::Rows(labels, rows) = c {
            out::heading(f.label);
            let headers: Vec<String> = labels.iter().map(|l| l.to_lowercase()).collect();
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| r.iter().map(Cell::plain).collect())
                .collect();
            out::table(&headers, &rows);
        }
    }
}
