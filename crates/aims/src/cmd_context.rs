//! AIMS context commands: scope, issues, interested parties, suppliers, custom fields.

use crate::args::{
    FieldCmd, IssueCmd, IssueFields, PartyCmd, PartyFields, ScopeCmd, SupplierCmd, SupplierFields,
};
use crate::cmd_admin::print_history;
use crate::input::{Overrides, build};
use crate::out::{self, Format};
use crate::{CmdResult, Ctx, Outcome};
use aims_app::Stored;
use aims_app::kit::Record as ContextRecord;
use aims_domain::context::{
    Certification, ContextIssue, InterestedParty, PartyRequirement, ScopeVersion, Supplier,
};
use aims_domain::inventory::CustomFieldDef;
use serde::Serialize;

fn done<T: Serialize>(ctx: &Ctx, s: &T, message: String) -> CmdResult {
    if ctx.format == Format::Json {
        out::json(s)?;
    } else {
        println!("{message}");
    }
    Ok(Outcome::Ok)
}

/// Lays flags (and a file) over a record's current data and stores it, refusing a stale `--if-version`.
async fn update_from_input<T: ContextRecord>(
    ctx: &Ctx,
    org: &str,
    id: &str,
    file: Option<&std::path::Path>,
    overrides: Overrides,
    if_version: Option<i64>,
) -> Result<Stored<T>, crate::Failure> {
    let current: Stored<T> = ctx.app.get_record(&ctx.actor, org, id).await?;
    let data: T = build(Some(&current.data), file, overrides)?;
    Ok(ctx
        .app
        .update_record(
            &ctx.actor,
            org,
            &current.id,
            if_version.or(Some(current.version)),
            data,
        )
        .await?)
}

/// Deletes a record and reports it.
async fn delete_one<T: ContextRecord>(ctx: &Ctx, org: &str, id: &str, what: &str) -> CmdResult {
    ctx.app
        .delete_record::<T>(&ctx.actor, org, id, None)
        .await?;
    done(
        ctx,
        &serde_json::json!({ "deleted": id }),
        format!("Deleted {what} {id}"),
    )
}

fn scope_pairs(v: &Stored<ScopeVersion>) -> Vec<(&'static str, String)> {
    vec![
        ("Version", v.data.number.to_string()),
        ("Status", v.data.status.clone()),
        ("Id", v.id.clone()),
        ("Statement", v.data.statement.clone()),
        ("Boundaries", v.data.boundaries.clone()),
        ("Exclusions", v.data.exclusions.clone()),
        ("Approved by", v.data.approved_by.clone()),
        ("Approved at", v.data.approved_at.clone()),
        ("Approval note", v.data.approval_note.clone()),
        ("Updated", v.updated_at.clone()),
    ]
}

/// `aims scope ...`.
pub async fn scope(ctx: &Ctx, c: ScopeCmd) -> CmdResult {
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        ScopeCmd::Show => {
            let s = app.scope(&ctx.actor, &org).await?;
            if ctx.format == Format::Json {
                out::json(&s)?;
            } else {
                match &s.approved {
                    Some(v) => {
                        out::heading("Approved scope statement");
                        out::fields(&scope_pairs(v));
                    }
                    None => println!("No approved scope statement yet."),
                }
                if let Some(d) = &s.draft {
                    out::heading("Draft awaiting approval");
                    out::fields(&scope_pairs(d));
                }
            }
        }
        ScopeCmd::Draft {
            statement,
            boundaries,
            exclusions,
            if_version,
        } => {
            let d = app
                .scope_draft(
                    &ctx.actor,
                    &org,
                    &statement,
                    &boundaries,
                    &exclusions,
                    if_version,
                )
                .await?;
            return done(
                ctx,
                &d,
                format!(
                    "Draft scope statement version {} saved (id {}); approve it with `aims scope approve`",
                    d.data.number, d.id
                ),
            );
        }
        ScopeCmd::Approve { note } => {
            let v = app.scope_approve(&ctx.actor, &org, &note).await?;
            return done(
                ctx,
                &v,
                format!(
                    "Scope statement version {} approved by {}",
                    v.data.number, v.data.approved_by
                ),
            );
        }
        ScopeCmd::Versions => {
            let vs = app.scope_versions(&ctx.actor, &org).await?;
            if ctx.format == Format::Json {
                out::json(&vs)?;
            } else {
                let rows: Vec<Vec<String>> = vs
                    .iter()
                    .map(|v| {
                        vec![
                            v.data.number.to_string(),
                            v.data.status.clone(),
                            v.data.approved_at.clone(),
                            v.data.statement.clone(),
                            v.id.clone(),
                        ]
                    })
                    .collect();
                out::table(
                    &["version", "status", "approved at", "statement", "id"],
                    &rows,
                );
            }
        }
        ScopeCmd::History { id } => return print_history(ctx, &org, "scope_version", &id).await,
    }
    Ok(Outcome::Ok)
}

