//! Impact assessment and classification commands: `aims impact` and `aims classify`.

use crate::args_risk::{ClassifyArgs, ImpactCmd, ImpactFields};
use crate::cmd_admin::print_history;
use crate::cmd_record::done;
use crate::cmd_risk::acceptance;
use crate::input::{Flags, from_flags, read_file, updated};
use crate::out;
use crate::{CmdResult, Ctx, bad_input};
use aims_app::Stored;
use aims_app::impact::ApproveImpact;
use aims_catalog::templates::ImpactTemplate;
use aims_domain::classification::{Answers, ClassificationRecord};
use aims_domain::impact::ImpactAssessment;
use serde_json::Value;
use std::path::Path;

impl Flags for ImpactFields {
    fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }
}

fn print_impact(a: &Stored<ImpactAssessment>) {
    let d = &a.data;
    out::fields(&[
        ("Id", a.id.to_string()),
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
    out::table_of(&["who", "kind", "", "note"], &d.affected, |p| {
        vec![
            p.name.clone(),
            p.kind.clone(),
            if p.vulnerable { "vulnerable" } else { "" }.into(),
            p.note.clone(),
        ]
    });
    out::heading("Impacts");
    let headers = [
        "area",
        "nature",
        "L:S",
        "reversibility",
        "controls",
        "risk",
        "description",
    ];
    out::table_of(&headers, &d.impacts, |m| {
        vec![
            m.area.clone(),
            m.nature.clone(),
            format!("{}:{}", m.likelihood, m.severity),
            m.reversibility.clone(),
            m.controls.join(", "),
            m.risk_id.clone(),
            m.description.clone(),
        ]
    });
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

fn print_templates(templates: &[ImpactTemplate]) {
    for t in templates {
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

/// `aims impact ...`.
pub async fn impact(ctx: &Ctx, c: ImpactCmd) -> CmdResult {
    if let ImpactCmd::Templates = c {
        let templates = aims_app::impact::templates()?;
        return out::show(ctx.format, templates.as_slice(), print_templates);
    }
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        ImpactCmd::Add(f) => {
            let a: ImpactAssessment = from_flags(None, &f)?;
            let s = app.create_record(&ctx.actor, &org, a).await?;
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
            let headers = ["id", "title", "template", "status", "harms", "next review"];
            out::list(ctx.format, &list, &headers, |a| {
                vec![
                    a.id.to_string(),
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
        }
        ImpactCmd::Show { id } => {
            let a = app
                .get_record::<ImpactAssessment>(&ctx.actor, &org, &id)
                .await?;
            out::show(ctx.format, &a, print_impact)
        }
        ImpactCmd::Update(u) => {
            let current = app
                .get_record::<ImpactAssessment>(&ctx.actor, &org, &u.id)
                .await?;
            updated(ctx, "impact assessment", &current, &u, async |d, v| {
                app.update_record(&ctx.actor, &org, &current.id, v, d).await
            })
            .await
        }
        ImpactCmd::Approve(a) => {
            let id = a.id.clone();
            let s = app
                .step::<ApproveImpact>(&ctx.actor, &org, &id, None, acceptance(a))
                .await?;
            done(ctx, &s, format!("Impact assessment {} approved", s.id))
        }
        ImpactCmd::History { id } => print_history(ctx, &org, "impact_assessment", &id).await,
        ImpactCmd::Templates => Ok(crate::Outcome::Ok),
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
    out::table_of(&["provision", "reason"], &r.reasons, |x| {
        vec![x.provision.clone(), x.text.clone()]
    });
    out::heading("Obligations");
    out::table_of(&["provision", "what to do"], &r.obligations, |o| {
        vec![o.provision.clone(), o.note.clone()]
    });
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
        let headers = ["id", "section", "provision", "answer", "question"];
        return out::show(ctx.format, &q, |q| {
            out::table_of(&headers, &q.questions, |x| {
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
                    x.id.to_string(),
                    x.section.clone(),
                    x.provision.clone(),
                    kind,
                    x.text.clone(),
                ]
            })
        });
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
        return match app
            .classification(&ctx.actor, &org, &system.as_str().into())
            .await?
        {
            Some(c) => out::show(ctx.format, &c, print_classification),
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
        .classify_system(
            &ctx.actor,
            &org,
            &system.as_str().into(),
            a.role.as_deref(),
            answers,
        )
        .await?;
    out::show(ctx.format, &c, print_classification)
}
