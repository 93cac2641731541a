//! The demo organization behind `aims serve --demo`: a fictional mid-size EU lender, Northwind Lending, with users
//! for every role, a scope statement, context, suppliers, custom fields, an AI system inventory and its risk
//! management (classifications, impact assessments, risks, treatment plans, controls and two approved versions
//! of the Statement of Applicability).
//!
//! It exists so that someone trying aims sees a realistic, filled-in AIMS instead of empty screens. The content
//! is data, `content/demo-organization.json`, brought in by the organization import that users have for their
//! own records ([`App::import_organization`]); so every record is validated exactly like user input, lands in
//! the hash-chained change log, and is attributed to the demo person who would enter it. Names, addresses and
//! companies other than GitHub and Microsoft are invented; e-mail and web addresses use the reserved `.example`
//! top-level domain.

use crate::import::{ImportOptions, ImportTarget};
use crate::{Actor, App, AppError, Stored};
use aims_domain::context::Organization;

/// Password of every demo user (documented in the README; the demo is for trying aims, never for real data).
pub const DEMO_PASSWORD: &str = "demo-aims-2026!";

/// The demo organization as an organization document (see `docs/import.md`).
pub const DEMO_DOCUMENT: &str = include_str!("../content/demo-organization.json");

/// A demo user to sign in as; returned so that `aims serve --demo` can tell the person trying aims which
/// accounts exist and what each role lets them see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    /// Sign-in email.
    pub email: String,
    /// Role in the demo organization (`admin`, `manager`, `contributor`, `auditor`, `viewer`).
    pub role: String,
}

/// What [`seed_demo`] created, so the caller can announce the demo organization and its sign-in accounts.
#[derive(Debug, Clone)]
pub struct DemoInfo {
    /// The demo organization with its filled-in profile.
    pub organization: Stored<Organization>,
    /// One user per role, admin first; every one signs in with [`DEMO_PASSWORD`].
    pub users: Vec<DemoUser>,
}

/// The slug of the demo organization in [`DEMO_DOCUMENT`].
pub const DEMO_SLUG: &str = "northwind";

/// The demo organization of a store that already holds it (an earlier `serve --demo`), with its members, so that
/// a second start can say how to sign in again; None when the store holds no organization with the demo's slug.
pub async fn existing_demo(app: &App) -> Result<Option<DemoInfo>, AppError> {
    let Some(organization) =
        (app.organizations().await?.into_iter()).find(|o| o.data.slug == DEMO_SLUG)
    else {
        return Ok(None);
    };
    let members = app
        .members(&Actor::operator("demo"), &organization.org_id())
        .await?;
    let users = members
        .into_iter()
        .filter(|m| !m.user.disabled)
        .map(|m| DemoUser {
            email: m.user.email,
            role: m.role,
        })
        .collect();
    Ok(Some(DemoInfo {
        organization,
        users,
    }))
}

