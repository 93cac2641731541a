//! Output for people (aligned tables, key–value blocks) and for scripts (JSON), chosen with `--format`.

use crate::{CmdResult, Outcome};
use serde::Serialize;
use std::io::Write;

/// The two output formats every read command offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Aligned text for people.
    #[default]
    Table,
    /// JSON for scripts; shapes are documented in docs/cli-json.md.
    Json,
}

/// Prints a value as pretty JSON.
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Prints `value` as JSON, or for people through `people`: the one choice every read command makes.
pub fn show<T: Serialize + ?Sized>(
    format: Format,
    value: &T,
    people: impl FnOnce(&T),
) -> CmdResult {
    if format == Format::Json {
        json(value)?;
    } else {
        people(value);
    }
    Ok(Outcome::Ok)
}

/// Prints a list as a JSON array, or as a table with a row per item.
pub fn list<T: Serialize>(
    format: Format,
    items: &[T],
    headers: &[&str],
    row: impl Fn(&T) -> Vec<String>,
) -> CmdResult {
    show(format, items, |items| table_of(headers, items, row))
}

/// Prints a table with a row per item, so callers say only how one item reads.
pub fn table_of<T>(headers: &[&str], items: &[T], row: impl Fn(&T) -> Vec<String>) {
    let rows: Vec<Vec<String>> = items.iter().map(row).collect();
    table(headers, &rows);
}

/// Prints rows under a header with columns padded to their widest cell; a long cell wraps between words onto
/// further lines of its column, so nothing is cut.
pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    const MAX: usize = 60;
    let cells: Vec<Vec<Vec<String>>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match aims_domain::text::wrap(c, MAX) {
                    lines if lines.is_empty() => vec![String::new()],
                    lines => lines,
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in &cells {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = c.iter().map(|l| l.chars().count()).fold(*w, usize::max);
            }
        }
    }
    let line = |cols: Vec<&str>| {
        let parts: Vec<String> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = widths
                    .get(i)
                    .copied()
                    .unwrap_or(0)
                    .saturating_sub(c.chars().count());
                format!("{c}{}", " ".repeat(pad))
            })
            .collect();
        println!("{}", parts.join("  ").trim_end());
    };
    let upper: Vec<String> = headers.iter().map(|h| h.to_uppercase()).collect();
    line(upper.iter().map(String::as_str).collect());
    for r in &cells {
        let height = r.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            line(
                r.iter()
                    .map(|c| c.get(k).map_or("", String::as_str))
                    .collect(),
            );
        }
    }
    if rows.is_empty() {
        println!("(none)");
    }
}

/// Prints `label: value` lines, aligned, skipping empty values; multi-line values are indented.
pub fn fields(pairs: &[(&str, String)]) {
    let width = pairs
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (k, v) in pairs {
        if v.is_empty() {
            continue;
        }
        let mut lines = v.lines();
        println!("{k:width$}  {}", lines.next().unwrap_or(""));
        for l in lines {
            println!("{:width$}  {l}", "");
        }
    }
}

/// Prints a section heading.
pub fn heading(title: &str) {
    println!("\n{title}");
    println!("{}", "-".repeat(title.chars().count()));
}

/// Yes or no.
pub fn yes_no(b: bool) -> String {
    if b { "yes".into() } else { "no".into() }
}
