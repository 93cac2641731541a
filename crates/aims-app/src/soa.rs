//! Statement of Applicability use cases: compute it from the live records, approve (freeze) a numbered version
//! with its treatment plan, compare versions, and flag drift from the approved version.

use crate::OrgId;
use crate::records::{self, Stored};
use crate::{Actor, App, AppError, Permission};
use aims_domain::ValidationError;
use aims_domain::controls::ControlImplementation;
use aims_domain::error::{MAX_NAME, MAX_TEXT, check_len, check_required_text};
use aims_domain::soa::{
    self, ApplicabilityHint, CatalogControl, DerivedReason, ImplementationRef, RiskSnapshot,
    SoaApproval, SoaChange, SoaEntry, SoaSummary, SoaVersion, SystemFacts, TreatedRisk,
};
use aims_store::spec::{
    CONTROL_IMPLEMENTATIONS, IMPACT_ASSESSMENTS, INTERESTED_PARTIES, SOA_VERSIONS,
};
use aims_store::value::Value;
use aims_store::{Conn, ListQuery};
use serde::Serialize;

/// The Statement of Applicability as it stands, compared with the approved version.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SoaView {
    /// One line per Annex A control, then the organization's own controls (the API gives only those matching its
    /// filters).
    pub entries: Vec<SoaEntry>,
    /// Counts over every line, whatever the filters.
    pub summary: SoaSummary,
    /// The treatment plan behind the lines: every risk a line refers to.
    pub risks: Vec<RiskSnapshot>,
    /// Number of the latest approved version; `null` when none was approved yet.
    pub approved_version: Option<i64>,
    /// What changed since that version (empty when there is none or nothing changed).
    pub drift: Vec<SoaChange>,
    /// Excluded controls that the organization's current AI systems make relevant.
    pub hints: Vec<ApplicabilityHint>,
}

impl SoaView {
    /// Whether the live state no longer matches the approved version, or an exclusion needs another look.
    pub fn has_drift(&self) -> bool {
        !self.drift.is_empty() || !self.hints.is_empty()
    }
}

/// The computed lines and the treatment plan, read in one snapshot.
struct Computed {
    entries: Vec<SoaEntry>,
    risks: Vec<RiskSnapshot>,
    facts: SystemFacts,
}

async fn compute(tx: &mut Conn, org: &OrgId) -> Result<Computed, AppError> {
    let catalog: Vec<CatalogControl> = crate::catalogue::builtin()?
        .items("iso42001", &["control"])
        .into_iter()
        .map(|i| CatalogControl {
            control: i.reference,
            title: i.title,
            objective: i.parent,
        })
        .collect();
    let impl_rows = tx
        .list(&CONTROL_IMPLEMENTATIONS, org, &ListQuery::default())
        .await?;
    let impls: Vec<Stored<ControlImplementation>> = impl_rows
        .iter()
        .map(records::from_row)
        .collect::<Result<_, _>>()?;
    let refs: Vec<ImplementationRef<'_>> = impls
        .iter()
        .map(|s| ImplementationRef {
            id: &s.id,
            implementation: &s.data,
        })
        .collect();

    // Controls named by each risk's treatment plans, and who accepted the residual risk (rows come in risk order).
    let mut risks: Vec<RiskSnapshot> = Vec::new();
    for row in tx.treated_risks(org).await? {
        let accepted =
            serde_json::from_value::<Option<aims_domain::risk::Acceptance>>(row.acceptance)
                .ok()
                .flatten()
                .map(|a| format!("{}, {}, {}", a.by, a.role, a.date));
        match risks.last_mut() {
            Some(last) if last.id == row.risk_id => {
                for c in row.controls {
                    if !last.controls.contains(&c) {
                        last.controls.push(c);
                    }
                }
                if let Some(a) = accepted {
                    last.accepted_by = a;
                }
            }
            _ => risks.push(RiskSnapshot {
                id: row.risk_id,
                version: row.version,
                title: row.title,
                status: row.status,
                residual_level: row.residual_level,
                controls: row.controls,
                accepted_by: accepted.unwrap_or_default(),
            }),
        }
    }

    // Impact assessments whose measures rely on controls.
    let mut derived = Vec::new();
    for row in tx
        .project(&IMPACT_ASSESSMENTS, org, &["id", "title", "impacts"])
        .await?
    {
        let impacts: Vec<aims_domain::impact::Impact> =
            serde_json::from_str(row[2].as_text()).unwrap_or_default();
        let mut controls: Vec<String> = impacts.into_iter().flat_map(|i| i.controls).collect();
        aims_domain::risk::dedup(&mut controls);
        if !controls.is_empty() {
            derived.push(DerivedReason {
                kind: "impact".into(),
                reference: row[0].as_text().to_string(),
                label: row[1].as_text().to_string(),
                controls,
            });
        }
    }
    // Interested parties' requirements that name the controls answering them.
    for row in tx
        .project(&INTERESTED_PARTIES, org, &["id", "name", "requirements"])
        .await?
    {
        let reqs: Vec<aims_domain::context::PartyRequirement> =
            serde_json::from_str(row[2].as_text()).unwrap_or_default();
        for r in reqs.into_iter().filter(|r| !r.controls.is_empty()) {
            derived.push(DerivedReason {
                kind: "interested_party".into(),
                reference: row[0].as_text().to_string(),
                label: format!("{}: {}", row[1].as_text(), r.text),
                controls: r.controls,
            });
        }
    }
    derived.extend(crate::classify::legal_reasons(tx, org).await?);

    let treated: Vec<TreatedRisk<'_>> = risks
        .iter()
        .map(|r| TreatedRisk {
            risk_id: &r.id,
            title: &r.title,
            controls: &r.controls,
        })
        .collect();
    let entries = soa::compute(&catalog, &refs, &treated, &derived);
    drop(treated);
    let facts = SystemFacts {
        roles: tx
            .system_role_counts(org)
            .await?
            .into_iter()
            .map(|r| (r.role, r.systems, r.example))
            .collect(),
        with_suppliers: tx.systems_with_suppliers(org, 3).await?,
    };
    Ok(Computed {
        entries,
        risks,
        facts,
    })
}

