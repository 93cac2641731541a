//! AIMS context commands: the scope statement, and the extra subcommands of interested parties and suppliers
//! (issues, parties, suppliers and custom fields are kit records: see `cmd_record`).

use crate::args::{PartyExtra, ScopeCmd, SupplierExtra};
use crate::args_record::RecordCmd;
use crate::cmd_admin::print_history;
use crate::cmd_record::{Ran, done, run};
use crate::out::{self, Format};
use crate::{CmdResult, Ctx, Outcome};
use aims_app::Stored;
use aims_app::kit::Record;
use aims_domain::context::{
    Certification, InterestedParty, PartyRequirement, ScopeVersion, Supplier,
};

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

/// Changes one record through `change` and stores it at the version read, so that a concurrent change is
/// refused rather than lost.
async fn amend<T: Record>(
    ctx: &Ctx,
    org: &str,
    id: &str,
    change: impl FnOnce(&mut T),
) -> Result<Stored<T>, crate::Failure> {
    let current: Stored<T> = ctx.app.get_record(&ctx.actor, org, id).await?;
    let mut data = current.data.clone();
    change(&mut data);
    Ok(ctx
        .app
        .update_record(&ctx.actor, org, &current.id, Some(current.version), data)
        .await?)
}

/// `aims party ...`: the generic actions, and adding a requirement.
pub async fn party(ctx: &Ctx, c: RecordCmd<InterestedParty, PartyExtra>) -> CmdResult {
    let (
        org,
        PartyExtra::Require {
            id,
            text,
            source,
            addressed,
            how,
            controls,
        },
    ) = match run(ctx, c).await? {
        Ran::Done(o) => return Ok(o),
        Ran::Extra(org, x) => (org, x),
    };
    let s = amend(ctx, &org, &id, |p: &mut InterestedParty| {
        p.requirements.push(PartyRequirement {
            id: String::new(),
            text,
            source,
            addressed,
            how,
            controls,
        })
    })
    .await?;
    let n = s.data.requirements.len();
    done(
        ctx,
        &s,
        format!("{} now has {n} requirement(s)", s.data.name),
    )
}

/// `aims supplier ...`: the generic actions, and recording a certificate.
pub async fn supplier(ctx: &Ctx, c: RecordCmd<Supplier, SupplierExtra>) -> CmdResult {
    let (
        org,
        SupplierExtra::Certify {
            id,
            standard,
            certificate_id,
            issuer,
            valid_until,
            scope,
        },
    ) = match run(ctx, c).await? {
        Ran::Done(o) => return Ok(o),
        Ran::Extra(org, x) => (org, x),
    };
    let s = amend(ctx, &org, &id, |s: &mut Supplier| {
        s.certifications.push(Certification {
            standard,
            certificate_id,
            issuer,
            valid_until,
            scope,
        })
    })
    .await?;
    let n = s.data.certifications.len();
    done(
        ctx,
        &s,
        format!("{} now has {n} certificate(s)", s.data.name),
    )
}
