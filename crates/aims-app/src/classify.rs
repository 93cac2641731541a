//! EU AI Act classification use cases: answer the questionnaire for an AI system, get its risk class with the
//! reasons and the obligations for the organization's role, and feed those legal duties into the Statement of
//! Applicability through the ISO/IEC 42001 ↔ EU AI Act crosswalk.

use crate::records::{self, Stored};
use crate::{Actor, App, AppError, Permission};
use crate::{OrgId, RecordId};
use aims_catalog::Questionnaire;
use aims_domain::ValidationError;
use aims_domain::classification::{self, Answers, ClassificationRecord, QuestionnaireSpec};
use aims_domain::inventory::AiSystem;
use aims_domain::soa::DerivedReason;
use aims_domain::vocab::AiRole;
use aims_store::spec::{AI_SYSTEMS, CLASSIFICATIONS};
use aims_store::{Conn, ListQuery};
use std::collections::HashMap;

/// The classification questionnaire shipped with aims.
pub fn questionnaire() -> Result<Questionnaire, AppError> {
    aims_catalog::classification_questionnaire()
        .map_err(|e| AppError::Store(aims_store::StoreError::Database(e.to_string())))
}

fn spec(q: &Questionnaire) -> Result<QuestionnaireSpec, AppError> {
    let convert = |e: serde_json::Error| {
        AppError::Store(aims_store::StoreError::Database(format!(
            "classification questionnaire: {e}"
        )))
    };
    q.spec().map_err(convert)
}

/// Legal duties of classified systems, as SoA inclusion reasons: each obligation's article is followed through
/// the crosswalk to the Annex A controls that help meet it.
pub(crate) async fn legal_reasons(
    tx: &mut Conn,
    org: &OrgId,
) -> Result<Vec<DerivedReason>, AppError> {
    let rows = tx
        .project(&CLASSIFICATIONS, org, &["system_id", "result"])
        .await?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let mut names: HashMap<String, String> = HashMap::new();
    for r in tx.project(&AI_SYSTEMS, org, &["id", "name"]).await? {
        names.insert(r[0].as_text().to_string(), r[1].as_text().to_string());
    }
    let mut controls_of: HashMap<String, Vec<String>> = HashMap::new();
    let mut out = Vec::new();
    for row in rows {
        let Ok(result) = serde_json::from_str::<classification::Classification>(row[1].as_text())
        else {
            continue;
        };
        let system = row[0].as_text();
        let name = names
            .get(system)
            .cloned()
            .unwrap_or_else(|| system.to_string());
        for o in result.obligations {
            if !controls_of.contains_key(&o.provision) {
                // A paragraph (`Art. 50(1)`) maps through its article (`Art. 50`) when it has no mapping itself.
                let mut mapped = annex_a_for(&o.provision)?;
                if mapped.is_empty()
                    && let Some((article, _)) = o.provision.split_once('(')
                {
                    mapped = annex_a_for(article)?;
                }
                controls_of.insert(o.provision.clone(), mapped);
            }
            let controls = controls_of.get(&o.provision).cloned().unwrap_or_default();
            if !controls.is_empty() {
                out.push(DerivedReason {
                    kind: "legal".into(),
                    reference: format!("EU AI Act {} / {system}", o.provision),
                    label: format!("EU AI Act {} for '{name}'", o.provision),
                    controls,
                });
            }
        }
    }
    Ok(out)
}

fn annex_a_for(provision: &str) -> Result<Vec<String>, AppError> {
    Ok(crate::catalogue::builtin()?
        .mappings("eu-ai-act", provision)
        .into_iter()
        .filter(|m| m.framework == "iso42001" && m.reference.starts_with("A."))
        .map(|m| m.reference)
        .collect())
}

impl App {
    /// The EU AI Act classification questionnaire, for a member of any role.
    pub fn classification_questionnaire(&self, actor: &Actor) -> Result<Questionnaire, AppError> {
        actor.require(Permission::Read)?;
        questionnaire()
    }

    /// Classifies an AI system under the EU AI Act from the questionnaire answers. The role defaults to the
    /// organization's role recorded for the system; the outcome replaces any earlier classification.
    pub async fn classify_system(
        &self,
        actor: &Actor,
        org: &OrgId,
        system_id: &RecordId,
        role: Option<&str>,
        answers: Answers,
    ) -> Result<Stored<ClassificationRecord>, AppError> {
        actor.require(Permission::Write)?;
        let system_id = aims_domain::parse_id("system", system_id)?;
        let q = questionnaire()?;
        let spec = spec(&q)?;
        let mut w = self.write_in(actor, Permission::Write, org).await?;
        let system: Stored<AiSystem> = w.get(&AI_SYSTEMS, &system_id).await?;
        let role = AiRole::parse("role", role.unwrap_or(&system.data.org_role))?;
        let result = classification::classify(&spec, role, &answers)?;
        let record = ClassificationRecord {
            system_id: system_id.clone(),
            role: role.as_str().to_string(),
            questionnaire_version: result.questionnaire_version,
            answers,
            result,
            assessor: actor.label.clone(),
        };
        let s = match w.find_id(&CLASSIFICATIONS, "system_id", &system_id).await? {
            Some(id) => w.update(&CLASSIFICATIONS, &id, None, &record).await?,
            None => w.insert(&CLASSIFICATIONS, &record).await?,
        };
        w.done(s).await
    }

    /// The classification of one AI system, if it has been classified.
    pub async fn classification(
        &self,
        actor: &Actor,
        org: &OrgId,
        system_id: &RecordId,
    ) -> Result<Option<Stored<ClassificationRecord>>, AppError> {
        actor.require(Permission::Read)?;
        let system_id = aims_domain::parse_id("system", system_id)?;
        let mut tx = self.store.begin_read().await?;
        if tx.get(&AI_SYSTEMS, org, &system_id).await?.is_none() {
            tx.commit().await?;
            return Err(AppError::NotFound(format!(
                "no AI system with id {system_id} in this organization"
            )));
        }
        let row = tx
            .find_by(&CLASSIFICATIONS, Some(org), "system_id", &system_id)
            .await?;
        tx.commit().await?;
        row.as_ref().map(records::from_row).transpose()
    }

    /// Every classification of the organization.
    pub async fn classifications(
        &self,
        actor: &Actor,
        org: &OrgId,
    ) -> Result<Vec<Stored<ClassificationRecord>>, AppError> {
        actor.require(Permission::Read)?;
        self.read_list(&CLASSIFICATIONS, org, &ListQuery::default())
            .await
    }
}

/// Checks answers against the questionnaire without storing anything (for forms that preview the outcome).
pub fn preview(role: &str, answers: &Answers) -> Result<classification::Classification, AppError> {
    let q = questionnaire()?;
    let role = AiRole::parse("role", role)?;
    Ok(classification::classify(&spec(&q)?, role, answers).map_err(|e: ValidationError| e)?)
}
