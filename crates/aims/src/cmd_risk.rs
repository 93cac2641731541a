//! Risk management commands: `aims risk` (register, re-assessments, method) and `aims treatment`.

use crate::args_risk::{
    MethodCmd, RiskCmd, RiskFields, ScoreArgs, SignOff, SignOffWording, TreatmentCmd,
    TreatmentFields,
};
use crate::cmd_admin::print_history;
use crate::cmd_record::done;
use crate::input::{Flags, Overrides, build, from_flags, read_file, updated};
use crate::out;
use crate::{CmdResult, Ctx, Failure, bad_input};
use aims_app::Stored;
use aims_app::risks::RiskFilter;
use aims_app::risks::{AcceptResidualRisk, AssessRisk};
use aims_domain::risk::{
    Acceptance, AssessedLevels, Risk, RiskAssessment, RiskMethod, Score, Treatment,
};
use serde_json::Value;
use std::path::Path;

/// Parses LIKELIHOOD:IMPACT.
fn score(field: &str, s: &str) -> Result<Score, Failure> {
    let bad = || {
        bad_input(
            field,
            format!("'{s}' is not a score written as LIKELIHOOD:IMPACT, e.g. 3:4"),
        )
    };
    let (l, i) = s.split_once(':').ok_or_else(bad)?;
    Ok(Score {
        likelihood: l.trim().parse().map_err(|_| bad())?,
        impact: i.trim().parse().map_err(|_| bad())?,
    })
}

fn assessment(
    ctx: &Ctx,
    inherent: &str,
    current: Option<&str>,
    residual: Option<&str>,
) -> Result<RiskAssessment, Failure> {
    let inherent = score("inherent", inherent)?;
    let current = current.map_or(Ok(inherent), |c| score("current", c))?;
    let residual = residual.map_or(Ok(current), |r| score("residual", r))?;
    Ok(RiskAssessment {
        date: aims_app::today(),
        assessor: ctx.actor.label.clone(),
        method_version: 0,
        inherent,
        current,
        residual,
        levels: AssessedLevels::default(),
        dimensions: vec![],
        note: String::new(),
    })
}

/// The assessment the flags describe, `None` when they describe none; scores or notes without `--inherent` are
/// refused.
fn scored(ctx: &Ctx, s: &ScoreArgs) -> Result<Option<RiskAssessment>, Failure> {
    let Some(inherent) = &s.inherent else {
        let other = [&s.current, &s.residual, &s.date, &s.assessor, &s.note];
        if other.iter().any(|o| o.is_some()) || !s.dimensions.is_empty() {
            return Err(bad_input(
                "inherent",
                "give the inherent score with --inherent when giving other parts of an assessment",
            ));
        }
        return Ok(None);
    };
    let mut a = assessment(ctx, inherent, s.current.as_deref(), s.residual.as_deref())?;
    if let Some(d) = &s.date {
        a.date = d.clone();
    }
    if let Some(x) = &s.assessor {
        a.assessor = x.clone();
    }
    a.dimensions = s.dimensions.clone();
    a.note = s.note.clone().unwrap_or_default();
    Ok(Some(a))
}

impl Flags for RiskFields {
    fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }
}

fn level(a: Option<&RiskAssessment>, which: fn(&AssessedLevels) -> &String) -> String {
    a.map(|a| which(&a.levels).clone()).unwrap_or_default()
}

const RISK_HEADERS: &[&str] = &[
    "id", "title", "status", "inherent", "residual", "owner", "review",
];

fn risk_row(r: &Stored<Risk>) -> Vec<String> {
    let a = r.data.latest();
    vec![
        r.id.to_string(),
        r.data.title.clone(),
        r.data.status.clone(),
        level(a, |l| &l.inherent),
        level(a, |l| &l.residual),
        r.data.owner.clone(),
        r.data.review_date.clone(),
    ]
}

fn print_method(m: &RiskMethod) {
    out::fields(&[
        ("Method", m.name.clone()),
        ("Version", m.number.to_string()),
        ("Risk appetite", m.appetite.clone()),
        ("Impact dimensions", m.impact_dimensions.join(", ")),
        ("Note", m.note.clone()),
    ]);
    out::heading("Matrix (rows: likelihood, columns: impact)");
    let mut headers: Vec<String> = vec!["likelihood".into()];
    headers.extend(
        m.impact
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{} {}", i + 1, p.label)),
    );
    let rows: Vec<Vec<String>> = m
        .matrix
        .iter()
        .enumerate()
        .rev()
        .map(|(l, row)| {
            let mut r = vec![format!(
                "{} {}",
                l + 1,
                m.likelihood.get(l).map_or("", |p| p.label.as_str())
            )];
            r.extend(row.iter().cloned());
            r
        })
        .collect();
    let h: Vec<&str> = headers.iter().map(String::as_str).collect();
    out::table(&h, &rows);
}

