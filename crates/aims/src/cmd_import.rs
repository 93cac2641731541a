//! `aims org import FILE`: brings an organization document (the format of `docs/import.md`) into the organization
//! chosen with `--org`, or with `--new` into a new organization, and prints what it created per section.

use crate::out::{self, Format};
use crate::{CmdResult, Ctx, Failure, Outcome};
use aims_app::AppError;
use aims_app::import::{ImportOptions, ImportTarget};
use clap::Args;
use std::path::PathBuf;

/// Options of `org import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The organization document: JSON with `"format": "aims-organization/1"`.
    pub file: PathBuf,
    /// Create a new organization from the document's `organization` section instead of importing into --org's.
    #[arg(long)]
    pub new: bool,
    /// Environment variable holding the password of every user the import creates (each gets a generated one,
    /// printed once, when it is unset).
    #[arg(long, default_value = "AIMS_USER_PASSWORD")]
    pub password_env: String,
}

/// Runs `org import`.
pub async fn run(ctx: &Ctx, a: ImportArgs) -> CmdResult {
    let text = crate::input::read_text(&a.file)?;
    let org = if a.new {
        None
    } else {
        Some(ctx.org_id().await?)
    };
    let target = match &org {
        Some(id) => ImportTarget::Existing(id),
        None => ImportTarget::New,
    };
    let options = ImportOptions {
        password: crate::cmd_admin::password_from_env(&a.password_env)?,
    };
    let report = match ctx
        .app
        .import_organization(&ctx.actor, target, &text, &options)
        .await
    {
        Ok(r) => r,
        Err(AppError::Invalid(v)) if v.errors.len() > 1 => {
            let n = v.errors.len();
            if ctx.format == Format::Table {
                for e in &v.errors {
                    eprintln!("  {}: {}", e.field, e.message);
                }
            }
            let mut f = Failure::from(AppError::Invalid(v));
            f.message = format!(
                "{} has {n} problems (listed above); nothing was imported",
                a.file.display()
            );
            return Err(f);
        }
        Err(e) => return Err(e.into()),
    };
    if ctx.format == Format::Json {
        out::json(&report)?;
        return Ok(Outcome::Ok);
    }
    println!(
        "Imported {} into organization {} (slug {}, id {})",
        a.file.display(),
        report.organization.data.name,
        report.organization.data.slug,
        report.organization.id
    );
    let rows: Vec<Vec<String>> = report
        .created
        .iter()
        .map(|c| vec![c.section.to_string(), c.count.to_string()])
        .collect();
    out::table(&["section", "created"], &rows);
    for u in &report.users {
        match &u.generated_password {
            Some(p) => println!("  {:<12} {} password {p} (shown once)", u.role, u.email),
            None => println!("  {:<12} {}", u.role, u.email),
        }
    }
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{Cli, Command, OrgCmd};
    use aims_app::{Actor, App};
    use clap::Parser;

    /// A store with one organization in a new directory, and `doc` written to `org.json` beside it.
    async fn setup(doc: &str) -> (tempfile::TempDir, Ctx, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("org.json");
        std::fs::write(&file, doc).unwrap();
        let db = dir.path().join("aims.db");
        let app = App::open_or_create(db.to_str().unwrap()).await.unwrap();
        app.init(
            &Actor::operator("test"),
            aims_app::orgs::InitInput {
                org_name: "Acme".into(),
                org_slug: None,
                admin_email: "admin@acme.example".into(),
                admin_name: "Admin".into(),
                admin_password: Some("a long enough password".into()),
            },
        )
        .await
        .unwrap();
        let ctx = Ctx {
            app,
            format: Format::Table,
            org: None,
            actor: Actor::operator("test"),
        };
        (dir, ctx, file)
    }

    fn args(file: &std::path::Path) -> ImportArgs {
        let cli = Cli::parse_from(["aims", "org", "import", file.to_str().unwrap()]);
        match cli.command {
            Command::Org(OrgCmd::Import(a)) => a,
            other => panic!("parsed as {other:?}"),
        }
    }

    /// Runs the import of `file`, expecting it to be refused with exit code 2.
    async fn refused(ctx: &Ctx, file: &std::path::Path) -> Failure {
        let Err(f) = run(ctx, args(file)).await else {
            panic!("{} is refused", file.display())
        };
        assert_eq!(f.code, 2);
        f
    }

    #[tokio::test]
    async fn a_bad_file_is_refused_with_exit_code_2_naming_the_field() {
        let (dir, ctx, file) = setup(
            r#"{"format": "aims-organization/1",
                "context_issues": [{"kind": "sideways", "title": "Bad"}],
                "risks": [{"title": "R", "system_ids": ["nope"]}]}"#,
        )
        .await;
        let f = refused(&ctx, &file).await;
        assert!(f.message.contains("2 problems"), "{}", f.message);
        let details = f.details.to_string();
        assert!(details.contains("context_issues[0].kind"), "{details}");
        assert!(details.contains("risks[0].system_ids[0]"), "{details}");

        std::fs::write(
            &file,
            r#"{"format": "aims-organization/1", "suppliers": [{}]}"#,
        )
        .unwrap();
        let f = refused(&ctx, &file).await;
        assert!(f.message.contains("suppliers[0]"), "{}", f.message);
        assert!(f.message.contains("missing field `name`"), "{}", f.message);

        refused(&ctx, &dir.path().join("missing.json")).await;
        ctx.app.close().await;
    }

    #[tokio::test]
    async fn a_good_file_is_imported() {
        let (_dir, ctx, file) = setup(
            r#"{"format": "aims-organization/1",
                "suppliers": [{"ref": "s", "name": "Supplier"}],
                "systems": [{"name": "Bot", "purpose": "Chat",
                             "components": [{"name": "LLM", "kind": "model", "supplier_id": "s"}]}]}"#,
        )
        .await;
        assert!(matches!(run(&ctx, args(&file)).await, Ok(Outcome::Ok)));
        let org = ctx.app.resolve_org(None).await.unwrap().org_id();
        let systems = ctx
            .app
            .systems(&ctx.actor, &org, &Default::default())
            .await
            .unwrap();
        assert_eq!(systems.len(), 1);
        assert!(!systems[0].data.components[0].supplier_id.is_empty());
        ctx.app.close().await;
    }
}
