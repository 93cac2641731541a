//! AIMS context commands: the scope statement, and the extra subcommands of interested parties and suppliers
//! (issues, parties, suppliers and custom fields are kit records: see `cmd_record`).

use crate::args::{PartyExtra, ScopeCmd, SupplierExtra};
use crate::args_record::RecordCmd;
use crate::cmd_admin::print_history;
use crate::cmd_record::{Ran, done, run};
use crate::out;
use crate::{CmdResult, Ctx};
use aims_app::Stored;
use aims_app::kit::Record;
use aims_domain::context::{
    Certification, InterestedParty, PartyRequirement, ScopeVersion, Supplier,
};

fn scope_pairs(v: &Stored<ScopeVersion>) -> Vec<(&'static str, String)> {
    vec![
        ("Version", v.data.number.to_string()),
        ("Status", v.data.status.clone()),
        ("Id", v.id.to_string()),
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
            out::show(ctx.format, &s, |s| {
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
            })
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
            done(
                ctx,
                &d,
                format!(
                    "Draft scope statement version {} saved (id {}); approve it with `aims scope approve`",
                    d.data.number, d.id
                ),
            )
        }
        ScopeCmd::Approve { note } => {
            let v = app.scope_approve(&ctx.actor, &org, &note).await?;
            done(
                ctx,
                &v,
                format!(
                    "Scope statement version {} approved by {}",
                    v.data.number, v.data.approved_by
                ),
            )
        }
        ScopeCmd::Versions => {
            let vs = app.scope_versions(&ctx.actor, &org).await?;
            let headers = ["version", "status", "approved at", "statement", "id"];
            out::list(ctx.format, &vs, &headers, |v| {
                vec![
                    v.data.number.to_string(),
                    v.data.status.clone(),
                    v.data.approved_at.clone(),
                    v.data.statement.clone(),
                    v.id.to_string(),
                ]
            })
        }
        ScopeCmd::History { id } => print_history(ctx, &org, "scope_version", &id).await,
    }
}

/// An extra subcommand that changes one kit record (adds a requirement to a party, a certificate to a
/// supplier): which record, what to do to it, and what to say after.
pub trait Amendment<T> {
    /// The id of the record changed.
    fn id(&self) -> &aims_app::RecordId;
    /// Makes the change.
    fn apply(self, record: &mut T);
    /// The message for people after the change.
    fn report(record: &T) -> String;
}

impl Amendment<InterestedParty> for PartyExtra {
    fn id(&self) -> &aims_app::RecordId {
        let PartyExtra::Require { id, .. } = self;
        id
    }
    fn apply(self, p: &mut InterestedParty) {
        let PartyExtra::Require {
            id: _,
            text,
            source,
            addressed,
            how,
            controls,
        } = self;
        p.requirements.push(PartyRequirement {
            id: String::new(),
            text,
            source,
            addressed,
            how,
            controls,
        });
    }
    fn report(p: &InterestedParty) -> String {
        format!("{} now has {} requirement(s)", p.name, p.requirements.len())
    }
}

impl Amendment<Supplier> for SupplierExtra {
    fn id(&self) -> &aims_app::RecordId {
        let SupplierExtra::Certify { id, .. } = self;
        id
    }
    fn apply(self, s: &mut Supplier) {
        let SupplierExtra::Certify {
            id: _,
            standard,
            certificate_id,
            issuer,
            valid_until,
            scope,
        } = self;
        s.certifications.push(Certification {
            standard,
            certificate_id,
            issuer,
            valid_until,
            scope,
        });
    }
    fn report(s: &Supplier) -> String {
        format!(
            "{} now has {} certificate(s)",
            s.name,
            s.certifications.len()
        )
    }
}

/// `aims party ...`, `aims supplier ...`: the generic actions, and an extra subcommand that changes one record,
/// stored at the version read so that a concurrent change is refused rather than lost.
pub async fn amending<T: Record, X: Amendment<T>>(ctx: &Ctx, c: RecordCmd<T, X>) -> CmdResult {
    let (org, x) = match run(ctx, c).await? {
        Ran::Done(o) => return Ok(o),
        Ran::Extra(org, x) => (org, x),
    };
    let current: Stored<T> = ctx.app.get_record(&ctx.actor, &org, x.id()).await?;
    let mut data = current.data.clone();
    x.apply(&mut data);
    let s = ctx
        .app
        .update_record(&ctx.actor, &org, &current.id, Some(current.version), data)
        .await?;
    done(ctx, &s, X::report(&s.data))
}