/// What `risk show --format json` prints: the risk and its treatment plans.
#[derive(serde::Serialize)]
struct RiskView<'a> {
    risk: &'a Stored<Risk>,
    treatments: &'a [Stored<Treatment>],
}

fn print_risk(r: &Stored<Risk>, plans: &[Stored<Treatment>]) {
    out::fields(&[
        ("Id", r.id.to_string()),
        ("Title", r.data.title.clone()),
        ("Status", r.data.status.clone()),
        ("Owner", r.data.owner.clone()),
        ("Review date", r.data.review_date.clone()),
        ("AI systems", r.data.system_ids.join(", ")),
        ("Sources", r.data.sources.join(", ")),
        ("Objectives", r.data.objectives.join(", ")),
        ("Raised from", r.data.raised_from.join(", ")),
        ("Description", r.data.description.clone()),
        ("Version", r.version.to_string()),
    ]);
    out::heading("Assessments");
    let s = |x: &Score, l: &str| format!("{}:{} {l}", x.likelihood, x.impact);
    out::table_of(
        &[
            "date", "method", "inherent", "current", "residual", "assessor",
        ],
        &r.data.assessments,
        |a| {
            vec![
                a.date.clone(),
                a.method_version.to_string(),
                s(&a.inherent, &a.levels.inherent),
                s(&a.current, &a.levels.current),
                s(&a.residual, &a.levels.residual),
                a.assessor.clone(),
            ]
        },
    );
    out::heading("Treatment plans");
    out::table_of(PLAN_HEADERS, plans, plan_row);
}

/// `aims risk ...`.
pub async fn risk(ctx: &Ctx, c: RiskCmd) -> CmdResult {
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        RiskCmd::Add(f) => {
            let mut r: Risk = from_flags(None, &f)?;
            if let Some(a) = scored(ctx, &f.scores)? {
                r.assessments = vec![a];
            }
            let s = app.create_record(&ctx.actor, &org, r).await?;
            done(ctx, &s, format!("Added risk {} \"{}\"", s.id, s.data.title))
        }
        RiskCmd::List {
            system,
            status,
            search,
        } => {
            let filter = RiskFilter {
                system_id: system,
                status,
                search,
            };
            let list = app.risks(&ctx.actor, &org, &filter).await?;
            out::list(ctx.format, &list, RISK_HEADERS, risk_row)
        }
        RiskCmd::Show { id } => {
            let risk = app.get_record::<Risk>(&ctx.actor, &org, &id).await?;
            let treatments = app.treatments(&ctx.actor, &org, Some(&risk.id)).await?;
            let view = RiskView {
                risk: &risk,
                treatments: &treatments,
            };
            out::show(ctx.format, &view, |v| print_risk(v.risk, v.treatments))
        }
        RiskCmd::Update(u) => {
            if u.fields.scores.inherent.is_some() {
                return Err(bad_input(
                    "inherent",
                    "assessments are never rewritten; add one with `aims risk assess`",
                ));
            }
            let current = app.get_record::<Risk>(&ctx.actor, &org, &u.id).await?;
            updated(ctx, "risk", &current, &u, async |d, v| {
                app.update_record(&ctx.actor, &org, &current.id, v, d).await
            })
            .await
        }
        RiskCmd::Assess {
            id,
            scores,
            if_version,
        } => {
            let a = scored(ctx, &scores)?
                .ok_or_else(|| bad_input("inherent", "give the inherent score with --inherent"))?;
            let s = app
                .step::<AssessRisk>(&ctx.actor, &org, &id, if_version, a)
                .await?;
            let l = s
                .data
                .latest()
                .map(|a| a.levels.clone())
                .unwrap_or_default();
            done(
                ctx,
                &s,
                format!(
                    "Assessed risk {}: inherent {}, current {}, residual {}",
                    s.id, l.inherent, l.current, l.residual
                ),
            )
        }
        RiskCmd::History { id } => print_history(ctx, &org, "risk", &id).await,
        RiskCmd::Method(m) => method(ctx, &org, m).await,
    }
}

async fn method(ctx: &Ctx, org: &aims_app::OrgId, c: MethodCmd) -> CmdResult {
    let app = &ctx.app;
    match c {
        MethodCmd::Show => {
            let m = app.risk_method(&ctx.actor, org).await?;
            out::show(ctx.format, &m, print_method)
        }
        MethodCmd::Set { file } => {
            let mut obj = read_file(&file)?;
            obj.remove("number");
            let m: RiskMethod = build(None, None, Overrides(obj))?;
            let s = app.save_risk_method(&ctx.actor, org, m).await?;
            done(
                ctx,
                &s,
                format!("Saved risk method version {}", s.data.number),
            )
        }
        MethodCmd::Versions => {
            let list = app.risk_methods(&ctx.actor, org).await?;
            out::list(
                ctx.format,
                &list,
                &["version", "name", "size", "appetite", "saved"],
                |m| {
                    vec![
                        m.data.number.to_string(),
                        m.data.name.clone(),
                        format!("{}x{}", m.data.likelihood.len(), m.data.impact.len()),
                        m.data.appetite.clone(),
                        m.created_at.clone(),
                    ]
                },
            )
        }
    }
}