fn issue_overrides(f: &IssueFields) -> Overrides {
    let mut o = Overrides::default();
    o.text("kind", &f.kind)
        .text("title", &f.title)
        .text("description", &f.description)
        .text("category", &f.category)
        .boolean("climate_related", f.climate_related);
    o
}

/// `aims issue ...`.
pub async fn issue(ctx: &Ctx, c: IssueCmd) -> CmdResult {
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        IssueCmd::Add(f) => {
            let data: ContextIssue = build(None, None, issue_overrides(&f))?;
            let s = app.create_record(&ctx.actor, &org, data).await?;
            done(
                ctx,
                &s,
                format!(
                    "Recorded {} issue {} (id {})",
                    s.data.kind, s.data.title, s.id
                ),
            )
        }
        IssueCmd::List => {
            let list: Vec<Stored<ContextIssue>> = app.list_records(&ctx.actor, &org).await?;
            if ctx.format == Format::Json {
                out::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|i| {
                        vec![
                            i.id.clone(),
                            i.data.kind.clone(),
                            i.data.category.clone(),
                            i.data.title.clone(),
                            out::yes_no(i.data.climate_related),
                        ]
                    })
                    .collect();
                out::table(&["id", "kind", "category", "title", "climate"], &rows);
            }
            Ok(Outcome::Ok)
        }
        IssueCmd::Show(a) => {
            let i: Stored<ContextIssue> = app.get_record(&ctx.actor, &org, &a.id).await?;
            if ctx.format == Format::Json {
                out::json(&i)?;
            } else {
                out::fields(&[
                    ("Title", i.data.title.clone()),
                    ("Kind", i.data.kind.clone()),
                    ("Category", i.data.category.clone()),
                    ("Climate related", out::yes_no(i.data.climate_related)),
                    ("Description", i.data.description.clone()),
                    ("Id", i.id.clone()),
                    ("Version", i.version.to_string()),
                ]);
            }
            Ok(Outcome::Ok)
        }
        IssueCmd::Update {
            id,
            fields,
            if_version,
        } => {
            let s: Stored<ContextIssue> =
                update_from_input(ctx, &org, &id, None, issue_overrides(&fields), if_version)
                    .await?;
            done(
                ctx,
                &s,
                format!("Updated issue {} (version {})", s.data.title, s.version),
            )
        }
        IssueCmd::Delete(a) => delete_one::<ContextIssue>(ctx, &org, &a.id, "issue").await,
        IssueCmd::History(a) => print_history(ctx, &org, "context_issue", &a.id).await,
    }
}

fn party_overrides(f: &PartyFields) -> Overrides {
    let mut o = Overrides::default();
    o.text("name", &f.name)
        .text("category", &f.category)
        .text("description", &f.description);
    o
}

