//! Organization import: a versioned JSON document (`"format": "aims-organization/1"`) with an organization's
//! profile, members, context, suppliers, AI systems, risk management records and the workflow steps between
//! them, brought into aims in one go. It is how records come over from another tool, and how `aims serve --demo`
//! builds the demo organization (`content/demo-organization.json`). The format is described in `docs/import.md`.
//!
//! The whole document is read and checked first — shape, each record's own validation, every `ref` and `actor`,
//! every actor's right to the step — and every problem is reported with its path (`risks[3].owner`) before
//! anything is written. Then each record is written through its use case, so roles, validation and the
//! hash-chained change log apply exactly as for a person entering it.

mod check;
mod doc;
mod refs;

pub use doc::FORMAT;

use crate::impact::ApproveImpact;
use crate::orgs::generate_password;
use crate::risks::{AcceptResidualRisk, AssessRisk};
use crate::systems::{RetireInput, RetireSystem};
use crate::{Actor, App, AppError, Permission, Stored};
use crate::{OrgId, RecordId};
use aims_domain::ValidationError;
use aims_domain::context::Organization;
use aims_domain::inventory::AiSystem;
use aims_domain::users::check_password;
use aims_domain::vocab::MemberRole;
use doc::{Entry, Step};
use refs::{Kind, Refs, prefixed};
use serde::Serialize;

/// Where the records of a document go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportTarget<'a> {
    /// An existing organization (by id); its admins and the local operator may import.
    Existing(&'a str),
    /// A new organization made from the document's `organization` section; only the local operator may.
    New,
}

/// Choices of the importer that do not belong in the document.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Password of every user the import creates; when `None`, each gets a generated one, returned once in
    /// the report. Documents never carry passwords.
    pub password: Option<String>,
}

/// A member added by the import.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ImportedUser {
    /// Sign-in email.
    pub email: String,
    /// Role in the organization.
    pub role: String,
    /// The generated password, shown once; `None` when the importer chose the password. It is the user's
    /// password only if the import created the user: someone who already had an account keeps theirs.
    pub generated_password: Option<String>,
}

/// How many records of one section the import created.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SectionCount {
    /// Section name as in the document (`systems`).
    pub section: String,
    /// Items written.
    pub count: usize,
}

/// What an import did, for the caller to announce.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// The organization imported into, with its profile after the import.
    pub organization: Stored<Organization>,
    /// Members the import added, in document order.
    pub users: Vec<ImportedUser>,
    /// Items written per section, in the order the sections are written (sections without items left out).
    pub created: Vec<SectionCount>,
}

/// Names the document item a write failed on.
fn at(path: &str) -> impl FnOnce(AppError) -> AppError + '_ {
    move |e| match e {
        AppError::Invalid(v) => {
            let mut errs = ValidationError::default();
            prefixed(&mut errs, path, Err(v));
            AppError::Invalid(errs)
        }
        AppError::NotFound(m) => AppError::NotFound(format!("{path}: {m}")),
        AppError::Forbidden(m) => AppError::Forbidden(format!("{path}: {m}")),
        AppError::Conflict(m) => AppError::Conflict(format!("{path}: {m}")),
        other => other,
    }
}

/// Counts the items written per section.
#[derive(Default)]
struct Tally(Vec<SectionCount>);

impl Tally {
    fn add(&mut self, section: impl Into<String>, n: usize) {
        if n > 0 {
            self.0.push(SectionCount {
                section: section.into(),
                count: n,
            });
        }
    }
}