const PLAN_HEADERS: &[&str] = &["id", "option", "controls", "status", "accepted by"];

fn plan_row(t: &Stored<Treatment>) -> Vec<String> {
    vec![
        t.id.to_string(),
        t.data.option.clone(),
        t.data.controls.join(", "),
        t.data.status.clone(),
        t.data
            .acceptance
            .as_ref()
            .map(|a| format!("{} ({}), {}", a.by, a.role, a.date))
            .unwrap_or_default(),
    ]
}

impl Flags for TreatmentFields {
    fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }
    fn parsed(&self) -> Result<Overrides, Failure> {
        let mut o = Overrides::default();
        if !self.tasks.is_empty() {
            let tasks: Vec<Value> = self
                .tasks
                .iter()
                .map(|t| {
                    let mut parts = t.splitn(3, '|').map(str::trim);
                    serde_json::json!({
                        "title": parts.next().unwrap_or(""),
                        "owner": parts.next().unwrap_or(""),
                        "due": parts.next().unwrap_or(""),
                    })
                })
                .collect();
            o.0.insert("tasks".into(), Value::Array(tasks));
        }
        Ok(o)
    }
}

/// The acceptance (or approval) a sign-off records; the date defaults to today.
pub fn acceptance<W: SignOffWording + Send + Sync + 'static>(a: SignOff<W>) -> Acceptance {
    Acceptance {
        by: a.by,
        role: a.role,
        date: a.date.unwrap_or_else(aims_app::today),
        rationale: a.rationale,
        recorded_by: String::new(),
    }
}

fn print_treatment(t: &Stored<Treatment>) {
    out::fields(&[
        ("Id", t.id.to_string()),
        ("Risk", t.data.risk_id.clone()),
        ("Option", t.data.option.clone()),
        ("Status", t.data.status.clone()),
        ("Controls", t.data.controls.join(", ")),
        ("Description", t.data.description.clone()),
        (
            "Accepted",
            t.data
                .acceptance
                .as_ref()
                .map(|a| format!("{} ({}) on {}: {}", a.by, a.role, a.date, a.rationale))
                .unwrap_or_default(),
        ),
        ("Version", t.version.to_string()),
    ]);
    out::heading("Tasks");
    out::table_of(&["task", "owner", "due", "status"], &t.data.tasks, |k| {
        vec![
            k.title.clone(),
            k.owner.clone(),
            k.due.clone(),
            k.status.clone(),
        ]
    });
}

/// `aims treatment ...`.
pub async fn treatment(ctx: &Ctx, c: TreatmentCmd) -> CmdResult {
    let org = ctx.org_id().await?;
    let app = &ctx.app;
    match c {
        TreatmentCmd::Add(f) => {
            let t: Treatment = from_flags(None, &f)?;
            let s = app.create_record(&ctx.actor, &org, t).await?;
            done(
                ctx,
                &s,
                format!(
                    "Added treatment plan {} for risk {} ({}: {})",
                    s.id,
                    s.data.risk_id,
                    s.data.option,
                    s.data.controls.join(", ")
                ),
            )
        }
        TreatmentCmd::List { risk } => {
            let list = app.treatments(&ctx.actor, &org, risk.as_deref()).await?;
            out::list(ctx.format, &list, PLAN_HEADERS, plan_row)
        }
        TreatmentCmd::Show { id } => {
            let t = app.get_record::<Treatment>(&ctx.actor, &org, &id).await?;
            out::show(ctx.format, &t, print_treatment)
        }
        TreatmentCmd::Update(u) => {
            let current = app.get_record::<Treatment>(&ctx.actor, &org, &u.id).await?;
            updated(ctx, "treatment plan", &current, &u, async |d, v| {
                app.update_record(&ctx.actor, &org, &current.id, v, d).await
            })
            .await
        }
        TreatmentCmd::Accept(a) => {
            let id = a.id.clone();
            let s = app
                .step::<AcceptResidualRisk>(&ctx.actor, &org, &id, None, acceptance(a))
                .await?;
            done(ctx, &s, format!("Residual risk of plan {} accepted", s.id))
        }
        TreatmentCmd::History { id } => print_history(ctx, &org, "treatment", &id).await,
    }
}