async fn latest_version(
    tx: &mut Conn,
    org: &OrgId,
) -> Result<Option<Stored<SoaVersion>>, AppError> {
    let q = ListQuery {
        order_by: Some("number"),
        descending: true,
        limit: Some(1),
        ..ListQuery::default()
    };
    match tx.list(&SOA_VERSIONS, org, &q).await?.first() {
        Some(row) => Ok(Some(records::from_row(row)?)),
        None => Ok(None),
    }
}

impl App {
    /// Computes the Statement of Applicability from the live records and compares it with the latest approved
    /// version.
    pub async fn soa(&self, actor: &Actor, org: &OrgId) -> Result<SoaView, AppError> {
        actor.require(Permission::Read)?;
        let mut tx = self.store.begin_snapshot().await?;
        let c = compute(&mut tx, org).await?;
        let approved = latest_version(&mut tx, org).await?;
        tx.commit().await?;
        let drift = match &approved {
            Some(v) => soa::diff(&v.data.entries, &v.data.risks, &c.entries, &c.risks),
            None => vec![],
        };
        let hints = soa::applicability_hints(&c.entries, &c.facts);
        Ok(SoaView {
            summary: soa::summarise(&c.entries),
            entries: c.entries,
            risks: c.risks,
            approved_version: approved.map(|v| v.data.number),
            drift,
            hints,
        })
    }

    /// Approves the current Statement of Applicability as a new numbered version, frozen together with the
    /// treatment plan and residual-risk acceptances. Refused while any line has a problem (an exclusion
    /// without justification, an inclusion without a reason, an excluded control that treats a risk).
    pub async fn approve_soa(
        &self,
        actor: &Actor,
        org: &OrgId,
        approval: SoaApproval,
    ) -> Result<Stored<SoaVersion>, AppError> {
        actor.require(Permission::Approve)?;
        let mut errs = ValidationError::default();
        check_required_text(&mut errs, "approved_by", &approval.approved_by, MAX_NAME);
        check_required_text(
            &mut errs,
            "approver_role",
            &approval.approver_role,
            MAX_NAME,
        );
        check_len(&mut errs, "note", &approval.note, MAX_TEXT);
        errs.into_result()?;
        let mut w = self.write_in(actor, Permission::Approve, org).await?;
        let c = compute(&mut w, org).await?;
        let mut errs = ValidationError::default();
        for e in &c.entries {
            for p in &e.problems {
                errs.push(format!("entries[{}]", e.control), p.clone());
            }
            if !e.decided && e.problems.is_empty() {
                errs.push(
                    format!("entries[{}]", e.control),
                    "no decision recorded yet (record an implementation or a justified exclusion)",
                );
            }
        }
        errs.into_result()?;
        let number = latest_version(&mut w, org)
            .await?
            .map_or(0, |v| v.data.number)
            + 1;
        let today = crate::today();
        let version = SoaVersion {
            number,
            approved_by: approval.approved_by.trim().to_string(),
            approver_role: approval.approver_role.trim().to_string(),
            approved_at: today,
            note: approval.note,
            summary: soa::summarise(&c.entries),
            entries: c.entries,
            risks: c.risks,
        };
        let s = w.insert(&SOA_VERSIONS, &version).await?;
        w.done(s).await
    }

    /// Approved versions, newest first.
    pub async fn soa_versions(
        &self,
        actor: &Actor,
        org: &OrgId,
    ) -> Result<Vec<Stored<SoaVersion>>, AppError> {
        actor.require(Permission::Read)?;
        let q = ListQuery {
            order_by: Some("number"),
            descending: true,
            ..ListQuery::default()
        };
        self.read_list(&SOA_VERSIONS, org, &q).await
    }

    /// One approved version by number.
    pub async fn soa_version(
        &self,
        actor: &Actor,
        org: &OrgId,
        number: i64,
    ) -> Result<Stored<SoaVersion>, AppError> {
        actor.require(Permission::Read)?;
        let q = ListQuery {
            filters: vec![("number", Value::Int(number))],
            ..ListQuery::default()
        };
        let list: Vec<Stored<SoaVersion>> = self.read_list(&SOA_VERSIONS, org, &q).await?;
        list.into_iter().next().ok_or_else(|| {
            AppError::NotFound(format!(
                "no approved Statement of Applicability version {number} in this organization"
            ))
        })
    }

    /// What changed from version `from` to version `to` (`None` compares with the live state).
    pub async fn soa_diff(
        &self,
        actor: &Actor,
        org: &OrgId,
        from: i64,
        to: Option<i64>,
    ) -> Result<Vec<SoaChange>, AppError> {
        let a = self.soa_version(actor, org, from).await?;
        match to {
            Some(n) => {
                let b = self.soa_version(actor, org, n).await?;
                Ok(soa::diff(
                    &a.data.entries,
                    &a.data.risks,
                    &b.data.entries,
                    &b.data.risks,
                ))
            }
            None => {
                let live = self.soa(actor, org).await?;
                Ok(soa::diff(
                    &a.data.entries,
                    &a.data.risks,
                    &live.entries,
                    &live.risks,
                ))
            }
        }
    }
}
