//! The import on both backends: the demo document goes in and verifies; bad documents are refused with every
//! problem named by its path, and nothing is written.

use super::*;
use crate::test_support::on_each_backend;
use aims_domain::context::{ContextIssue, Supplier};
use serde_json::json;

fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Invalid(v) => v.errors.iter().map(|f| f.field.clone()).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

const PASSWORD: ImportOptions = ImportOptions { password: None };

/// Imports `doc` into the test organization as the operator, expecting a refusal.
async fn refused(t: &crate::test_support::TestOrg, doc: &str) -> AppError {
    t.app
        .import_organization(&t.operator, ImportTarget::Existing(&t.org), doc, &PASSWORD)
        .await
        .unwrap_err()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_document_imports_into_an_organization_and_verifies() {
    on_each_backend(async |t| {
        let report = t
            .app
            .import_organization(
                &t.operator,
                ImportTarget::Existing(&t.org),
                crate::demo::DEMO_DOCUMENT,
                &PASSWORD,
            )
            .await
            .unwrap();
        assert_eq!(report.organization.org_id(), t.org);
        assert_eq!(report.organization.data.slug, "northwind");
        assert_eq!(report.users.len(), 5, "{:?}", t.backend);
        assert!(report.users.iter().all(|u| u.generated_password.is_some()));
        let count = |s: &str| {
            report
                .created
                .iter()
                .find(|c| c.section == s)
                .map_or(0, |c| c.count)
        };
        assert_eq!(count("systems"), 8);
        assert_eq!(count("risks"), 4);
        assert_eq!(count("steps"), 6);
        assert_eq!(t.app.members(&t.operator, &t.org).await.unwrap().len(), 6);
        let soa = t.app.soa(&t.operator, &t.org).await.unwrap();
        assert_eq!(soa.approved_version, Some(2));
        let verify = t.app.verify(&t.operator, None).await.unwrap();
        assert!(verify.intact(), "{:?}: {:?}", t.backend, verify.problems);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_with_bad_fields_is_refused_whole_naming_each_path() {
    on_each_backend(async |t| {
        let doc = json!({
            "format": "aims-organization/1",
            "users": [{"ref": "ann", "email": "not-an-email", "name": "Ann", "role": "boss"}],
            "context_issues": [
                {"kind": "external", "title": "Fine issue"},
                {"kind": "sideways", "title": "Bad issue"}
            ],
            "suppliers": [{"ref": "acme", "name": "Acme", "colour": "red"}],
            "systems": [{"ref": "bot", "name": "Bot", "purpose": "Chat", "lifecycle_stage": "launched"}],
            "risks": [{
                "title": "Bot misleads",
                "system_ids": ["bot"],
                "assessments": [{
                    "date": "2026-01-10",
                    "inherent": {"likelihood": 9, "impact": 2},
                    "current": {"likelihood": 2, "impact": 2},
                    "residual": {"likelihood": "often", "impact": 2}
                }]
            }],
            "interplanetary": []
        });
        let e = refused(t, &doc.to_string()).await;
        let f = fields(&e);
        for expected in [
            "interplanetary",
            "suppliers[0].colour",
            "risks[0].assessments[0].residual.likelihood",
        ] {
            assert!(f.iter().any(|x| x == expected), "{expected} in {f:?}");
        }
        assert!(e.to_string().contains("unknown field `colour`"), "{e}");

        // Shape problems stop the check before the meaning is looked at; with the shape fixed, every
        // remaining problem is named at once.
        let mut doc = doc;
        doc["suppliers"][0]
            .as_object_mut()
            .unwrap()
            .remove("colour");
        doc.as_object_mut().unwrap().remove("interplanetary");
        doc["risks"][0]["assessments"][0]["residual"]["likelihood"] = json!(1);
        let doc = doc.to_string();
        let e = refused(t, &doc).await;
        let f = fields(&e);
        for expected in [
            "users[0].role",
            "users[0].email",
            "context_issues[1].kind",
            "systems[0].lifecycle_stage",
            "risks[0].assessments[0].inherent",
        ] {
            assert!(
                f.iter().any(|x| x.starts_with(expected)),
                "{expected} in {f:?}"
            );
        }
        assert!(!f.iter().any(|x| x.starts_with("context_issues[0]")), "{f:?}");

        // Nothing of the document was written.
        let issues = t
            .app
            .list_records::<ContextIssue>(&t.operator, &t.org)
            .await
            .unwrap();
        assert!(issues.is_empty(), "{:?}", t.backend);
        let suppliers = t
            .app
            .list_records::<Supplier>(&t.operator, &t.org)
            .await
            .unwrap();
        assert!(suppliers.is_empty());
        assert_eq!(t.app.members(&t.operator, &t.org).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_refs_and_actors_are_named() {
    on_each_backend(async |t| {
        let doc = json!({
            "format": "aims-organization/1",
            "users": [{"ref": "dev", "email": "dev@test.example", "name": "Dev", "role": "contributor"}],
            "systems": [{
                "ref": "bot", "name": "Bot", "purpose": "Chat",
                "components": [{"name": "LLM", "kind": "model", "supplier_id": "nobody"}]
            }],
            "risks": [{"ref": "r1", "title": "Bot misleads", "system_ids": ["robot"]}],
            "treatments": [{"risk_id": "r2", "option": "modify"}],
            "steps": [
                {"actor": "dev", "approve_soa": {"approved_by": "Dev", "approver_role": "Engineer"}},
                {"actor": "ghost", "assess_risk": {"risk": "r1", "assessment": {
                    "inherent": {"likelihood": 2, "impact": 2},
                    "current": {"likelihood": 2, "impact": 2},
                    "residual": {"likelihood": 2, "impact": 2}
                }}}
            ]
        });
        let e = refused(t, &doc.to_string()).await;
        let text = e.to_string();
        for expected in [
            "systems[0].components[0].supplier_id: no supplier with ref 'nobody'",
            "risks[0].system_ids[0]: no AI system with ref 'robot'",
            "treatments[0].risk_id: no risk with ref 'r2'",
            "steps[0].actor: the contributor role does not allow approve",
            "steps[1].actor: no user with ref 'ghost'",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        assert_eq!(t.app.members(&t.operator, &t.org).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_admins_import_and_only_the_operator_creates_an_organization() {
    on_each_backend(async |t| {
        let doc = json!({"format": "aims-organization/1"}).to_string();
        let manager = Actor::member("m@test.example", aims_domain::vocab::MemberRole::Manager);
        let e = t
            .app
            .import_organization(&manager, ImportTarget::Existing(&t.org), &doc, &PASSWORD)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
        let admin = Actor::member("admin@test.example", aims_domain::vocab::MemberRole::Admin);
        t.app
            .import_organization(&admin, ImportTarget::Existing(&t.org), &doc, &PASSWORD)
            .await
            .unwrap();
        let e = t
            .app
            .import_organization(&admin, ImportTarget::New, &doc, &PASSWORD)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
        let e = t
            .app
            .import_organization(&t.operator, ImportTarget::New, &doc, &PASSWORD)
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["organization"]);
        let e = refused(t, r#"{"format": "aims-organization/9"}"#).await;
        assert_eq!(fields(&e), ["format"]);
    })
    .await;
}
