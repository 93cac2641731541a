//! The dashboard's counts: the inventory by life-cycle stage, the context registers and the risk register by
//! status and latest scores, each from an aggregate query in one read, so the dashboard costs the same however
//! large the registers grow; and the getting-started checklist of a new organization, ticked from the same
//! counts.

use crate::OrgId;
use crate::risks::{RiskCounts, bump, count_risks};
use crate::{Actor, App, AppError, Permission};
use aims_domain::context::Organization;
use aims_store::ListQuery;
use aims_store::spec::{
    AI_SYSTEMS, CLASSIFICATIONS, CONTEXT_ISSUES, IMPACT_ASSESSMENTS, INTERESTED_PARTIES,
    ORGANIZATIONS, SCOPE_VERSIONS, SOA_VERSIONS, SUPPLIERS,
};
use aims_store::value::Value;

/// What the dashboard counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DashboardCounts {
    /// AI systems in the inventory.
    pub systems_total: i64,
    /// AI systems in the AIMS scope and not retired.
    pub systems_in_scope: i64,
    /// AI systems per life-cycle stage (stages without systems are absent).
    pub stages: Vec<(String, i64)>,
    /// Internal and external issues.
    pub issues: i64,
    /// Interested parties.
    pub parties: i64,
    /// Requirements of interested parties not addressed yet.
    pub requirements_open: i64,
    /// Suppliers.
    pub suppliers: i64,
    /// The risk register by status and latest scores.
    pub risks: RiskCounts,
    /// Whether the organization's profile says what it does, where and in which AI roles (4.1).
    pub profile_done: bool,
    /// Approved versions of the scope statement.
    pub scopes_approved: i64,
    /// EU AI Act classifications.
    pub classifications: i64,
    /// Approved impact assessments.
    pub impacts_approved: i64,
    /// Approved versions of the Statement of Applicability.
    pub soa_versions: i64,
}

/// One step of the getting-started checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartStep {
    /// What to do, in a few words.
    pub title: &'static str,
    /// Why, and the clause it serves.
    pub about: &'static str,
    /// The page where it is done.
    pub href: &'static str,
    /// Whether the records show it done.
    pub done: bool,
}

impl DashboardCounts {
    /// The first hour of an AIMS in order, each step ticked from the records: profile, scope, first AI system,
    /// its classification, an impact assessment, risks, and an approved Statement of Applicability.
    pub fn getting_started(&self) -> Vec<StartStep> {
        let step = |title, about, href, done| StartStep {
            title,
            about,
            href,
            done,
        };
        vec![
            step(
                "Describe the organization",
                "Sector, jurisdictions and the roles it plays for AI (4.1).",
                "/context",
                self.profile_done,
            ),
            step(
                "Approve the AIMS scope",
                "What the management system covers and what it leaves out (4.3).",
                "/context/scope/edit",
                self.scopes_approved > 0,
            ),
            step(
                "Record a first AI system",
                "What it is for, who owns it, its data and models (A.4).",
                "/systems/new",
                self.systems_total > 0,
            ),
            step(
                "Classify it under the EU AI Act",
                "Which duties of the Act apply to it, and why.",
                "/systems",
                self.classifications > 0,
            ),
            step(
                "Approve an impact assessment",
                "Who the system affects and how (6.1.4, A.5).",
                "/impact-assessments/new",
                self.impacts_approved > 0,
            ),
            step(
                "Assess its risks",
                "Risks to the organization and to people, scored by the risk method (6.1.2).",
                "/risks/new",
                self.risks.total > 0,
            ),
            step(
                "Approve the Statement of Applicability",
                "Every Annex A control decided and justified (6.1.3).",
                "/soa",
                self.soa_versions > 0,
            ),
        ]
    }

    /// AI systems in life-cycle stage `stage`.
    pub fn in_stage(&self, stage: &str) -> i64 {
        self.stages
            .iter()
            .find(|(s, _)| s == stage)
            .map_or(0, |(_, n)| *n)
    }
}

