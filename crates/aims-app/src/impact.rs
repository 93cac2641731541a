//! AI system impact assessment use cases (6.1.4, 8.4, A.5): create and revise a draft, approve it (earlier
//! approved assessments of the same system are superseded), and send every harm above the risk appetite to the
//! risk register in the same transaction.

use crate::OrgId;
use crate::kit::{Field, FieldKind, Record, RecordDef, Step, StepDef, Target, def_with_own_faces};
use crate::records::{OrgWrite, Paging, Stored};
use crate::risks::{current_method, known_controls};
use crate::{Actor, App, AppError, Permission};
use aims_catalog::templates::ImpactTemplate;
use aims_domain::ValidationError;
use aims_domain::impact::ImpactAssessment;
use aims_domain::inventory::AiSystem;
use aims_domain::risk::{Acceptance, AssessedLevels, Risk, RiskAssessment, RiskMethod};
use aims_domain::vocab::{AssessmentStatus, RiskStatus};
use aims_store::spec::{AI_SYSTEMS, IMPACT_ASSESSMENTS, RISKS};
use aims_store::value::Value;
use aims_store::{ListQuery, OrderKey};

/// Approving a draft assessment (managers and admins): earlier approved assessments of the same system become
/// superseded.
pub struct ApproveImpact;

impl Step for ApproveImpact {
    type Record = ImpactAssessment;
    type Input = Acceptance;
    const DEF: &'static StepDef = &StepDef {
        segment: "approval",
        operation: "approve_impact_assessment",
        about: "Approve a draft assessment (managers and admins); earlier approved assessments of the same \
                system become `superseded`.",
        permission: Permission::Approve,
        done: "The approved assessment",
        invalid: "No approver, role or rationale, a bad date, or the id is not a UUID; `details` names every \
                  field",
        conflict: "The assessment is not a draft (already approved or superseded)",
    };
    async fn apply(
        w: &mut OrgWrite,
        actor: &Actor,
        current: &mut Stored<ImpactAssessment>,
        mut approval: Acceptance,
    ) -> Result<(), AppError> {
        let mut errs = ValidationError::default();
        approval.validate("approval", &mut errs);
        errs.into_result()?;
        approval.recorded_by = actor.label.clone();
        if current.data.status != AssessmentStatus::Draft.as_str() {
            return Err(AppError::Conflict(format!(
                "this assessment is already {}",
                current.data.status
            )));
        }
        let q = ListQuery {
            filters: vec![
                ("system_id", Value::Text(current.data.system_id.clone())),
                (
                    "status",
                    Value::Text(AssessmentStatus::Approved.as_str().into()),
                ),
            ],
            ..ListQuery::default()
        };
        let approved: Vec<Stored<ImpactAssessment>> = w.select(&IMPACT_ASSESSMENTS, &q).await?;
        for mut old in approved {
            old.data.status = AssessmentStatus::Superseded.as_str().into();
            w.update(&IMPACT_ASSESSMENTS, &old.id, Some(old.version), &old.data)
                .await?;
        }
        current.data.status = AssessmentStatus::Approved.as_str().into();
        current.data.approval = Some(approval);
        Ok(())
    }
}

/// Filters and page of the impact assessment list.
#[derive(Debug, Clone, Default)]
pub struct ImpactListQuery {
    /// Only assessments of this AI system.
    pub system_id: Option<String>,
    /// Only assessments with this status.
    pub status: Option<String>,
    /// Case-insensitive text in the title or the AI system's name.
    pub search: Option<String>,
    /// Id of the last assessment of the previous page.
    pub after: Option<String>,
    /// Page size (1 to 200).
    pub limit: i64,
}

/// One page of the impact assessment list, with the number of assessments matching its filters.
#[derive(Debug, Clone)]
pub struct ImpactListPage {
    /// The assessments of the page, by AI system name and newest first within a system.
    pub items: Vec<Stored<ImpactAssessment>>,
    /// Cursor of the next page, when there is one.
    pub next: Option<String>,
    /// Assessments matching the filters, on every page (from an aggregate query).
    pub total: i64,
}

/// The impact-assessment templates shipped with aims.
pub fn templates() -> Result<Vec<ImpactTemplate>, AppError> {
    aims_catalog::templates::impact_templates()
        .map_err(|e| AppError::Store(aims_store::StoreError::Database(e.to_string())))
}

fn template(id: &str) -> Result<ImpactTemplate, AppError> {
    let all = templates()?;
    let ids: Vec<String> = all.iter().map(|t| t.id.clone()).collect();
    all.into_iter().find(|t| t.id == id).ok_or_else(|| {
        ValidationError::one(
            "template",
            format!(
                "unknown template '{id}'; expected one of: {}",
                ids.join(", ")
            ),
        )
        .into()
    })
}