/// Creates the demo organization when the store holds no organization; returns None (and changes nothing)
/// otherwise.
///
/// The import checks the whole document before writing, then writes each record through its use case and
/// transaction (as when a person enters the data), so a storage failure half way leaves a partly filled demo
/// organization behind; the demo is meant for a throw-away store.
pub async fn seed_demo(app: &App) -> Result<Option<DemoInfo>, AppError> {
    if !app.organizations().await?.is_empty() {
        return Ok(None);
    }
    let options = ImportOptions {
        password: Some(DEMO_PASSWORD.into()),
    };
    let report = app
        .import_organization(
            &Actor::operator("demo"),
            ImportTarget::New,
            DEMO_DOCUMENT,
            &options,
        )
        .await;
    let report = match report {
        Ok(r) => r,
        // Someone created an organization between the check and the import: leave theirs alone.
        // The check refuses the document (slug taken) before writing anything.
        Err(AppError::Invalid(_)) if !app.organizations().await?.is_empty() => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(Some(DemoInfo {
        organization: report.organization,
        users: report
            .users
            .into_iter()
            .map(|u| DemoUser {
                email: u.email,
                role: u.role,
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::SystemFilter;
    use aims_domain::context::{ContextIssue, InterestedParty, Supplier};
    use aims_domain::inventory::CustomFieldDef;
    use aims_domain::vocab::MemberRole;
    use aims_store::spec::AI_SYSTEMS;
    use aims_store::testing::{TestDb, backends};

    fn email(local: &str) -> String {
        format!("{local}@northwind-lending.example")
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn seed_demo_fills_an_empty_store_once_on_every_backend() {
        for backend in backends() {
            let db = TestDb::new(backend).await.unwrap();
            let app = App::open_or_create(&db.url).await.unwrap();
            let info = seed_demo(&app)
                .await
                .unwrap()
                .expect("an empty store gets the demo");
            assert_eq!(info.organization.data.slug, "northwind");
            assert_eq!(info.organization.data.ai_roles.len(), 3);
            let roles: Vec<&str> = info.users.iter().map(|u| u.role.as_str()).collect();
            assert_eq!(
                roles,
                ["admin", "manager", "contributor", "auditor", "viewer"],
                "{backend:?}"
            );
            let org = &info.organization.org_id();
            let reader = Actor::member(&info.users[3].email, MemberRole::Auditor);

            assert_eq!(app.members(&reader, org).await.unwrap().len(), 5);
            let signed_in = app
                .authenticate(&info.users[4].email, DEMO_PASSWORD)
                .await
                .unwrap();
            assert!(signed_in.is_some(), "demo users sign in with DEMO_PASSWORD");

            let all = app
                .systems(&reader, org, &SystemFilter::default())
                .await
                .unwrap();
            assert_eq!(all.len(), 8, "{backend:?}");
            let retired = SystemFilter {
                stage: Some("retired".into()),
                ..SystemFilter::default()
            };
            assert_eq!(app.systems(&reader, org, &retired).await.unwrap().len(), 1);
            let out_of_scope = SystemFilter {
                in_scope: Some(false),
                ..SystemFilter::default()
            };
            assert_eq!(
                app.systems(&reader, org, &out_of_scope)
                    .await
                    .unwrap()
                    .len(),
                1
            );

            let issues = app
                .list_records::<ContextIssue>(&reader, org)
                .await
                .unwrap();
            assert_eq!(issues.len(), 6);
            assert_eq!(issues.iter().filter(|i| i.data.climate_related).count(), 1);
            assert_eq!(
                app.list_records::<InterestedParty>(&reader, org)
                    .await
                    .unwrap()
                    .len(),
                5
            );
            let suppliers = app.list_records::<Supplier>(&reader, org).await.unwrap();
            assert_eq!(suppliers.len(), 5);
            for s in suppliers.iter().take(2) {
                let c = &s.data.certifications[0];
                assert_eq!(c.standard, "ISO/IEC 42001:2023");
                assert!(c.certificate_id.is_empty() && c.issuer.is_empty());
            }
            assert_eq!(
                app.list_records::<CustomFieldDef>(&reader, org)
                    .await
                    .unwrap()
                    .len(),
                2
            );

            let scope = app.scope(&reader, org).await.unwrap();
            let approved = scope.approved.expect("version 1 approved");
            assert_eq!(approved.data.number, 1);
            assert_eq!(approved.data.approved_by, email("maria.keller"));
            assert_eq!(scope.draft.expect("version 2 draft").data.number, 2);

            for name in [
                "Credit scoring (consumer loans)",
                "Collections prioritiser (legacy)",
            ] {
                let s = all.iter().find(|s| s.data.name == name).unwrap();
                let h = app
                    .history(&reader, org, AI_SYSTEMS.record_type, &s.id)
                    .await
                    .unwrap();
                assert_eq!(h.len(), 2, "{name}");
            }

            // Risk management: classifications, assessments, risks, plans, controls and two SoA versions.
            let cv = all
                .iter()
                .find(|s| s.data.name == "CV screening assistant")
                .unwrap();
            let class = app
                .classification(&reader, org, &cv.id)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(class.data.result.risk_class.as_str(), "high_risk");
            assert_eq!(app.classifications(&reader, org).await.unwrap().len(), 7);
            let risks = app
                .risks(&reader, org, &crate::risks::RiskFilter::default())
                .await
                .unwrap();
            assert_eq!(risks.len(), 6, "{backend:?}");
            assert_eq!(
                risks
                    .iter()
                    .filter(|r| !r.data.raised_from.is_empty())
                    .count(),
                2,
                "two risks come from impact-assessment harms"
            );
            assert_eq!(app.treatments(&reader, org, None).await.unwrap().len(), 6);
            assert_eq!(app.impacts(&reader, org, None).await.unwrap().len(), 2);
            let soa = app.soa(&reader, org).await.unwrap();
            assert_eq!(
                soa.entries.len(),
                40,
                "38 Annex A controls and 2 of Northwind's own"
            );
            assert_eq!(soa.summary.with_problems, 0);
            assert_eq!(soa.approved_version, Some(2));
            assert!(
                soa.drift.iter().any(|c| c.subject == "risk"),
                "the re-assessment after approval shows as drift: {:?}",
                soa.drift
            );
            let a624 = soa.entries.iter().find(|e| e.control == "A.6.2.4").unwrap();
            assert!(a624.reasons.iter().any(|r| r.kind == "risk"));
            assert!(a624.reasons.iter().any(|r| r.kind == "impact"));
            assert!(a624.reasons.iter().any(|r| r.kind == "legal"));
            let a82 = soa.entries.iter().find(|e| e.control == "A.8.2").unwrap();
            assert!(a82.reasons.iter().any(|r| r.kind == "interested_party"));
            let nw2 = soa.entries.iter().find(|e| e.control == "NW-2").unwrap();
            assert!(nw2.inherited.is_some());
            let diff = app.soa_diff(&reader, org, 1, Some(2)).await.unwrap();
            assert!(diff.iter().any(|c| c.reference == "A.6.2.4"), "{diff:?}");

            assert!(seed_demo(&app).await.unwrap().is_none());
            assert_eq!(app.organizations().await.unwrap().len(), 1);
            // A second start finds the demo and its members, to say how to sign in again.
            let again = existing_demo(&app)
                .await
                .unwrap()
                .expect("the demo is there");
            assert_eq!(again.organization.data.slug, DEMO_SLUG);
            let mut emails: Vec<&str> = again.users.iter().map(|u| u.email.as_str()).collect();
            let mut first: Vec<&str> = info.users.iter().map(|u| u.email.as_str()).collect();
            emails.sort_unstable();
            first.sort_unstable();
            assert_eq!(emails, first);
            let report = app.verify(&Actor::operator("test"), None).await.unwrap();
            assert!(report.intact(), "{backend:?}: {:?}", report.problems);
        }
    }
}