impl App {
    /// Imports an organization document (see the module documentation and `docs/import.md`). Nothing is written
    /// unless the whole document passes the check; every problem found is returned at once, each field named by
    /// its path in the document. The records are then written one use case at a time: should a write still fail
    /// (a storage error, or someone changing the organization at the same moment), the error names the item and
    /// the items before it stay written.
    pub async fn import_organization(
        &self,
        actor: &Actor,
        target: ImportTarget<'_>,
        document: &str,
        options: &ImportOptions,
    ) -> Result<ImportReport, AppError> {
        let org = match target {
            ImportTarget::Existing(id) => {
                actor.require(Permission::Administer)?;
                Some(OrgId::from(aims_domain::parse_id("org", id)?))
            }
            ImportTarget::New if actor.role.is_some() => {
                return Err(AppError::Forbidden(
                    "only the local operator can import into a new organization".into(),
                ));
            }
            ImportTarget::New => None,
        };
        if let Some(p) = &options.password {
            check_password("password", p)?;
        }
        let doc = doc::read(document)?;
        let actors = check::check(self, actor, org.as_ref(), &doc).await?;
        let mut tally = Tally::default();

        let organization = match (&org, &doc.organization) {
            (None, Some(e)) => self
                .create_org(actor, e.data.clone(), None)
                .await
                .map_err(at(&e.path))?,
            (Some(id), Some(e)) => self
                .update_org(&actors.of(e), id, None, e.data.clone())
                .await
                .map_err(at(&e.path))?,
            (Some(id), None) => self.resolve_org(Some(id.as_str())).await?,
            (None, None) => {
                return Err(ValidationError::one("organization", "is missing").into());
            }
        };
        let org = OrgId::from(organization.id.to_string());

        let mut users = Vec::new();
        for e in &doc.users {
            let generated = options.password.is_none().then(generate_password);
            let password = options
                .password
                .clone()
                .or_else(|| generated.clone())
                .unwrap_or_default();
            let role = MemberRole::parse("role", &e.data.role).map_err(AppError::from)?;
            let m = self
                .add_member(actor, &org, &e.data.email, &e.data.name, &password, role)
                .await
                .map_err(at(&e.path))?;
            users.push(ImportedUser {
                email: m.user.email,
                role: m.role,
                generated_password: generated,
            });
        }
        tally.add("users", users.len());

        for e in &doc.scope {
            let d = &e.data.draft;
            self.scope_draft(
                &actors.of(e),
                &org,
                &d.statement,
                &d.boundaries,
                &d.exclusions,
                None,
            )
            .await
            .map_err(at(&e.path))?;
            if let Some(a) = &e.data.approve {
                self.scope_approve(&actors.of(a), &org, &a.data.note)
                    .await
                    .map_err(at(&a.path))?;
            }
        }
        tally.add("scope", doc.scope.len());

        let mut refs = Refs::default();
        for (section, count) in self.put_kit_sections(&actors, &org, &doc).await? {
            tally.add(section, count);
        }
        tally.add(
            "suppliers",
            self.put_records(
                &actors,
                &org,
                &doc.suppliers,
                Some(Kind::Supplier),
                &mut refs,
            )
            .await?,
        );
        tally.add(
            "custom_fields",
            self.put_records(&actors, &org, &doc.custom_fields, None, &mut refs)
                .await?,
        );
        for e in &doc.controls {
            self.put_control(&actors, &org, e, &refs).await?;
        }
        tally.add("controls", doc.controls.len());
        tally.add(
            "interested_parties",
            self.put_records(&actors, &org, &doc.interested_parties, None, &mut refs)
                .await?,
        );

        for e in &doc.systems {
            let mut s = e.data.system.clone();
            refs.link_system(&mut s, &e.path, &mut ValidationError::default());
            let stored = self
                .create_record(&actors.of(e), &org, s)
                .await
                .map_err(at(&e.path))?;
            refs.keep(Kind::System, e, &stored.id);
            for c in &e.data.changes {
                let path = format!("{}.set", c.path);
                let patch = refs.link_patch(&c.data, &path, &mut ValidationError::default());
                self.modify_record(&actors.of(c), &org, &stored.id, None, |s: &mut AiSystem| {
                    *s = crate::kit::merge_patch(s, &patch, &path)?;
                    Ok(())
                })
                .await
                .map_err(at(&c.path))?;
            }
            if let Some(r) = &e.data.retire {
                let retire = RetireInput {
                    reason: r.data.reason.clone(),
                    on: Some(r.data.on.clone()),
                };
                self.step::<RetireSystem>(&actors.of(r), &org, &stored.id, None, retire)
                    .await
                    .map_err(at(&r.path))?;
            }
        }
        tally.add("systems", doc.systems.len());

        if let Some(e) = &doc.risk_method {
            self.save_risk_method(&actors.of(e), &org, e.data.clone())
                .await
                .map_err(at(&e.path))?;
            tally.add("risk_method", 1);
        }

        for e in &doc.classifications {
            let system = refs.id(Kind::System, &e.data.system_id).cloned();
            self.classify_system(
                &actors.of(e),
                &org,
                &RecordId::from(system.unwrap_or_default()),
                e.data.role.as_deref(),
                e.data.answers.clone(),
            )
            .await
            .map_err(at(&e.path))?;
        }
        tally.add("classifications", doc.classifications.len());

        for e in &doc.impact_assessments {
            let mut a = e.data.assessment.clone();
            refs.link_impact(&mut a, &e.path, &mut ValidationError::default());
            let stored = self
                .create_record(&actors.of(e), &org, a)
                .await
                .map_err(at(&e.path))?;
            if let Some(k) = &e.key {
                refs.add(Kind::Impact, k, stored.id.to_string());
                for (i, m) in stored.data.impacts.iter().enumerate() {
                    if !m.risk_id.is_empty() {
                        refs.add(Kind::Risk, &format!("{k}#{i}"), m.risk_id.clone());
                    }
                }
            }
            if let Some(ap) = &e.data.approve {
                self.step::<ApproveImpact>(&actors.of(ap), &org, &stored.id, None, ap.data.clone())
                    .await
                    .map_err(at(&ap.path))?;
            }
        }
        tally.add("impact_assessments", doc.impact_assessments.len());

        for e in &doc.risks {
            let mut r = e.data.clone();
            refs.link_risk(&mut r, &e.path, &mut ValidationError::default());
            let stored = self
                .create_record(&actors.of(e), &org, r)
                .await
                .map_err(at(&e.path))?;
            refs.keep(Kind::Risk, e, &stored.id);
        }
        tally.add("risks", doc.risks.len());

        for e in &doc.treatments {
            let mut t = e.data.clone();
            refs.link_treatment(&mut t, &e.path, &mut ValidationError::default());
            let stored = self
                .create_record(&actors.of(e), &org, t)
                .await
                .map_err(at(&e.path))?;
            refs.keep(Kind::Treatment, e, &stored.id);
        }
        tally.add("treatments", doc.treatments.len());

        for e in &doc.steps {
            self.put_step(&actors, &org, e, &refs).await?;
        }
        tally.add("steps", doc.steps.len());

        let organization = self.resolve_org(Some(&org)).await?;
        Ok(ImportReport {
            organization,
            users,
            created: tally.0,
        })
    }

