//! AI risk management use cases (6.1.1–6.1.3, 8.2, 8.3): the versioned risk method, the risk register with
//! append-only assessments, and treatment plans with residual-risk acceptance.

use crate::records::{self, Paging, Stored};
use crate::{Actor, App, AppError, Permission};
use aims_domain::ValidationError;
use aims_domain::risk::{Acceptance, Risk, RiskAssessment, RiskMethod, Treatment};
use aims_domain::vocab::RiskStatus;
use aims_store::spec::{AI_SYSTEMS, CONTROL_IMPLEMENTATIONS, RISK_METHODS, RISKS, TREATMENTS};
use aims_store::value::Value;
use aims_store::{Conn, ListQuery, WriteTx};

/// Filters for the risk register.
#[derive(Debug, Clone, Default)]
pub struct RiskFilter {
    /// Only risks of this AI system.
    pub system_id: Option<String>,
    /// Only risks with this status.
    pub status: Option<String>,
    /// Case-insensitive text in title, description or owner.
    pub search: Option<String>,
}

/// Parses the shipped default risk method.
pub fn default_method() -> Result<RiskMethod, AppError> {
    let mut m: RiskMethod = aims_catalog::templates::default_risk_method()
        .map_err(|e| AppError::Store(aims_store::StoreError::Database(e.to_string())))?;
    m.number = 1;
    Ok(m)
}

/// The identifiers of a catalogue item kind (Annex C risk sources, objectives, Annex A controls).
pub(crate) fn catalog_refs(kind: &str) -> Result<Vec<String>, AppError> {
    Ok(crate::catalogue::builtin()?.refs(kind))
}

/// Annex A control ids and every control id the organization can choose (Annex A plus its own).
pub(crate) async fn known_controls(
    tx: &mut Conn,
    org: &str,
) -> Result<(Vec<String>, Vec<String>), AppError> {
    let annex_a = catalog_refs("control")?;
    let mut all = annex_a.clone();
    for row in tx
        .project(&CONTROL_IMPLEMENTATIONS, org, &["control"])
        .await?
    {
        let c = row[0].as_text().to_string();
        if !all.contains(&c) {
            all.push(c);
        }
    }
    Ok((annex_a, all))
}

/// The organization's current risk method inside `tx`, saving the default as version 1 when it has none yet.
pub(crate) async fn current_method(
    tx: &mut WriteTx,
    org: &str,
    actor: &str,
) -> Result<RiskMethod, AppError> {
    if let Some(m) = latest_method(tx, org).await? {
        return Ok(m.data);
    }
    let m = default_method()?;
    records::insert(tx, &RISK_METHODS, org, actor, &m).await?;
    Ok(m)
}

async fn latest_method(tx: &mut Conn, org: &str) -> Result<Option<Stored<RiskMethod>>, AppError> {
    let q = ListQuery {
        order_by: Some("number"),
        descending: true,
        limit: Some(1),
        ..ListQuery::default()
    };
    match tx.list(&RISK_METHODS, org, &q).await?.first() {
        Some(row) => Ok(Some(records::from_row(row)?)),
        None => Ok(None),
    }
}

async fn check_systems(tx: &mut Conn, org: &str, ids: &[String]) -> Result<(), AppError> {
    let mut errs = ValidationError::default();
    for (i, id) in ids.iter().enumerate() {
        if tx.get(&AI_SYSTEMS, org, id).await?.is_none() {
            errs.push(
                format!("system_ids[{i}]"),
                format!("no AI system with id {id} in this organization"),
            );
        }
    }
    Ok(errs.into_result()?)
}

/// Validates a risk's register fields against the catalogue and the organization's systems.
pub(crate) async fn prepare_risk(
    tx: &mut Conn,
    org: &str,
    risk: &mut Risk,
) -> Result<(), AppError> {
    let sources = catalog_refs("risk_source")?;
    let objectives = catalog_refs("annex_c_objective")?;
    risk.normalise_and_validate(&sources, &objectives)?;
    check_systems(tx, org, &risk.system_ids).await
}

