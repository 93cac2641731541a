//! Control implementation use cases: the organization records, per control, its status, owner, how it is met,
//! why it is included or excluded, and whether a certified supplier provides it. The crosswalks show which
//! requirements of other frameworks the same implementation answers.

use crate::OrgId;
use crate::catalogue::{self, MappingRow};
use crate::records::{self, Stored};
use crate::risks::catalog_refs;
use crate::{Actor, App, AppError, Permission};
use aims_domain::ValidationError;
use aims_domain::context::Supplier;
use aims_domain::controls::ControlImplementation;
use aims_store::ListQuery;
use aims_store::spec::{CONTROL_IMPLEMENTATIONS, SUPPLIERS};
use serde::Serialize;

/// A control implementation with what else it answers through the crosswalks.
#[derive(Debug, Clone, Serialize)]
pub struct ControlView {
    /// The stored implementation.
    #[serde(flatten)]
    pub implementation: Stored<ControlImplementation>,
    /// Requirements of other frameworks the control maps to ("this also covers AI RMF MANAGE 1.1").
    pub also_covers: Vec<MappingRow>,
}

/// Whether an inheritance names this certificate: by its number, or by its standard when the supplier register
/// holds the certificate without a number (a stated certification still to be verified).
fn certificate_matches(cert: &aims_domain::context::Certification, named: &str) -> bool {
    if cert.certificate_id.is_empty() {
        cert.standard == named
    } else {
        cert.certificate_id == named
    }
}

impl App {
    /// Records how the organization implements a control: creates the record for a control that has none,
    /// otherwise replaces it (refusing a stale `expected_version`).
    pub async fn set_control(
        &self,
        actor: &Actor,
        org: &OrgId,
        mut c: ControlImplementation,
        expected_version: Option<i64>,
    ) -> Result<Stored<ControlImplementation>, AppError> {
        actor.require(Permission::Write)?;
        let annex_a = catalog_refs("control")?;
        c.normalise_and_validate(&annex_a)?;
        if annex_a.contains(&c.control)
            && c.title.is_empty()
            && let Some(item) = catalogue::builtin()?.item("iso42001", &c.control)
        {
            c.title = item.title;
        }
        let mut w = self.write_in(actor, Permission::Write, org).await?;
        if let Some(inh) = &c.inherited {
            let supplier: Option<Stored<Supplier>> = w.find(&SUPPLIERS, &inh.supplier_id).await?;
            match supplier {
                None => {
                    return Err(ValidationError::one(
                        "inherited.supplier_id",
                        format!(
                            "no supplier with id {} in this organization",
                            inh.supplier_id
                        ),
                    )
                    .into());
                }
                Some(s) => {
                    if !s
                        .data
                        .certifications
                        .iter()
                        .any(|cert| certificate_matches(cert, &inh.certificate_id))
                    {
                        let known: Vec<&str> = s
                            .data
                            .certifications
                            .iter()
                            .map(|c| {
                                if c.certificate_id.is_empty() {
                                    c.standard.as_str()
                                } else {
                                    c.certificate_id.as_str()
                                }
                            })
                            .collect();
                        return Err(ValidationError::one(
                            "inherited.certificate_id",
                            format!(
                                "{} holds no certificate '{}' (known: {})",
                                s.data.name,
                                inh.certificate_id,
                                if known.is_empty() {
                                    "none".to_string()
                                } else {
                                    known.join(", ")
                                }
                            ),
                        )
                        .into());
                    }
                }
            }
        }
        let existing = w
            .find_id(&CONTROL_IMPLEMENTATIONS, "control", &c.control)
            .await?;
        let s = match existing {
            Some(id) => {
                w.update(&CONTROL_IMPLEMENTATIONS, &id, expected_version, &c)
                    .await?
            }
            None => {
                if expected_version.is_some_and(|v| v != 0) {
                    return Err(AppError::Conflict(format!(
                        "control {} has no implementation yet, so version {} cannot match",
                        c.control,
                        expected_version.unwrap_or_default()
                    )));
                }
                w.insert(&CONTROL_IMPLEMENTATIONS, &c).await?
            }
        };
        w.done(s).await
    }

    /// Lists the organization's control implementations in control order.
    pub async fn controls(
        &self,
        actor: &Actor,
        org: &OrgId,
    ) -> Result<Vec<Stored<ControlImplementation>>, AppError> {
        actor.require(Permission::Read)?;
        let q = ListQuery {
            order_by: Some("control"),
            ..ListQuery::default()
        };
        self.read_list(&CONTROL_IMPLEMENTATIONS, org, &q).await
    }

    /// One control's implementation (by control identifier or record id) with its crosswalk coverage.
    pub async fn control(
        &self,
        actor: &Actor,
        org: &OrgId,
        control: &str,
    ) -> Result<ControlView, AppError> {
        actor.require(Permission::Read)?;
        let mut tx = self.store.begin_read().await?;
        let row = match tx
            .find_by(&CONTROL_IMPLEMENTATIONS, Some(org), "control", control)
            .await?
        {
            Some(r) => Some(r),
            None if aims_domain::parse_id("control", control).is_ok() => {
                tx.get(&CONTROL_IMPLEMENTATIONS, org, control).await?
            }
            None => None,
        };
        tx.commit().await?;
        let Some(row) = row else {
            return Err(AppError::NotFound(format!(
                "control {control} has no implementation in this organization"
            )));
        };
        let implementation: Stored<ControlImplementation> = records::from_row(&row)?;
        let also_covers = catalogue::builtin()?.mappings("iso42001", &implementation.data.control);
        Ok(ControlView {
            implementation,
            also_covers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writers of one organization are serialised from the start of their transaction on PostgreSQL as on
    /// SQLite, so concurrent "create the implementation or update it" calls for one control give one record, not
    /// several.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_writes_of_one_control_give_one_record() {
        crate::test_support::on_each_backend(async |t| {
            let writers = 8;
            let mut tasks = vec![];
            for i in 0..writers {
                let app = t.app.clone();
                let org = t.org.clone();
                let op = t.operator.clone();
                tasks.push(tokio::spawn(async move {
                    let c = ControlImplementation {
                        title: "Our own control".into(),
                        status: "implemented".into(),
                        owner: format!("Owner {i}"),
                        ..ControlImplementation::new("ORG-SEC-1")
                    };
                    app.set_control(&op, &org, c, None).await
                }));
            }
            for task in tasks {
                task.await.unwrap().unwrap();
            }
            let all = t.app.controls(&t.operator, &t.org).await.unwrap();
            let mine: Vec<_> = all
                .iter()
                .filter(|c| c.data.control == "ORG-SEC-1")
                .collect();
            assert_eq!(mine.len(), 1, "{:?}", t.backend);
            assert_eq!(mine[0].version, writers, "{:?}", t.backend);
        })
        .await;
    }
}