/// `aims party ...`.
pub async fn party(ctx: &Ctx, c: PartyCmd) -> CmdResult {
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        PartyCmd::Add(f) => {
            let data: InterestedParty = build(None, f.file.as_deref(), party_overrides(&f))?;
            let s = app.create_record(&ctx.actor, &org, data).await?;
            done(
                ctx,
                &s,
                format!("Recorded interested party {} (id {})", s.data.name, s.id),
            )
        }
        PartyCmd::List => {
            let list: Vec<Stored<InterestedParty>> = app.list_records(&ctx.actor, &org).await?;
            if ctx.format == Format::Json {
                out::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|p| {
                        let addressed = p.data.requirements.iter().filter(|r| r.addressed).count();
                        vec![
                            p.id.clone(),
                            p.data.name.clone(),
                            p.data.category.clone(),
                            format!("{addressed} of {}", p.data.requirements.len()),
                        ]
                    })
                    .collect();
                out::table(&["id", "name", "category", "requirements addressed"], &rows);
            }
            Ok(Outcome::Ok)
        }
        PartyCmd::Show(a) => {
            let p: Stored<InterestedParty> = app.get_record(&ctx.actor, &org, &a.id).await?;
            if ctx.format == Format::Json {
                out::json(&p)?;
            } else {
                out::fields(&[
                    ("Name", p.data.name.clone()),
                    ("Category", p.data.category.clone()),
                    ("Description", p.data.description.clone()),
                    ("Id", p.id.clone()),
                    ("Version", p.version.to_string()),
                ]);
                out::heading("Requirements");
                let rows: Vec<Vec<String>> = p
                    .data
                    .requirements
                    .iter()
                    .map(|r| {
                        vec![
                            r.source.clone(),
                            out::yes_no(r.addressed),
                            r.text.clone(),
                            r.how.clone(),
                        ]
                    })
                    .collect();
                out::table(&["source", "addressed", "requirement", "how"], &rows);
            }
            Ok(Outcome::Ok)
        }
        PartyCmd::Update {
            id,
            fields,
            if_version,
        } => {
            let s: Stored<InterestedParty> = update_from_input(
                ctx,
                &org,
                &id,
                fields.file.as_deref(),
                party_overrides(&fields),
                if_version,
            )
            .await?;
            done(
                ctx,
                &s,
                format!(
                    "Updated interested party {} (version {})",
                    s.data.name, s.version
                ),
            )
        }
        PartyCmd::Require {
            id,
            text,
            source,
            addressed,
            how,
            controls,
        } => {
            let current: Stored<InterestedParty> = app.get_record(&ctx.actor, &org, &id).await?;
            let mut data = current.data.clone();
            data.requirements.push(PartyRequirement {
                id: String::new(),
                text,
                source,
                addressed,
                how,
                controls,
            });
            let s = app
                .update_record(&ctx.actor, &org, &current.id, Some(current.version), data)
                .await?;
            done(
                ctx,
                &s,
                format!(
                    "{} now has {} requirement(s)",
                    s.data.name,
                    s.data.requirements.len()
                ),
            )
        }
        PartyCmd::Delete(a) => {
            delete_one::<InterestedParty>(ctx, &org, &a.id, "interested party").await
        }
        PartyCmd::History(a) => print_history(ctx, &org, "interested_party", &a.id).await,
    }
}

fn supplier_overrides(f: &SupplierFields) -> Overrides {
    let mut o = Overrides::default();
    o.text("name", &f.name)
        .text("description", &f.description)
        .text("website", &f.website)
        .text("contact", &f.contact);
    o
}