/// Validates an assessment, checks its system and linked risks, and raises a register risk for every harm above
/// the risk appetite that is not linked to one yet.
async fn prepare(w: &mut OrgWrite, a: &mut ImpactAssessment, id: &str) -> Result<(), AppError> {
    let org = w.org().clone();
    let t = template(&a.template)?;
    let questions: Vec<String> = t.questions.iter().map(|q| q.id.clone()).collect();
    let method = current_method(w).await?;
    let (_, known) = known_controls(w, &org).await?;
    a.normalise_and_validate(&method, &known, &questions)?;
    let system: Stored<AiSystem> = match w.get(&AI_SYSTEMS, &a.system_id).await {
        Err(AppError::NotFound(_)) => {
            return Err(ValidationError::one(
                "system_id",
                format!("no AI system with id {} in this organization", a.system_id),
            )
            .into());
        }
        r => r?,
    };
    let links = (a.impacts.iter().enumerate())
        .map(|(i, m)| (format!("impacts[{i}].risk_id"), m.risk_id.clone()))
        .collect();
    w.check_links(&RISKS, "risk", links).await?;
    for i in a.harms_above_appetite(&method) {
        let link = format!("{id}#{i}");
        if a.impacts[i].risk_id.is_empty() {
            let risk = risk_from_harm(a, i, &system, &method, &link);
            let s = w.insert(&RISKS, &risk).await?;
            a.impacts[i].risk_id = s.id.into();
        } else {
            let mut r: Stored<Risk> = w.get(&RISKS, &a.impacts[i].risk_id).await?;
            if !r.data.raised_from.contains(&link) {
                r.data.raised_from.push(link);
                w.update(&RISKS, &r.id, Some(r.version), &r.data).await?;
            }
        }
    }
    Ok(())
}

fn risk_from_harm(
    a: &ImpactAssessment,
    i: usize,
    system: &Stored<AiSystem>,
    method: &RiskMethod,
    link: &str,
) -> Risk {
    let m = &a.impacts[i];
    let score = m.score();
    let level = method
        .level_of(&score)
        .map(|l| l.id.clone())
        .unwrap_or_default();
    let mut title = format!("{}: {} harm", system.data.name, m.area.replace('_', " "));
    if title.chars().count() > 180 {
        title = title.chars().take(180).collect();
    }
    Risk {
        title,
        description: m.description.clone(),
        system_ids: vec![system.id.to_string()],
        sources: vec![],
        objectives: vec![],
        owner: system.data.owner.clone(),
        review_date: a.next_review.clone(),
        status: RiskStatus::Open.as_str().into(),
        raised_from: vec![link.to_string()],
        assessments: vec![RiskAssessment {
            date: crate::today(),
            assessor: format!("impact assessment '{}'", a.title),
            method_version: method.number,
            inherent: score,
            current: score,
            residual: score,
            levels: AssessedLevels {
                inherent: level.clone(),
                current: level.clone(),
                residual: level,
            },
            dimensions: vec![],
            note: "Raised from a harm above the risk appetite; scores are the harm's severity and likelihood until the risk owner assesses it.".into(),
        }],
    }
}

/// Impact assessments are kit records for creating, reading, listing and revising a draft; their approval, their
/// pages (the list there is ordered by AI system name) and their CLI noun are their own.
impl Record for ImpactAssessment {
    const DEF: &'static RecordDef = def_with_own_faces! {
        spec: &IMPACT_ASSESSMENTS, singular: "impact assessment", plural: "impact assessments",
        path: "impact-assessments", noun: "impact", area: "impacts", tag: "impact", title: "title",
        about: "AI system impact assessments (6.1.4, 8.4): the harms and benefits a system can bring to people \
                and society, assessed against a template and approved by management. An assessment starts as a \
                draft; every harm above the risk appetite that names no register risk gets one, linked back in \
                `impacts[i].risk_id`.",
        rules: "not a draft, an unknown system, template, control or risk, a score outside the scales, \
                another system on replace",
        kept: "Only a draft is revised; approve it with `POST /api/v1/impact-assessments/{id}/approval` \
               and start a new assessment for the next system version.",
        fields: &[Field::text("system_id", "AI system", "The AI system assessed.")
            .kind(FieldKind::Link("AI system"))],
        filters: &["system_id"]
    };
    /// A new assessment starts as a draft; only a draft is revised, never into an approval and never for
    /// another system. Harms above the risk appetite become register risks in the same transaction.
    async fn check(&mut self, w: &mut OrgWrite, at: &Target<'_, Self>) -> Result<(), AppError> {
        let approving = self.status != AssessmentStatus::Draft.as_str() || self.approval.is_some();
        match at.current {
            None if approving => {
                return Err(ValidationError::one(
                    "status",
                    "a new assessment starts as a draft; approve it with the approve step",
                )
                .into());
            }
            Some(c) if c.data.status != AssessmentStatus::Draft.as_str() => {
                return Err(ValidationError::one(
                    "status",
                    format!(
                        "this assessment is {}; start a new assessment for the next system version",
                        c.data.status
                    ),
                )
                .into());
            }
            Some(_) if approving => {
                return Err(ValidationError::one(
                    "status",
                    "an assessment is approved with the approve step, not by editing it",
                )
                .into());
            }
            Some(c) if self.system_id != c.data.system_id => {
                return Err(ValidationError::one(
                    "system_id",
                    "an assessment stays with its AI system; start a new one for another system",
                )
                .into());
            }
            _ => {}
        }
        prepare(w, self, at.id).await
    }
}

