//! `aims system ...`: the AI system inventory.

use crate::args::{Change, SystemCmd, SystemFields};
use crate::cmd_admin::print_history;
use crate::cmd_record::done;
use crate::input::{Overrides, build, custom_values, decode, read_text};
use crate::out;
use crate::{CmdResult, Ctx, Failure, bad_input};
use aims_app::Stored;
use aims_app::systems::SystemFilter;
use aims_app::systems::{RetireInput, RetireSystem};
use aims_domain::inventory::AiSystem;

fn overrides(f: &SystemFields, base: Option<&AiSystem>) -> Result<Overrides, Failure> {
    let mut o = Overrides::given(f);
    if !f.custom.is_empty() {
        let mut merged = base
            .map(|b| {
                b.custom_fields
                    .clone()
                    .into_iter()
                    .collect::<serde_json::Map<_, _>>()
            })
            .unwrap_or_default();
        merged.extend(custom_values(&f.custom)?);
        o.0.insert("custom_fields".into(), serde_json::Value::Object(merged));
    }
    Ok(o)
}

fn show(s: &Stored<AiSystem>) {
    let d = &s.data;
    out::fields(&[
        ("Name", d.name.clone()),
        ("Id", s.id.to_string()),
        ("Purpose", d.purpose.clone()),
        ("Intended use", d.intended_use.clone()),
        ("Foreseeable misuse", d.foreseeable_misuse.clone()),
        ("Owner", d.owner.clone()),
        ("Business unit", d.business_unit.clone()),
        ("Life-cycle stage", d.lifecycle_stage.clone()),
        ("Our role", d.org_role.clone()),
        ("In AIMS scope", out::yes_no(d.in_scope)),
        ("Automation", d.automation_level.clone()),
        ("Human oversight", d.human_oversight.clone()),
        ("Oversight notes", d.oversight_notes.clone()),
        ("Affected parties", d.affected_parties.join(", ")),
        ("Retired on", d.retired_on.clone()),
        ("Retired because", d.retired_reason.clone()),
        ("Version", s.version.to_string()),
        ("Created", s.created_at.clone()),
        ("Updated", s.updated_at.clone()),
    ]);
    if !d.custom_fields.is_empty() {
        out::heading("Custom fields");
        let pairs: Vec<(&str, String)> = d
            .custom_fields
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str(),
                    v.as_str()
                        .map(String::from)
                        .unwrap_or_else(|| v.to_string()),
                )
            })
            .collect();
        out::fields(&pairs);
    }
    out::heading("Data resources (A.4.3, A.7)");
    let headers = [
        "name",
        "category",
        "personal data",
        "provenance",
        "quality notes",
    ];
    out::table_of(&headers, &d.data_resources, |r| {
        vec![
            r.name.clone(),
            r.category.clone(),
            out::yes_no(r.personal_data),
            r.provenance.clone(),
            r.quality_notes.clone(),
        ]
    });
    out::heading("Models (A.4.4)");
    out::table_of(&["name", "version", "kind", "provider"], &d.models, |m| {
        vec![
            m.name.clone(),
            m.version.clone(),
            m.kind.clone(),
            m.provider.clone(),
        ]
    });
    out::heading("Tooling (A.4.4)");
    out::table_of(&["name", "purpose"], &d.tooling, |t| {
        vec![t.name.clone(), t.purpose.clone()]
    });
    out::heading("Compute (A.4.5)");
    out::table_of(&["name", "location", "notes"], &d.compute, |c| {
        vec![c.name.clone(), c.location.clone(), c.notes.clone()]
    });
    out::heading("People (A.4.6)");
    out::table_of(&["role", "assignee", "competences"], &d.people, |p| {
        vec![p.role.clone(), p.assignee.clone(), p.competences.clone()]
    });
    out::heading("Third-party components (A.10.3)");
    let headers = ["name", "kind", "version", "supplier id"];
    out::table_of(&headers, &d.components, |c| {
        vec![
            c.name.clone(),
            c.kind.clone(),
            c.version.clone(),
            c.supplier_id.clone(),
        ]
    });
}

/// Runs a system command.
pub async fn run(ctx: &Ctx, c: SystemCmd) -> CmdResult {
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        SystemCmd::Add(f) => {
            let data: AiSystem = build(None, f.file.as_deref(), overrides(&f, None)?)?;
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
            out::show(ctx.format, &s, show)
        }
        SystemCmd::Update(Change {
            id,
            fields,
            if_version,
        }) => {
            let file = fields.file.clone();
            let s = app
                .modify_record(&ctx.actor, &org, &id, if_version, |current| {
                    let ov = overrides(&fields, Some(current)).map_err(Failure::into_validation)?;
                    *current = build(Some(&*current), file.as_deref(), ov)
                        .map_err(Failure::into_validation)?;
                    Ok(())
                })
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
