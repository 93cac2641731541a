//! Control implementation and Statement of Applicability commands: `aims control` and `aims soa`.

use crate::args_risk::{ControlCmd, ControlFields, SoaCmd};
use crate::cmd_admin::print_history;
use crate::cmd_catalog::mapping_row;
use crate::cmd_record::done;
use crate::input::{Flags, Overrides, revise};
use crate::out;
use crate::{CmdResult, Ctx, Failure, Outcome, bad_input};
use aims_app::controls::ControlView;
use aims_app::soa::SoaView;
use aims_domain::soa::{SoaApproval, SoaChange, SoaEntry};
use serde_json::Value;
use std::path::Path;

/// The flags of `control set`: the control named, and its fields.
#[derive(serde::Serialize)]
struct ControlFlags<'a> {
    control: &'a str,
    #[serde(flatten)]
    fields: &'a ControlFields,
}

impl Flags for ControlFlags<'_> {
    fn file(&self) -> Option<&Path> {
        self.fields.file.as_deref()
    }
    fn parsed(&self) -> Result<Overrides, Failure> {
        let f = self.fields;
        let mut o = Overrides::default();
        if !f.reasons.is_empty() {
            let mut reasons = Vec::new();
            for (i, r) in f.reasons.iter().enumerate() {
                let mut parts = r.splitn(3, ':');
                let kind = parts.next().unwrap_or("").trim();
                let reference = parts.next().unwrap_or("").trim();
                if kind.is_empty() || reference.is_empty() {
                    return Err(bad_input(
                        &format!("reasons[{i}]"),
                        format!("'{r}' is not written as KIND:REFERENCE[:NOTE]"),
                    ));
                }
                reasons.push(serde_json::json!({
                    "kind": kind,
                    "reference": reference,
                    "note": parts.next().unwrap_or("").trim(),
                }));
            }
            o.0.insert("reasons".into(), Value::Array(reasons));
        }
        if let Some(inh) = &f.inherit {
            let (supplier, cert) = inh.split_once(':').ok_or_else(|| {
                bad_input(
                    "inherit",
                    format!("'{inh}' is not written as SUPPLIER_ID:CERTIFICATE_ID"),
                )
            })?;
            o.0.insert(
                "inherited".into(),
                serde_json::json!({ "supplier_id": supplier.trim(), "certificate_id": cert.trim() }),
            );
        }
        Ok(o)
    }
}

fn print_control(v: &ControlView) {
    let d = &v.implementation.data;
    out::fields(&[
        ("Control", d.control.clone()),
        ("Title", d.title.clone()),
        ("Status", d.status.clone()),
        ("Owner", d.owner.clone()),
        ("Description", d.description.clone()),
        ("Justification", d.justification.clone()),
        (
            "Reasons",
            d.reasons
                .iter()
                .map(|r| format!("{}: {} {}", r.kind, r.reference, r.note))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "Inherited from",
            d.inherited
                .as_ref()
                .map(|i| {
                    format!(
                        "supplier {} (certificate {})",
                        i.supplier_id, i.certificate_id
                    )
                })
                .unwrap_or_default(),
        ),
        ("Evidence", d.evidence.join("\n")),
        ("Version", v.implementation.version.to_string()),
    ]);
    out::heading("Also covers (crosswalks)");
    out::table_of(
        &["framework", "ref", "title", "relation"],
        &v.also_covers,
        mapping_row,
    );
}

/// `aims control ...`.
pub async fn control(ctx: &Ctx, c: ControlCmd) -> CmdResult {
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        ControlCmd::List => {
            let list = app.controls(&ctx.actor, &org).await?;
            let headers = ["control", "title", "status", "owner", ""];
            out::list(ctx.format, &list, &headers, |c| {
                vec![
                    c.data.control.clone(),
                    c.data.title.clone(),
                    c.data.status.clone(),
                    c.data.owner.clone(),
                    if c.data.inherited.is_some() {
                        "inherited".into()
                    } else {
                        String::new()
                    },
                ]
            })
        }
        ControlCmd::Show { control } => {
            let v = app.control(&ctx.actor, &org, &control).await?;
            out::show(ctx.format, &v, print_control)
        }
        ControlCmd::Set {
            control,
            fields,
            if_version,
        } => {
            let current = match app.control(&ctx.actor, &org, &control).await {
                Ok(v) => Some(v.implementation),
                Err(aims_app::AppError::NotFound(_)) => None,
                Err(e) => return Err(e.into()),
            };
            let flags = ControlFlags {
                control: &control,
                fields: &fields,
            };
            let s = revise(current.as_ref(), &flags, if_version, async |d, v| {
                app.set_control(&ctx.actor, &org, d, v).await
            })
            .await?;
            done(
                ctx,
                &s,
                format!(
                    "Control {} recorded as {} (version {})",
                    s.data.control, s.data.status, s.version
                ),
            )
        }
        ControlCmd::History { control } => {
            let v = app.control(&ctx.actor, &org, &control).await?;
            print_history(ctx, &org, "control_implementation", &v.implementation.id).await
        }
    }
}

