//! Store and organization administration: init, organizations, users, history, verify, backup, restore.

use crate::args::{BackupArgs, InitArgs, OrgCmd, OrgUpdate, RestoreArgs, UserCmd};
use crate::cmd_record::done;
use crate::input::{Flags, decode, from_flags};
use crate::out;
use crate::{CmdResult, Ctx, Failure, Outcome, bad_input};
use aims_app::orgs::{InitInput, generate_password};
use aims_domain::context::{Organization, slugify};
use aims_domain::vocab::MemberRole;
use std::path::Path;

/// A password from an environment variable: `None` when it is unset or empty.
pub(crate) fn password_from_env(var: &str) -> Result<Option<String>, Failure> {
    match std::env::var(var) {
        Ok(p) if !p.is_empty() => Ok(Some(p)),
        Ok(_) | Err(std::env::VarError::NotPresent) => Ok(None),
        Err(_) => Err(bad_input(var, "is not valid UTF-8")),
    }
}

/// `aims init`.
pub async fn init(ctx: &Ctx, a: InitArgs) -> CmdResult {
    let password_env = a.password_env.clone();
    let outcome = ctx
        .app
        .init(
            &ctx.actor,
            InitInput {
                org_name: a.org_name,
                org_slug: a.org_slug,
                admin_email: a.admin_email,
                admin_name: a.admin_name,
                admin_password: password_from_env(&a.password_env)?,
            },
        )
        .await?;
    out::show(ctx.format, &outcome, |outcome| {
        println!("Created store {}", ctx.app.describe());
        println!(
            "Organization: {} (slug {})",
            outcome.organization.data.name, outcome.organization.data.slug
        );
        println!("Admin user:   {}", outcome.admin_email);
        match &outcome.generated_password {
            Some(p) => {
                println!("Password:     {p}\n(shown once; it is stored only as an Argon2id hash)")
            }
            None => println!("Password:     the one given in ${password_env}"),
        }
    })
}

fn org_pairs(o: &aims_app::Stored<Organization>) -> Vec<(&'static str, String)> {
    let d = &o.data;
    vec![
        ("Name", d.name.clone()),
        ("Slug", d.slug.clone()),
        ("Id", o.id.to_string()),
        ("Legal name", d.legal_name.clone()),
        ("Sector", d.sector.clone()),
        ("Size", d.size.clone()),
        ("Jurisdictions", d.jurisdictions.join(", ")),
        ("AI roles", d.ai_roles.join(", ")),
        ("Website", d.website.clone()),
        ("Description", d.description.clone()),
        ("Version", o.version.to_string()),
        ("Updated", o.updated_at.clone()),
    ]
}

/// `aims org ...`.
pub async fn org(ctx: &Ctx, c: OrgCmd) -> CmdResult {
    match c {
        OrgCmd::List => {
            let orgs = ctx.app.organizations().await?;
            out::list(ctx.format, &orgs, &["slug", "name", "id"], |o| {
                vec![o.data.slug.clone(), o.data.name.clone(), o.id.to_string()]
            })
        }
        OrgCmd::Show => {
            let o = ctx.app.resolve_org(ctx.org.as_deref()).await?;
            out::show(ctx.format, &o, |o| out::fields(&org_pairs(o)))
        }
        OrgCmd::Add { name, slug, admin } => {
            let slug = slug.unwrap_or_else(|| slugify(&name));
            let org: Organization = decode(serde_json::json!({ "name": name, "slug": slug }), "")?;
            let o = ctx
                .app
                .create_org(&ctx.actor, org, admin.as_deref())
                .await?;
            let message = format!(
                "Created organization {} (slug {}, id {})",
                o.data.name, o.data.slug, o.id
            );
            done(ctx, &o, message)
        }
        OrgCmd::Update(u) => {
            let current = ctx.app.resolve_org(ctx.org.as_deref()).await?;
            let data: Organization = from_flags(Some(&current.data), &u)?;
            let o = ctx
                .app
                .update_org(&ctx.actor, &current.org_id(), u.if_version, data)
                .await?;
            let message = format!(
                "Updated organization {} (version {})",
                o.data.name, o.version
            );
            done(ctx, &o, message)
        }
        OrgCmd::History => {
            let o = ctx.app.resolve_org(ctx.org.as_deref()).await?;
            print_history(ctx, &o.org_id(), "organization", &o.id).await
        }
        OrgCmd::Import(a) => crate::cmd_import::run(ctx, a).await,
    }
}

impl Flags for OrgUpdate {
    fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }
}