/// `aims supplier ...`.
pub async fn supplier(ctx: &Ctx, c: SupplierCmd) -> CmdResult {
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        SupplierCmd::Add(f) => {
            let data: Supplier = build(None, f.file.as_deref(), supplier_overrides(&f))?;
            let s = app.create_record(&ctx.actor, &org, data).await?;
            done(
                ctx,
                &s,
                format!("Recorded supplier {} (id {})", s.data.name, s.id),
            )
        }
        SupplierCmd::List => {
            let list: Vec<Stored<Supplier>> = app.list_records(&ctx.actor, &org).await?;
            if ctx.format == Format::Json {
                out::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|s| {
                        let certs: Vec<String> = s
                            .data
                            .certifications
                            .iter()
                            .map(|c| c.standard.clone())
                            .collect();
                        vec![s.id.clone(), s.data.name.clone(), certs.join(", ")]
                    })
                    .collect();
                out::table(&["id", "name", "certifications"], &rows);
            }
            Ok(Outcome::Ok)
        }
        SupplierCmd::Show(a) => {
            let s: Stored<Supplier> = app.get_record(&ctx.actor, &org, &a.id).await?;
            if ctx.format == Format::Json {
                out::json(&s)?;
            } else {
                out::fields(&[
                    ("Name", s.data.name.clone()),
                    ("Description", s.data.description.clone()),
                    ("Website", s.data.website.clone()),
                    ("Contact", s.data.contact.clone()),
                    ("Id", s.id.clone()),
                    ("Version", s.version.to_string()),
                ]);
                out::heading("Certifications");
                let rows: Vec<Vec<String>> = s
                    .data
                    .certifications
                    .iter()
                    .map(|c| {
                        vec![
                            c.standard.clone(),
                            c.certificate_id.clone(),
                            c.issuer.clone(),
                            c.valid_until.clone(),
                            c.scope.clone(),
                        ]
                    })
                    .collect();
                out::table(
                    &["standard", "certificate", "issuer", "valid until", "scope"],
                    &rows,
                );
            }
            Ok(Outcome::Ok)
        }
        SupplierCmd::Update {
            id,
            fields,
            if_version,
        } => {
            let s: Stored<Supplier> = update_from_input(
                ctx,
                &org,
                &id,
                fields.file.as_deref(),
                supplier_overrides(&fields),
                if_version,
            )
            .await?;
            done(
                ctx,
                &s,
                format!("Updated supplier {} (version {})", s.data.name, s.version),
            )
        }
        SupplierCmd::Certify {
            id,
            standard,
            certificate_id,
            issuer,
            valid_until,
            scope,
        } => {
            let current: Stored<Supplier> = app.get_record(&ctx.actor, &org, &id).await?;
            let mut data = current.data.clone();
            data.certifications.push(Certification {
                standard,
                certificate_id,
                issuer,
                valid_until,
                scope,
            });
            let s = app
                .update_record(&ctx.actor, &org, &current.id, Some(current.version), data)
                .await?;
            done(
                ctx,
                &s,
                format!(
                    "{} now has {} certificate(s)",
                    s.data.name,
                    s.data.certifications.len()
                ),
            )
        }
        SupplierCmd::Delete(a) => delete_one::<Supplier>(ctx, &org, &a.id, "supplier").await,
        SupplierCmd::History(a) => print_history(ctx, &org, "supplier", &a.id).await,
    }
}

/// `aims field ...`.
pub async fn field(ctx: &Ctx, c: FieldCmd) -> CmdResult {
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        FieldCmd::Add {
            key,
            label,
            kind,
            choices,
            required,
            description,
        } => {
            let def = CustomFieldDef {
                key,
                label,
                kind,
                choices,
                required,
                description,
            };
            let s = app.create_record(&ctx.actor, &org, def).await?;
            done(
                ctx,
                &s,
                format!(
                    "Defined custom field {} ({}, id {})",
                    s.data.key, s.data.kind, s.id
                ),
            )
        }
        FieldCmd::List => {
            let list: Vec<Stored<CustomFieldDef>> = app.list_records(&ctx.actor, &org).await?;
            if ctx.format == Format::Json {
                out::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|f| {
                        vec![
                            f.data.key.clone(),
                            f.data.label.clone(),
                            f.data.kind.clone(),
                            f.data.choices.join(", "),
                            out::yes_no(f.data.required),
                            f.id.clone(),
                        ]
                    })
                    .collect();
                out::table(
                    &["key", "label", "kind", "choices", "required", "id"],
                    &rows,
                );
            }
            Ok(Outcome::Ok)
        }
        FieldCmd::Delete(a) => delete_one::<CustomFieldDef>(ctx, &org, &a.id, "custom field").await,
    }
}
