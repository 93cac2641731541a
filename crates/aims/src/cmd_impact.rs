//! Impact assessment and classification commands: `aims impact` and `aims classify`.

use crate::args_risk::{ClassifyArgs, ImpactCmd, ImpactFields};
use crate::cmd_admin::print_history;
use crate::cmd_risk::done;
use crate::input::{Overrides, build, read_file};
use crate::out::{self, Format};
use crate::{CmdResult, Ctx, Outcome, bad_input};
use aims_app::Stored;
use aims_domain::classification::{Answers, ClassificationRecord};
use aims_domain::impact::ImpactAssessment;
use aims_domain::risk::Acceptance;
use serde_json::Value;

fn impact_overrides(f: &ImpactFields) -> Overrides {
    let mut o = Overrides::default();
    o.text("system_id", &f.system)
        .text("title", &f.title)
        .text("template", &f.template)
        .text("system_version", &f.system_version)
        .text("next_review", &f.next_review);
    o
}

fn print_impact(a: &Stored<ImpactAssessment>) {
    let d = &a.data;
    out::fields(&[
        ("Id", a.id.clone()),
        ("Title", d.title.clone()),
        ("AI system", d.system_id.clone()),
        ("System version", d.system_version.clone()),
        ("Template", d.template.clone()),
        ("Status", d.status.clone()),
        ("Scope", d.scope.clone()),
        ("System", d.system_info.clone()),
        ("Data", d.data_info.clone()),
        ("Model", d.model_info.clone()),
        ("Deployment", d.deployment_context.clone()),
        ("Human oversight", d.human_oversight.clone()),
        ("Triggers", d.triggers.join(", ")),
        ("Next review", d.next_review.clone()),
        (
            "Approved",
            d.approval
                .as_ref()
                .map(|x| format!("{} ({}) on {}: {}", x.by, x.role, x.date, x.rationale))
                .unwrap_or_default(),
        ),
        ("Version", a.version.to_string()),
    ]);
    out::heading("Affected");
    let rows: Vec<Vec<String>> = d
        .affected
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.kind.clone(),
                if p.vulnerable { "vulnerable" } else { "" }.into(),
                p.note.clone(),
            ]
        })
        .collect();
    out::table(&["who", "kind", "", "note"], &rows);
    out::heading("Impacts");
    let rows: Vec<Vec<String>> = d
        .impacts
        .iter()
        .map(|m| {
            vec![
                m.area.clone(),
                m.nature.clone(),
                format!("{}:{}", m.likelihood, m.severity),
                m.reversibility.clone(),
                m.controls.join(", "),
                m.risk_id.clone(),
                m.description.clone(),
            ]
        })
        .collect();
    out::table(
        &[
            "area",
            "nature",
            "L:S",
            "reversibility",
            "controls",
            "risk",
            "description",
        ],
        &rows,
    );
    if !d.answers.is_empty() {
        out::heading("Template questions");
        let pairs: Vec<(&str, String)> = d
            .answers
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        out::fields(&pairs);
    }
}

/// `aims impact ...`.
pub async fn impact(ctx: &Ctx, c: ImpactCmd) -> CmdResult {
    if let ImpactCmd::Templates = c {
        let t = aims_app::impact::templates()?;
        if ctx.format == Format::Json {
            out::json(&t)?;
        } else {
            for t in &t {
                out::heading(&format!("{} — {}", t.id, t.name));
                println!("{}", t.description);
                let mut rows: Vec<Vec<String>> = t
                    .sections
                    .iter()
                    .map(|s| vec![s.field.clone(), s.title.clone(), s.help.clone()])
                    .collect();
                rows.extend(t.questions.iter().map(|q| {
                    vec![
                        format!("answers.{}", q.id),
                        q.title.clone(),
                        if q.provision.is_empty() {
                            q.help.clone()
                        } else {
                            format!("{} ({})", q.help, q.provision)
                        },
                    ]
                }));
                out::table(&["field", "step", "what to write"], &rows);
            }
        }
        return Ok(Outcome::Ok);
    }
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        ImpactCmd::Add(f) => {
            let a: ImpactAssessment = build(None, f.file.as_deref(), impact_overrides(&f))?;
            let s = app.create_impact(&ctx.actor, &org, a).await?;
            let raised: Vec<&str> = s
                .data
                .impacts
                .iter()
                .filter(|m| !m.risk_id.is_empty())
                .map(|m| m.risk_id.as_str())
                .collect();
            done(
                ctx,
                &s,
                format!(
                    "Added impact assessment {} \"{}\"{}",
                    s.id,
                    s.data.title,
                    if raised.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; harms above the risk appetite are tracked as risks {}",
                            raised.join(", ")
                        )
                    }
                ),
            )
        }
        ImpactCmd::List { system } => {
            let list = app.impacts(&ctx.actor, &org, system.as_deref()).await?;
            if ctx.format == Format::Json {
                out::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|a| {
                        vec![
                            a.id.clone(),
                            a.data.title.clone(),
                            a.data.template.clone(),
                            a.data.status.clone(),
                            a.data
                                .impacts
                                .iter()
                                .filter(|m| m.is_harm())
                                .count()
                                .to_string(),
                            a.data.next_review.clone(),
                        ]
                    })
                    .collect();
                out::table(
                    &["id", "title", "template", "status", "harms", "next review"],
                    &rows,
                );
            }
            Ok(Outcome::Ok)
        }
        ImpactCmd::Show { id } => {
            let a = app.impact(&ctx.actor, &org, &id).await?;
            if ctx.format == Format::Json {
                out::json(&a)?;
            } else {
                print_impact(&a);
            }
            Ok(Outcome::Ok)
        }
        ImpactCmd::Update {
            id,
            fields,
            if_version,
        } => {
            let current = app.impact(&ctx.actor, &org, &id).await?;
            let data: ImpactAssessment = build(
                Some(&current.data),
                fields.file.as_deref(),
                impact_overrides(&fields),
            )?;
            let s = app
                .update_impact(
                    &ctx.actor,
                    &org,
                    &current.id,
                    if_version.or(Some(current.version)),
                    data,
                )
                .await?;
            done(
                ctx,
                &s,
                format!("Updated impact assessment {} (version {})", s.id, s.version),
            )
        }
        ImpactCmd::Approve {
            id,
            by,
            role,
            rationale,
            date,
        } => {
            let a = Acceptance {
                by,
                role,
                date: date.unwrap_or_else(aims_app::today),
                rationale,
                recorded_by: String::new(),
            };
            let s = app.approve_impact(&ctx.actor, &org, &id, None, a).await?;
            done(ctx, &s, format!("Impact assessment {} approved", s.id))
        }
        ImpactCmd::History { id } => print_history(ctx, &org, "impact_assessment", &id).await,
        ImpactCmd::Templates => Ok(Outcome::Ok),
    }
}