fn reasons_text(e: &SoaEntry) -> String {
    if !e.applicable {
        return e.justification.clone();
    }
    e.reasons
        .iter()
        .map(|r| format!("{}: {}", r.kind, r.label))
        .collect::<Vec<_>>()
        .join("; ")
}

fn print_changes(changes: &[SoaChange]) {
    let headers = ["subject", "ref", "title", "change", "fields"];
    out::table_of(&headers, changes, |c| {
        vec![
            c.subject.clone(),
            c.reference.clone(),
            c.title.clone(),
            c.change.clone(),
            c.fields
                .iter()
                .map(|f| format!("{}: {} -> {}", f.field, f.before, f.after))
                .collect::<Vec<_>>()
                .join("; "),
        ]
    });
}

fn print_soa(v: &SoaView) {
    let headers = [
        "control",
        "title",
        "applicable",
        "status",
        "owner",
        "reasons / justification",
        "problems",
    ];
    out::table_of(&headers, &v.entries, |e| {
        vec![
            e.control.clone(),
            e.title.clone(),
            match (e.applicable, e.decided) {
                (true, _) => "yes",
                (false, true) => "no",
                (false, false) => "undecided",
            }
            .into(),
            e.status.clone(),
            e.owner.clone(),
            reasons_text(e),
            e.problems.join("; "),
        ]
    });
    println!(
        "\n{} controls: {} applicable, {} excluded, {} undecided, {} with problems",
        v.summary.controls,
        v.summary.applicable,
        v.summary.excluded,
        v.summary.undecided,
        v.summary.with_problems
    );
    match v.approved_version {
        Some(n) if v.drift.is_empty() => {
            println!("Matches approved version {n}.")
        }
        Some(n) => {
            out::heading(&format!("Drift since approved version {n}"));
            print_changes(&v.drift);
        }
        None => println!("No approved version yet."),
    }
    if !v.hints.is_empty() {
        out::heading("Excluded controls to look at again");
        out::table_of(&["control", "why"], &v.hints, |h| {
            vec![h.control.clone(), h.message.clone()]
        });
    }
}

/// `aims soa ...`.
pub async fn soa(ctx: &Ctx, c: SoaCmd) -> CmdResult {
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        SoaCmd::Show {
            status,
            applicable,
            check,
        } => {
            let mut v = app.soa(&ctx.actor, &org).await?;
            let problems = v.summary.with_problems;
            let drifted = v.has_drift();
            if let Some(s) = &status {
                let s = aims_domain::vocab::ImplementationStatus::parse("status", s)
                    .map_err(aims_app::AppError::from)?;
                v.entries.retain(|e| e.status == s.as_str());
            }
            if let Some(a) = applicable {
                v.entries.retain(|e| e.applicable == a);
            }
            out::show(ctx.format, &v, print_soa)?;
            Ok(Outcome::of_check(!check || (problems == 0 && !drifted)))
        }
        SoaCmd::Approve { by, role, note } => {
            let approval = SoaApproval {
                approved_by: by,
                approver_role: role,
                note,
            };
            let s = app.approve_soa(&ctx.actor, &org, approval).await?;
            done(
                ctx,
                &s,
                format!(
                    "Statement of Applicability version {} approved by {} ({}): {} applicable, {} excluded",
                    s.data.number,
                    s.data.approved_by,
                    s.data.approver_role,
                    s.data.summary.applicable,
                    s.data.summary.excluded
                ),
            )
        }
        SoaCmd::Versions => {
            let list = app.soa_versions(&ctx.actor, &org).await?;
            let headers = [
                "version",
                "approved",
                "by",
                "applicable",
                "excluded",
                "note",
            ];
            out::list(ctx.format, &list, &headers, |v| {
                vec![
                    v.data.number.to_string(),
                    v.data.approved_at.clone(),
                    format!("{} ({})", v.data.approved_by, v.data.approver_role),
                    v.data.summary.applicable.to_string(),
                    v.data.summary.excluded.to_string(),
                    v.data.note.clone(),
                ]
            })
        }
        SoaCmd::Diff { from, to } => {
            let changes = app.soa_diff(&ctx.actor, &org, from, to).await?;
            out::show(ctx.format, changes.as_slice(), print_changes)
        }
    }
}