    /// Writes the items of the kit sections (see `doc::kit_sections`) through the kit's create use case, in
    /// registry order; returns the count per section.
    async fn put_kit_sections(
        &self,
        actors: &check::Actors,
        org: &OrgId,
        doc: &doc::Document,
    ) -> Result<Vec<(String, usize)>, AppError> {
        type Job<'a> = std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<usize, AppError>> + Send + 'a>,
        >;
        struct Put<'a> {
            app: &'a App,
            actors: &'a check::Actors,
            org: &'a OrgId,
            doc: &'a doc::Document,
            jobs: Vec<(String, Job<'a>)>,
        }
        impl<'a> crate::kit::RecordVisitor for Put<'a> {
            fn visit<T: crate::kit::Record>(&mut self) {
                let name = T::DEF.plural_snake();
                let Some((_, items)) = self.doc.kit.iter().find(|(n, _)| *n == name) else {
                    return;
                };
                let (app, actors, org) = (self.app, self.actors, self.org);
                let job: Job<'a> = Box::pin(async move {
                    for e in items {
                        let data: T = doc::typed(&e.path, &e.data)?;
                        app.create_record(&actors.of(e), org, data)
                            .await
                            .map_err(at(&e.path))?;
                    }
                    Ok(items.len())
                });
                self.jobs.push((name, job));
            }
        }
        let mut put = Put {
            app: self,
            actors,
            org,
            doc,
            jobs: vec![],
        };
        crate::kit::each_record(&mut put);
        let mut counts = vec![];
        for (name, job) in put.jobs {
            counts.push((name, job.await?));
        }
        Ok(counts)
    }

    /// Writes the items of a plain record section, registering their refs as `kind`.
    async fn put_records<T: crate::kit::Record>(
        &self,
        actors: &check::Actors,
        org: &OrgId,
        items: &[Entry<T>],
        kind: Option<Kind>,
        refs: &mut Refs,
    ) -> Result<usize, AppError> {
        for e in items {
            let stored = self
                .create_record(&actors.of(e), org, e.data.clone())
                .await
                .map_err(at(&e.path))?;
            if let Some(kind) = kind {
                refs.keep(kind, e, &stored.id);
            }
        }
        Ok(items.len())
    }

    /// Records a control implementation of the document.
    async fn put_control(
        &self,
        actors: &check::Actors,
        org: &OrgId,
        e: &Entry<aims_domain::controls::ControlImplementation>,
        refs: &Refs,
    ) -> Result<(), AppError> {
        let mut c = e.data.clone();
        refs.link_control(&mut c, &e.path, &mut ValidationError::default());
        self.set_control(&actors.of(e), org, c, None)
            .await
            .map_err(at(&e.path))?;
        Ok(())
    }

    /// Runs one workflow step.
    async fn put_step(
        &self,
        actors: &check::Actors,
        org: &OrgId,
        e: &Entry<Step>,
        refs: &Refs,
    ) -> Result<(), AppError> {
        let who = actors.of(e);
        let id = |kind, key: &str| RecordId::from(refs.id(kind, key).cloned().unwrap_or_default());
        let path = format!("{}.{}", e.path, e.data.name());
        match &e.data {
            Step::AssessRisk { risk, assessment } => {
                self.step::<AssessRisk>(&who, org, &id(Kind::Risk, risk), None, assessment.clone())
                    .await
                    .map_err(at(&path))?;
            }
            Step::AcceptTreatment {
                treatment,
                acceptance,
            } => {
                self.step::<AcceptResidualRisk>(
                    &who,
                    org,
                    &id(Kind::Treatment, treatment),
                    None,
                    acceptance.clone(),
                )
                .await
                .map_err(at(&path))?;
            }
            Step::ApproveSoa(a) => {
                self.approve_soa(&who, org, a.clone())
                    .await
                    .map_err(at(&path))?;
            }
            Step::SetControl(c) => self.put_control(actors, org, &e.action(c), refs).await?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