fn print_classification(c: &Stored<ClassificationRecord>) {
    let r = &c.data.result;
    out::fields(&[
        ("AI system", c.data.system_id.clone()),
        ("Role", c.data.role.clone()),
        ("Risk class", r.risk_class.to_string()),
        ("Annex III areas", r.annex_iii_areas.join(", ")),
        ("Transparency duties", r.transparency.join(", ")),
        (
            "Questionnaire version",
            c.data.questionnaire_version.to_string(),
        ),
        ("Classified by", c.data.assessor.clone()),
        ("Updated", c.updated_at.clone()),
    ]);
    out::heading("Reasons");
    let rows: Vec<Vec<String>> = r
        .reasons
        .iter()
        .map(|x| vec![x.provision.clone(), x.text.clone()])
        .collect();
    out::table(&["provision", "reason"], &rows);
    out::heading("Obligations");
    let rows: Vec<Vec<String>> = r
        .obligations
        .iter()
        .map(|o| vec![o.provision.clone(), o.note.clone()])
        .collect();
    out::table(&["provision", "what to do"], &rows);
}

/// Parses `ID=VALUE` answers: yes/no/true/false, or comma-separated choices.
fn answer_overrides(items: &[String]) -> Result<serde_json::Map<String, Value>, crate::Failure> {
    let mut m = serde_json::Map::new();
    for item in items {
        let (k, v) = item
            .split_once('=')
            .ok_or_else(|| bad_input("answer", format!("'{item}' is not written as ID=VALUE")))?;
        let v = v.trim();
        let value = match v.to_ascii_lowercase().as_str() {
            "yes" | "true" => Value::Bool(true),
            "no" | "false" => Value::Bool(false),
            _ => Value::Array(
                v.split(',')
                    .map(|s| Value::String(s.trim().to_string()))
                    .filter(|s| s.as_str() != Some(""))
                    .collect(),
            ),
        };
        m.insert(k.trim().to_string(), value);
    }
    Ok(m)
}

/// `aims classify SYSTEM`.
pub async fn classify(ctx: &Ctx, a: ClassifyArgs) -> CmdResult {
    if a.questions {
        let q = aims_app::classify::questionnaire()?;
        if ctx.format == Format::Json {
            out::json(&q)?;
        } else {
            let rows: Vec<Vec<String>> = q
                .questions
                .iter()
                .map(|x| {
                    let kind = if x.options.is_empty() {
                        "yes/no".to_string()
                    } else {
                        x.options
                            .iter()
                            .map(|o| o.value.clone())
                            .collect::<Vec<_>>()
                            .join(" | ")
                    };
                    vec![
                        x.id.clone(),
                        x.section.clone(),
                        x.provision.clone(),
                        kind,
                        x.text.clone(),
                    ]
                })
                .collect();
            out::table(&["id", "section", "provision", "answer", "question"], &rows);
        }
        return Ok(Outcome::Ok);
    }
    let Some(system) = a.system else {
        return Err(bad_input(
            "system",
            "name the AI system to classify (or use --questions to see the questionnaire)",
        ));
    };
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    if a.answers.is_none() && a.answer.is_empty() {
        return match app.classification(&ctx.actor, &org, &system).await? {
            Some(c) => {
                if ctx.format == Format::Json {
                    out::json(&c)?;
                } else {
                    print_classification(&c);
                }
                Ok(Outcome::Ok)
            }
            None => Err(bad_input(
                "answers",
                "this AI system is not classified yet; give answers with --answers FILE or --answer ID=VALUE (see --questions)",
            )),
        };
    }
    let mut obj = match &a.answers {
        Some(p) => read_file(p)?,
        None => serde_json::Map::new(),
    };
    obj.extend(answer_overrides(&a.answer)?);
    let answers: Answers = serde_json::from_value(Value::Object(obj))
        .map_err(|e| bad_input("answers", e.to_string()))?;
    let c = app
        .classify_system(&ctx.actor, &org, &system, a.role.as_deref(), answers)
        .await?;
    if ctx.format == Format::Json {
        out::json(&c)?;
    } else {
        print_classification(&c);
    }
    Ok(Outcome::Ok)
}
