//! `aims system ...`: the AI system inventory.

use crate::args::{Change, SystemCmd};
use crate::cmd_admin::print_history;
use crate::cmd_record::{done, show};
use crate::input::{build, decode, read_text, typed};
use crate::out;
use crate::{CmdResult, Ctx, Failure, bad_input};
use aims_app::systems::SystemFilter;
use aims_app::systems::{RetireInput, RetireSystem};
use aims_domain::inventory::AiSystem;

/// Runs a system command.
pub async fn run(ctx: &Ctx, c: SystemCmd) -> CmdResult {
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        SystemCmd::Add(f) => {
            let data: AiSystem = build(None, f.file.as_deref(), typed::<AiSystem>(f.values)?)?;
            let s = app.create_record(&ctx.actor, &org, data).await?;
            done(
                ctx,
                &s,
                format!("Added AI system {} (id {})", s.data.name, s.id),
            )
        }
        SystemCmd::Import { file } => {
            let systems = read_many(&file)?;
            let n = systems.len();
            let stored = app.import_systems(&ctx.actor, &org, systems).await?;
            let ids: Vec<&str> = stored.iter().map(|s| s.id.as_str()).collect();
            let summary = serde_json::json!({ "imported": n, "ids": ids });
            done(ctx, &summary, format!("Imported {n} AI systems"))
        }
        SystemCmd::List(a) => {
            let filter = SystemFilter {
                stage: a.stage,
                role: a.role,
                in_scope: a.in_scope,
                search: a.search,
                sort: Some(a.sort),
                descending: a.desc,
                limit: a.limit,
            };
            let list = app.systems(&ctx.actor, &org, &filter).await?;
            let headers = ["id", "name", "stage", "role", "in scope", "owner"];
            out::list(ctx.format, &list, &headers, |s| {
                vec![
                    s.id.to_string(),
                    s.data.name.clone(),
                    s.data.lifecycle_stage.clone(),
                    s.data.org_role.clone(),
                    out::yes_no(s.data.in_scope),
                    s.data.owner.clone(),
                ]
            })
        }
        SystemCmd::Show(a) => {
            let s = app.get_record::<AiSystem>(&ctx.actor, &org, &a.id).await?;
            out::show(ctx.format, &s, show::<AiSystem>)
        }
        SystemCmd::Update(Change {
            id,
            fields,
            if_version,
        }) => {
            let given = typed::<AiSystem>(fields.values)?;
            let file = fields.file;
            let s = app
                .modify_record(
                    &ctx.actor,
                    &org,
                    &id,
                    if_version,
                    |current: &mut AiSystem| {
                        *current = build(Some(&*current), file.as_deref(), given)
                            .map_err(Failure::into_validation)?;
                        Ok(())
                    },
                )
                .await?;
            let message = format!("Updated AI system {} (version {})", s.data.name, s.version);
            done(ctx, &s, message)
        }
        SystemCmd::Retire { id, reason, on } => {
            let s = app
                .step::<RetireSystem>(&ctx.actor, &org, &id, None, RetireInput { reason, on })
                .await?;
            let message = format!("Retired AI system {} on {}", s.data.name, s.data.retired_on);
            done(ctx, &s, message)
        }
        SystemCmd::History(a) => print_history(ctx, &org, "ai_system", &a.id).await,
    }
}

/// Reads the systems of an import file: a JSON array, JSON Lines (`.jsonl`), or TOML with `[[systems]]`.
fn read_many(path: &std::path::Path) -> Result<Vec<AiSystem>, crate::Failure> {
    let text = read_text(path)?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let values: Vec<serde_json::Value> = match ext.as_str() {
        "jsonl" => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| {
                serde_json::from_str(l).map_err(|e| {
                    bad_input("file", format!("line {} is not valid JSON: {e}", n + 1))
                })
            })
            .collect::<Result<_, _>>()?,
        "toml" => {
            #[derive(serde::Deserialize)]
            struct File {
                systems: Vec<serde_json::Value>,
            }
            let f: File = toml::from_str(&text).map_err(|e| {
                bad_input(
                    "file",
                    format!("{} is not valid TOML with [[systems]]: {e}", path.display()),
                )
            })?;
            f.systems
        }
        _ => serde_json::from_str(&text).map_err(|e| {
            bad_input(
                "file",
                format!("{} is not a JSON array of AI systems: {e}", path.display()),
            )
        })?,
    };
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| decode(v, &format!("[{i}]")))
        .collect()
}