impl App {
    /// The dashboard's counts, each from an aggregate query inside one read.
    pub async fn dashboard_counts(
        &self,
        actor: &Actor,
        org: &OrgId,
    ) -> Result<DashboardCounts, AppError> {
        actor.require(Permission::Read)?;
        let all = ListQuery::default();
        let mut tx = self.store.begin_read().await?;
        let mut c = DashboardCounts::default();
        for g in tx
            .tally(
                &AI_SYSTEMS,
                org,
                &all,
                &["lifecycle_stage", "in_scope"],
                &[],
            )
            .await?
        {
            let stage = g.key[0].as_text().to_string();
            c.systems_total += g.count;
            if g.key[1] == aims_store::value::Value::Bool(true) && stage != "retired" {
                c.systems_in_scope += g.count;
            }
            bump(&mut c.stages, stage, g.count);
        }
        c.issues = tx.count(&CONTEXT_ISSUES, org, &[]).await?;
        c.suppliers = tx.count(&SUPPLIERS, org, &[]).await?;
        if let Some(g) = tx
            .tally(&INTERESTED_PARTIES, org, &all, &[], &["requirements_open"])
            .await?
            .first()
        {
            c.parties = g.count;
            c.requirements_open = g.sums.first().copied().unwrap_or(0);
        }
        c.risks = count_risks(&mut tx, org, &all).await?;
        let approved = || vec![("status", Value::Text("approved".into()))];
        c.scopes_approved = tx.count(&SCOPE_VERSIONS, org, &approved()).await?;
        c.impacts_approved = tx.count(&IMPACT_ASSESSMENTS, org, &approved()).await?;
        c.classifications = tx.count(&CLASSIFICATIONS, org, &[]).await?;
        c.soa_versions = tx.count(&SOA_VERSIONS, org, &[]).await?;
        if let Some(row) = tx.get(&ORGANIZATIONS, org, org).await? {
            let o: Organization = crate::records::from_row(&row)?.data;
            c.profile_done =
                !o.sector.is_empty() && !o.jurisdictions.is_empty() && !o.ai_roles.is_empty();
        }
        tx.commit().await?;
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::on_each_backend;
    use aims_domain::context::{InterestedParty, PartyRequirement};
    use aims_domain::inventory::AiSystem;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_dashboard_counts_come_from_aggregates() {
        on_each_backend(async |t| {
            let (app, org, op) = (&t.app, &t.org, &t.operator);
            let empty = app.dashboard_counts(op, org).await.unwrap();
            assert_eq!((empty.systems_total, empty.parties, empty.risks.total), (0, 0, 0));
            let steps = empty.getting_started();
            assert_eq!(steps.len(), 7);
            assert!(steps.iter().all(|s| !s.done), "a new organization has done nothing");
            for (name, stage, in_scope) in [
                ("A", "operation", true),
                ("B", "operation", false),
                ("C", "retired", true),
                ("D", "design", true),
            ] {
                let mut s = AiSystem::new(name, "Does things.");
                s.lifecycle_stage = stage.into();
                s.in_scope = in_scope;
                if stage == "retired" {
                    s.retired_on = "2026-01-01".into();
                    s.retired_reason = "Replaced.".into();
                }
                app.create_record(op, org, s).await.unwrap();
            }
            let party: InterestedParty = serde_json::from_value(serde_json::json!({
                "name": "Customers", "category": "customer", "description": "",
                "requirements": []
            }))
            .unwrap();
            let mut p = party.clone();
            let req = |addressed| -> PartyRequirement {
                serde_json::from_value(serde_json::json!({"text": "Explain decisions", "source": "legal", "addressed": addressed}))
                    .unwrap()
            };
            p.requirements = vec![req(false), req(true), req(false)];
            app.create_record(op, org, p).await.unwrap();
            app.create_record(op, org, party).await.unwrap();
            let c = app.dashboard_counts(op, org).await.unwrap();
            assert_eq!((c.systems_total, c.systems_in_scope), (4, 2));
            assert_eq!(
                (c.in_stage("operation"), c.in_stage("design"), c.in_stage("idea")),
                (2, 1, 0)
            );
            assert_eq!((c.parties, c.requirements_open), (2, 2));
            assert_eq!((c.issues, c.suppliers), (0, 0));
            let done: Vec<bool> = c.getting_started().iter().map(|s| s.done).collect();
            assert_eq!(done, [false, false, true, false, false, false, false]);
        })
        .await;
    }
}
