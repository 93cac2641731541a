//! Risks and treatment plans as kit records: the rules every create and replace runs inside the write, so the
//! generic use cases, endpoints and import serve them. Their register, heat maps, re-assessment and acceptance
//! steps, pages and CLI noun are their own (see `risks`).

use crate::AppError;
use crate::kit::{Field, FieldKind, Record, RecordDef, Target, def_with_own_faces};
use crate::records::{OrgWrite, Stored};
use crate::risks::{current_method, known_controls, prepare_risk};
use aims_domain::ValidationError;
use aims_domain::risk::{Risk, Treatment};
use aims_domain::vocab::RiskStatus;
use aims_store::spec::{RISKS, TREATMENTS};

impl Record for Risk {
    const DEF: &'static RecordDef = def_with_own_faces! {
        spec: &RISKS, singular: "risk", plural: "risks", path: "risks", noun: "risk", area: "risks",
        tag: "risks", title: "title",
        about: "The AI risk register (6.1.2, 8.2): each risk with its sources, objectives, owner and dated \
                assessments. A new risk may carry its first assessment, scored by the method in force; later \
                ones are re-assessments.",
        rules: "scores outside the scales, unknown sources or systems, more than one assessment on create, \
                changed assessments on replace",
        kept: "The assessments are kept as stored: leave them out (or send them unchanged) and add a \
               re-assessment with `POST /api/v1/risks/{id}/assessments`."
    };
    /// A new risk takes at most one assessment, scored by the method in force; a replaced risk keeps its
    /// assessments (a re-assessment is its own step).
    async fn check(&mut self, w: &mut OrgWrite, at: &Target<'_, Self>) -> Result<(), AppError> {
        if let Some(current) = at.current {
            if !self.assessments.is_empty() && self.assessments != current.data.assessments {
                return Err(ValidationError::one(
                    "assessments",
                    "earlier assessments cannot be changed; add a re-assessment instead",
                )
                .into());
            }
            self.assessments = current.data.assessments.clone();
            return prepare_risk(w, self).await;
        }
        prepare_risk(w, self).await?;
        if self.assessments.len() > 1 {
            return Err(ValidationError::one(
                "assessments",
                "a new risk takes at most one assessment; add later ones as re-assessments",
            )
            .into());
        }
        if !self.assessments.is_empty() {
            let method = current_method(w).await?;
            let mut errs = ValidationError::default();
            for (i, a) in self.assessments.iter_mut().enumerate() {
                a.score_with(&method, &format!("assessments[{i}]"), &mut errs);
            }
            errs.into_result()?;
        }
        Ok(())
    }
}

impl Record for Treatment {
    const DEF: &'static RecordDef = def_with_own_faces! {
        spec: &TREATMENTS, singular: "treatment", plural: "treatments", path: "treatments",
        noun: "treatment", area: "risks", tag: "risks", title: "risk_id",
        about: "Treatment plans (6.1.3, 8.3): the option chosen for a risk, its controls and tasks, and the \
                acceptance of the residual risk. A plan created for an open risk moves the risk to \
                `treating`.",
        rules: "an unknown risk or control, an acceptance in the plan, another risk on replace",
        kept: "The acceptance is kept as recorded; it is given with \
               `POST /api/v1/treatments/{id}/acceptance`.",
        fields: &[Field::text("risk_id", "Risk", "The risk the plan treats.").kind(FieldKind::Link("risk"))],
        filters: &["risk_id"]
    };
    /// The acceptance is recorded only by its own step, a plan stays with its risk, and its controls must be
    /// Annex A controls or the organization's own.
    async fn check(&mut self, w: &mut OrgWrite, at: &Target<'_, Self>) -> Result<(), AppError> {
        let current = at.current;
        let org = w.org().clone();
        match current {
            None if self.acceptance.is_some() => {
                return Err(ValidationError::one(
                    "acceptance",
                    "residual-risk acceptance is recorded with the accept step, by someone allowed to approve",
                )
                .into());
            }
            Some(c) if self.acceptance.is_some() && self.acceptance != c.data.acceptance => {
                return Err(ValidationError::one(
                    "acceptance",
                    "residual-risk acceptance is recorded with the accept step, not by editing the plan",
                )
                .into());
            }
            Some(c) => self.acceptance = c.data.acceptance.clone(),
            None => {}
        }
        let (_, known) = known_controls(w, &org).await?;
        self.normalise_and_validate(&known)?;
        match current {
            Some(c) if self.risk_id != c.data.risk_id => Err(ValidationError::one(
                "risk_id",
                "a treatment plan stays with its risk; create a new plan for another risk",
            )
            .into()),
            Some(_) => Ok(()),
            None => {
                let link = ("risk_id".to_string(), self.risk_id.clone());
                w.check_links(&RISKS, "risk", vec![link]).await
            }
        }
    }
    /// The first plan of an open risk moves it to `treating`.
    async fn written(
        w: &mut OrgWrite,
        stored: &Stored<Self>,
        previous: Option<&Stored<Self>>,
    ) -> Result<(), AppError> {
        if previous.is_none() {
            let risk: Stored<Risk> = w.get(&RISKS, &stored.data.risk_id).await?;
            if risk.data.status == RiskStatus::Open.as_str() {
                crate::risks::move_risk(w, risk, RiskStatus::Treating).await?;
            }
        }
        Ok(())
    }
}