impl App {
    /// The organization's current risk method (the shipped default, not yet saved, when it has none).
    pub async fn risk_method(&self, actor: &Actor, org: &str) -> Result<RiskMethod, AppError> {
        actor.require(Permission::Read)?;
        let mut tx = self.store.begin_read().await?;
        let m = latest_method(&mut tx, org).await?;
        tx.commit().await?;
        match m {
            Some(m) => Ok(m.data),
            None => default_method(),
        }
    }

    /// Every saved version of the risk method, newest first.
    pub async fn risk_methods(
        &self,
        actor: &Actor,
        org: &str,
    ) -> Result<Vec<Stored<RiskMethod>>, AppError> {
        actor.require(Permission::Read)?;
        let q = ListQuery {
            order_by: Some("number"),
            descending: true,
            ..ListQuery::default()
        };
        self.read_list(&RISK_METHODS, org, &q).await
    }

    /// Saves a new version of the risk method. Changing how risks are scored is a management decision, so it
    /// needs the approve permission; earlier assessments keep the version that scored them.
    pub async fn save_risk_method(
        &self,
        actor: &Actor,
        org: &str,
        mut method: RiskMethod,
    ) -> Result<Stored<RiskMethod>, AppError> {
        actor.require(Permission::Approve)?;
        method.validate()?;
        let mut tx = self.store.begin_write_for(org).await?;
        // Make sure version 1 (the default) is on record before the first change.
        current_method(&mut tx, org, &actor.label).await?;
        let last = latest_method(&mut tx, org)
            .await?
            .map_or(0, |m| m.data.number);
        method.number = last + 1;
        let s = records::insert(&mut tx, &RISK_METHODS, org, &actor.label, &method).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Adds a risk to the register, with an optional first assessment scored by the current method.
    pub async fn create_risk(
        &self,
        actor: &Actor,
        org: &str,
        mut risk: Risk,
    ) -> Result<Stored<Risk>, AppError> {
        actor.require(Permission::Write)?;
        let mut tx = self.store.begin_write_for(org).await?;
        prepare_risk(&mut tx, org, &mut risk).await?;
        if risk.assessments.len() > 1 {
            return Err(ValidationError::one(
                "assessments",
                "a new risk takes at most one assessment; add later ones as re-assessments",
            )
            .into());
        }
        if !risk.assessments.is_empty() {
            let method = current_method(&mut tx, org, &actor.label).await?;
            let mut errs = ValidationError::default();
            for (i, a) in risk.assessments.iter_mut().enumerate() {
                a.score_with(&method, &format!("assessments[{i}]"), &mut errs);
            }
            errs.into_result()?;
        }
        let s = records::insert(&mut tx, &RISKS, org, &actor.label, &risk).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Changes a risk's register fields. Assessments cannot be changed here: the stored ones are kept, and an
    /// input that alters them is refused (a re-assessment is added with [`App::assess_risk`]).
    pub async fn update_risk(
        &self,
        actor: &Actor,
        org: &str,
        id: &str,
        expected_version: Option<i64>,
        mut risk: Risk,
    ) -> Result<Stored<Risk>, AppError> {
        actor.require(Permission::Write)?;
        let mut tx = self.store.begin_write_for(org).await?;
        let current: Stored<Risk> = records::get(&mut tx, &RISKS, org, id).await?;
        if !risk.assessments.is_empty() && risk.assessments != current.data.assessments {
            return Err(ValidationError::one(
                "assessments",
                "earlier assessments cannot be changed; add a re-assessment instead",
            )
            .into());
        }
        risk.assessments = current.data.assessments;
        prepare_risk(&mut tx, org, &mut risk).await?;
        let s = records::update(
            &mut tx,
            &RISKS,
            org,
            &actor.label,
            &current.id,
            expected_version,
            &risk,
        )
        .await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Adds a dated re-assessment to a risk, scored by the current method.
    pub async fn assess_risk(
        &self,
        actor: &Actor,
        org: &str,
        id: &str,
        expected_version: Option<i64>,
        mut assessment: RiskAssessment,
    ) -> Result<Stored<Risk>, AppError> {
        actor.require(Permission::Write)?;
        let mut tx = self.store.begin_write_for(org).await?;
        let mut current: Stored<Risk> = records::get(&mut tx, &RISKS, org, id).await?;
        let method = current_method(&mut tx, org, &actor.label).await?;
        let mut errs = ValidationError::default();
        assessment.score_with(&method, "assessment", &mut errs);
        if let Some(last) = current.data.latest()
            && assessment.date < last.date
        {
            errs.push(
                "assessment.date",
                format!(
                    "{} is before the latest assessment ({}); assessments are kept in date order",
                    assessment.date, last.date
                ),
            );
        }
        errs.into_result()?;
        current.data.assessments.push(assessment);
        let s = records::update(
            &mut tx,
            &RISKS,
            org,
            &actor.label,
            &current.id,
            expected_version,
            &current.data,
        )
        .await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Reads one risk.
    pub async fn risk(&self, actor: &Actor, org: &str, id: &str) -> Result<Stored<Risk>, AppError> {
        actor.require(Permission::Read)?;
        self.read(&RISKS, org, id).await
    }

    /// Lists the risk register in creation order.
    pub async fn risks(
        &self,
        actor: &Actor,
        org: &str,
        f: &RiskFilter,
    ) -> Result<Vec<Stored<Risk>>, AppError> {
        self.risks_page(actor, org, f, &Paging::default()).await
    }

    /// One page of the risk register in creation order; the filters run in the database, so a page costs
    /// the same however large the register is.
    pub async fn risks_page(
        &self,
        actor: &Actor,
        org: &str,
        f: &RiskFilter,
        page: &Paging,
    ) -> Result<Vec<Stored<Risk>>, AppError> {
        actor.require(Permission::Read)?;
        let mut q = ListQuery::default();
        if let Some(status) = &f.status {
            q.filters.push((
                "status",
                Value::Text(RiskStatus::parse("status", status)?.as_str().into()),
            ));
        }
        if let Some(text) = f.search.as_ref().filter(|t| !t.trim().is_empty()) {
            q.search = Some((
                vec!["title", "description", "owner"],
                text.trim().to_string(),
            ));
        }
        if let Some(sys) = &f.system_id {
            q.contains
                .push(("system_ids", aims_domain::parse_id("system", sys)?));
        }
        page.apply(&mut q)?;
        self.read_list(&RISKS, org, &q).await
    }

    /// Creates a treatment plan for a risk; the risk moves from open to treating.
    pub async fn create_treatment(
        &self,
        actor: &Actor,
        org: &str,
        mut t: Treatment,
    ) -> Result<Stored<Treatment>, AppError> {
        actor.require(Permission::Write)?;
        if t.acceptance.is_some() {
            return Err(ValidationError::one(
                "acceptance",
                "residual-risk acceptance is recorded with the accept step, by someone allowed to approve",
            )
            .into());
        }
        let mut tx = self.store.begin_write_for(org).await?;
        let (_, known) = known_controls(&mut tx, org).await?;
        t.normalise_and_validate(&known)?;
        let risk: Stored<Risk> = match records::get(&mut tx, &RISKS, org, &t.risk_id).await {
            Err(AppError::NotFound(_)) => {
                return Err(ValidationError::one(
                    "risk_id",
                    format!("no risk with id {} in this organization", t.risk_id),
                )
                .into());
            }
            r => r?,
        };
        let s = records::insert(&mut tx, &TREATMENTS, org, &actor.label, &t).await?;
        if risk.data.status == RiskStatus::Open.as_str() {
            let mut r = risk.data.clone();
            r.status = RiskStatus::Treating.as_str().into();
            records::update(
                &mut tx,
                &RISKS,
                org,
                &actor.label,
                &risk.id,
                Some(risk.version),
                &r,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(s)
    }

    /// Changes a treatment plan. The acceptance is kept as recorded; it can only be given with
    /// [`App::accept_treatment`].
    pub async fn update_treatment(
        &self,
        actor: &Actor,
        org: &str,
        id: &str,
        expected_version: Option<i64>,
        mut t: Treatment,
    ) -> Result<Stored<Treatment>, AppError> {
        actor.require(Permission::Write)?;
        let mut tx = self.store.begin_write_for(org).await?;
        let current: Stored<Treatment> = records::get(&mut tx, &TREATMENTS, org, id).await?;
        if t.acceptance.is_some() && t.acceptance != current.data.acceptance {
            return Err(ValidationError::one(
                "acceptance",
                "residual-risk acceptance is recorded with the accept step, not by editing the plan",
            )
            .into());
        }
        t.acceptance = current.data.acceptance.clone();
        let (_, known) = known_controls(&mut tx, org).await?;
        t.normalise_and_validate(&known)?;
        if t.risk_id != current.data.risk_id {
            return Err(ValidationError::one(
                "risk_id",
                "a treatment plan stays with its risk; create a new plan for another risk",
            )
            .into());
        }
        let s = records::update(
            &mut tx,
            &TREATMENTS,
            org,
            &actor.label,
            &current.id,
            expected_version,
            &t,
        )
        .await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Records the acceptance of the residual risk by a named person with their role, date and rationale; the
    /// risk becomes accepted.
    pub async fn accept_treatment(
        &self,
        actor: &Actor,
        org: &str,
        id: &str,
        expected_version: Option<i64>,
        mut acceptance: Acceptance,
    ) -> Result<Stored<Treatment>, AppError> {
        actor.require(Permission::Approve)?;
        let mut errs = ValidationError::default();
        acceptance.validate("acceptance", &mut errs);
        errs.into_result()?;
        acceptance.recorded_by = actor.label.clone();
        let mut tx = self.store.begin_write_for(org).await?;
        let mut current: Stored<Treatment> = records::get(&mut tx, &TREATMENTS, org, id).await?;
        current.data.acceptance = Some(acceptance);
        let s = records::update(
            &mut tx,
            &TREATMENTS,
            org,
            &actor.label,
            &current.id,
            expected_version,
            &current.data,
        )
        .await?;
        let risk: Stored<Risk> = records::get(&mut tx, &RISKS, org, &current.data.risk_id).await?;
        if risk.data.status != RiskStatus::Accepted.as_str() {
            let mut r = risk.data.clone();
            r.status = RiskStatus::Accepted.as_str().into();
            records::update(
                &mut tx,
                &RISKS,
                org,
                &actor.label,
                &risk.id,
                Some(risk.version),
                &r,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(s)
    }

    /// Reads one treatment plan.
    pub async fn treatment(
        &self,
        actor: &Actor,
        org: &str,
        id: &str,
    ) -> Result<Stored<Treatment>, AppError> {
        actor.require(Permission::Read)?;
        self.read(&TREATMENTS, org, id).await
    }

    /// Lists treatment plans, optionally of one risk.
    pub async fn treatments(
        &self,
        actor: &Actor,
        org: &str,
        risk_id: Option<&str>,
    ) -> Result<Vec<Stored<Treatment>>, AppError> {
        self.treatments_page(actor, org, risk_id, &Paging::default())
            .await
    }

    /// One page of treatment plans in creation order, optionally of one risk.
    pub async fn treatments_page(
        &self,
        actor: &Actor,
        org: &str,
        risk_id: Option<&str>,
        page: &Paging,
    ) -> Result<Vec<Stored<Treatment>>, AppError> {
        actor.require(Permission::Read)?;
        let mut q = ListQuery::default();
        if let Some(r) = risk_id {
            q.filters
                .push(("risk_id", Value::Text(aims_domain::parse_id("risk", r)?)));
        }
        page.apply(&mut q)?;
        self.read_list(&TREATMENTS, org, &q).await
    }
}