/// `aims user ...`.
pub async fn user(ctx: &Ctx, c: UserCmd) -> CmdResult {
    let org = ctx.org_id().await?;
    match c {
        UserCmd::Add {
            email,
            name,
            role,
            password_env,
        } => {
            let role = MemberRole::parse("role", &role).map_err(aims_app::AppError::from)?;
            let given = password_from_env(&password_env)?;
            let password = given.clone().unwrap_or_else(generate_password);
            let m = ctx
                .app
                .add_member(&ctx.actor, &org, &email, &name, &password, role)
                .await?;
            out::show(ctx.format, &m, |m| {
                println!("{} is now {} of this organization", m.user.email, m.role);
                if given.is_none() {
                    println!(
                        "Password: {password}\n(shown once; if the user already existed, their password is unchanged)"
                    );
                }
            })
        }
        UserCmd::Role { email, role } => {
            let role = MemberRole::parse("role", &role).map_err(aims_app::AppError::from)?;
            let id = membership_of(ctx, &org, &email).await?;
            let m = ctx
                .app
                .change_member_role(&ctx.actor, &org, &id, role)
                .await?;
            let message = format!("{} is now {} of this organization", m.user.email, m.role);
            crate::cmd_record::done(ctx, &m, message)
        }
        UserCmd::Remove { email } => {
            let id = membership_of(ctx, &org, &email).await?;
            ctx.app.remove_member(&ctx.actor, &org, &id).await?;
            let removed = serde_json::json!({ "removed": email });
            crate::cmd_record::done(
                ctx,
                &removed,
                format!("Removed {email} from this organization"),
            )
        }
        UserCmd::List => {
            let members = ctx.app.members(&ctx.actor, &org).await?;
            let headers = ["email", "name", "role", "disabled"];
            out::list(ctx.format, &members, &headers, |m| {
                vec![
                    m.user.email.clone(),
                    m.user.display_name.clone(),
                    m.role.clone(),
                    out::yes_no(m.user.disabled),
                ]
            })
        }
    }
}

/// The membership of the member with `email` (any letter case).
async fn membership_of(
    ctx: &Ctx,
    org: &aims_app::OrgId,
    email: &str,
) -> Result<aims_app::RecordId, crate::Failure> {
    let members = ctx.app.members(&ctx.actor, org).await?;
    members
        .into_iter()
        .find(|m| m.user.email.eq_ignore_ascii_case(email.trim()))
        .map(|m| aims_app::RecordId::from(m.membership_id.as_str()))
        .ok_or_else(|| {
            crate::bad_input(
                "email",
                format!("{email} is not a member of this organization"),
            )
        })
}

/// Prints the change history of a record.
pub async fn print_history(
    ctx: &Ctx,
    org: &aims_app::OrgId,
    record_type: &str,
    id: &aims_app::RecordId,
) -> CmdResult {
    let entries = ctx.app.history(&ctx.actor, org, record_type, id).await?;
    let headers = ["entry", "at", "actor", "action", "changes", "content hash"];
    out::list(ctx.format, &entries, &headers, |e| {
        vec![
            e.seq.to_string(),
            e.at.clone(),
            e.actor.clone(),
            e.action.clone(),
            e.changes_text(),
            e.content_hash.chars().take(16).collect(),
        ]
    })
}

/// `aims verify`.
pub async fn verify(ctx: &Ctx) -> CmdResult {
    let only = match &ctx.org {
        Some(_) => Some(ctx.org_id().await?),
        None => None,
    };
    let report = ctx.app.verify(&ctx.actor, only.as_deref()).await?;
    let view = serde_json::json!({ "intact": report.intact(), "report": report });
    out::show(ctx.format, &view, |_| {
        for c in &report.chains {
            println!(
                "chain {}: {} entries, head {} {}",
                c.org_id, c.entries, c.head_seq, c.head_hash
            );
        }
        println!(
            "checked {} change-log entries and {} records",
            report.entries_checked, report.records_checked
        );
        if report.intact() {
            println!("intact: every chain is unbroken and every record matches its latest entry");
        } else {
            println!("NOT INTACT: {} problem(s)", report.problems.len());
            for p in &report.problems {
                let chain = if p.org_id.is_empty() {
                    "catalogue".to_string()
                } else {
                    format!("chain {}", p.org_id)
                };
                println!("  - {chain}: {}", p.message);
            }
        }
    })?;
    Ok(Outcome::of_check(report.intact()))
}

/// `aims backup FILE`.
pub async fn backup(ctx: &Ctx, a: BackupArgs) -> CmdResult {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&a.file)
        .map_err(|e| bad_input("file", format!("cannot create {}: {e}", a.file.display())))?;
    let mut w = std::io::BufWriter::new(file);
    let result = ctx.app.backup(&ctx.actor, &mut w).await;
    drop(w);
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&a.file);
            return Err(e.into());
        }
    };
    let message = format!(
        "Wrote {} rows ({} change-log entries) to {}",
        summary.rows,
        summary.log_entries,
        a.file.display()
    );
    done(ctx, &summary, message)
}

/// `aims restore FILE`.
pub async fn restore(ctx: &Ctx, a: RestoreArgs) -> CmdResult {
    let file = std::fs::File::open(&a.file)
        .map_err(|e| bad_input("file", format!("cannot open {}: {e}", a.file.display())))?;
    let summary = ctx
        .app
        .restore(&ctx.actor, std::io::BufReader::new(file))
        .await?;
    let report = ctx.app.verify(&ctx.actor, None).await?;
    let message = format!(
        "Restored {} rows ({} change-log entries) into {}\n{}",
        summary.rows,
        summary.log_entries,
        ctx.app.describe(),
        if report.intact() {
            "verify: intact"
        } else {
            "verify: NOT INTACT (run `aims verify`)"
        }
    );
    let view = serde_json::json!({ "restored": summary, "intact": report.intact() });
    done(ctx, &view, message)?;
    Ok(Outcome::of_check(report.intact()))
}