impl App {
    /// The impact-assessment templates shipped with aims, for a member of any role.
    pub fn impact_templates(&self, actor: &Actor) -> Result<Vec<ImpactTemplate>, AppError> {
        actor.require(Permission::Read)?;
        templates()
    }

    /// Every impact assessment in creation order, optionally of one AI system (the API pages the same list
    /// through the kit).
    pub async fn impacts(
        &self,
        actor: &Actor,
        org: &OrgId,
        system_id: Option<&str>,
    ) -> Result<Vec<Stored<ImpactAssessment>>, AppError> {
        let link = system_id.map(|s| ("system_id", "system", s));
        self.page_linked_to(actor, &IMPACT_ASSESSMENTS, org, link, &Paging::default())
            .await
    }

    /// One page of the impact assessment list as its page shows it: filtered, ordered by AI system name (newest
    /// first within a system) and paged in the database, with the total from an aggregate query.
    pub async fn impact_list(
        &self,
        actor: &Actor,
        org: &OrgId,
        lq: &ImpactListQuery,
    ) -> Result<ImpactListPage, AppError> {
        actor.require(Permission::Read)?;
        let mut q = ListQuery::default();
        if let Some(s) = &lq.system_id {
            q.filters.push((
                "system_id",
                Value::Text(aims_domain::parse_id("system", s)?),
            ));
        }
        if let Some(status) = &lq.status {
            q.filters.push((
                "status",
                Value::Text(AssessmentStatus::parse("status", status)?.as_str().into()),
            ));
        }
        if let Some(text) = lq.search.as_ref().filter(|t| !t.trim().is_empty()) {
            q.search = Some((vec!["title", "system_name"], text.trim().to_string()));
        }
        let mut tx = self.store.begin_read().await?;
        let total = tx
            .tally(&IMPACT_ASSESSMENTS, org, &q, &[], &[])
            .await?
            .first()
            .map_or(0, |g| g.count);
        tx.commit().await?;
        q.order_key = Some(OrderKey::Folded("system_name"));
        q.ties_descending = Some(true);
        let (items, next) =
            crate::risks::page_of(self, &IMPACT_ASSESSMENTS, org, q, &lq.after, lq.limit).await?;
        Ok(ImpactListPage { items, next, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::on_each_backend;

    fn draft(system_id: &str, title: &str) -> ImpactAssessment {
        serde_json::from_value(serde_json::json!({
            "system_id": system_id, "system_version": "", "template": "default", "title": title,
            "status": "draft", "scope": "", "system_info": "", "data_info": "", "model_info": "",
            "deployment_context": "", "affected": [], "impacts": [], "human_oversight": "", "answers": {},
            "triggers": [], "next_review": "", "approval": null
        }))
        .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_impact_list_pages_by_system_name_and_counts_in_the_database() {
        on_each_backend(async |t| {
            let (app, org, op) = (&t.app, &t.org, &t.operator);
            let zeta = app
                .create_record(op, org, AiSystem::new("Zeta scorer", "Scores."))
                .await
                .unwrap();
            let alpha = app
                .create_record(op, org, AiSystem::new("alpha chatbot", "Chats."))
                .await
                .unwrap();
            for (sys, title) in [
                (&zeta, "one"),
                (&alpha, "two"),
                (&zeta, "three"),
                (&alpha, "four"),
            ] {
                app.create_record(op, org, draft(&sys.id, title))
                    .await
                    .unwrap();
            }
            let mut lq = ImpactListQuery {
                limit: 3,
                ..ImpactListQuery::default()
            };
            let page = app.impact_list(op, org, &lq).await.unwrap();
            let titles: Vec<&str> = page.items.iter().map(|a| a.data.title.as_str()).collect();
            assert_eq!(
                titles,
                ["four", "two", "three"],
                "by system name, newest first"
            );
            assert_eq!(page.total, 4);
            lq.after = page.next.clone();
            let page2 = app.impact_list(op, org, &lq).await.unwrap();
            let titles: Vec<&str> = page2.items.iter().map(|a| a.data.title.as_str()).collect();
            assert_eq!(titles, ["one"]);
            assert!(page2.next.is_none());

            // The search looks at the system's name too; the total follows the filters.
            let searched = app
                .impact_list(
                    op,
                    org,
                    &ImpactListQuery {
                        search: Some("CHATBOT".into()),
                        status: Some("draft".into()),
                        limit: 50,
                        ..ImpactListQuery::default()
                    },
                )
                .await
                .unwrap();
            assert_eq!((searched.items.len(), searched.total), (2, 2));
            let err = app
                .impact_list(
                    op,
                    org,
                    &ImpactListQuery {
                        status: Some("bogus".into()),
                        limit: 50,
                        ..ImpactListQuery::default()
                    },
                )
                .await
                .unwrap_err();
            assert!(format!("{err:?}").contains("status"), "{err:?}");
        })
        .await;
    }
}
