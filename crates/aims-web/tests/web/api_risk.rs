//! The REST API of risk management, controls, the Statement of Applicability, impact assessments and EU AI Act
//! classification, through the real router on SQLite and PostgreSQL: the role × endpoint matrix, organization
//! isolation, the chain risk → treatment → control → SoA → approval, ETag/If-Match, and bad input that is named
//! and leaves the store unchanged.

use crate::common::risk_endpoints::RISK_ENDPOINTS;
use crate::common::{
    Auth, EMAILS, Prepared, ROLES, Resp, Web, assert_role_matrix, from_json, op, org, texts,
};
use aims_app::{App, OrgId, RecordId, Stored};
use aims_domain::controls::ControlImplementation;
use aims_domain::impact::ImpactAssessment;
use aims_domain::inventory::AiSystem;
use aims_domain::risk::{Risk, Treatment};
use aims_domain::soa::SoaApproval;
use aims_domain::vocab::MemberRole;
use axum::http::{StatusCode, header};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// A test fixture: the standard fixture, and records of the demo organization every endpoint can act on.
struct Fx {
    web: Web,
    /// A system of the demo organization (classified by the fixture).
    system_a: RecordId,
    /// A risk, its treatment plan and a draft impact assessment of the demo organization.
    risk_a: RecordId,
    treatment_a: RecordId,
    impact_a: RecordId,
    /// An approved SoA version of the demo organization.
    soa_a: i64,
}

derefs_to_web!(Fx);

/// Whether some item of the JSON array `list` passes `pred` (a test failure when `list` is no array).
fn any_item(list: &Value, pred: impl Fn(&Value) -> bool) -> bool {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .any(pred)
}

fn score(l: i64, i: i64) -> Value {
    json!({"likelihood": l, "impact": i})
}

/// A risk of `system` with one assessment: inherent 4×4 (high), current 3×3, residual 2×2 (low).
fn risk_json(title: &str, system: &str) -> Value {
    json!({
        "title": title,
        "description": "Cause, event and consequence.",
        "system_ids": [system],
        "owner": "Head of Model Risk",
        "assessments": [{
            "date": "2026-01-15",
            "assessor": "Risk team",
            "inherent": score(4, 4),
            "current": score(3, 3),
            "residual": score(2, 2),
            "dimensions": ["individuals"],
        }],
    })
}

fn treatment_json(risk: &str) -> Value {
    json!({"risk_id": risk, "option": "modify", "description": "Validate before release.", "controls": ["A.6.2.4"]})
}

fn impact_json(system: &str, title: &str) -> Value {
    json!({"system_id": system, "title": title})
}

fn acceptance_json() -> Value {
    json!({"by": "Maria Keller", "role": "Chief Risk Officer", "date": "2026-02-01", "rationale": "Within appetite after validation."})
}

fn approval_json() -> Value {
    json!({"approved_by": "Katrin Vogel", "approver_role": "Chief Executive Officer", "note": "Test approval"})
}

/// Every always-required question of the classification questionnaire answered no (or no option): a minimal-risk
/// system.
fn minimal_answers() -> Value {
    let q = aims_app::classify::questionnaire().expect("questionnaire");
    let mut answers = serde_json::Map::new();
    for question in &q.questions {
        if matches!(
            question.section.as_str(),
            "prohibited" | "product_safety" | "annex_iii" | "transparency" | "gpai"
        ) {
            let a = if question.kind == "choice" {
                json!([])
            } else {
                json!(false)
            };
            answers.insert(question.id.clone(), a);
        }
    }
    Value::Object(answers)
}

/// Records a decision for every SoA line that has a problem or is undecided, so that the SoA of `org` can be
/// approved: a planned implementation where something calls for the control, a justified exclusion otherwise.
async fn make_soa_sound(app: &App, org: &OrgId) {
    let view = app.soa(&op(), org).await.expect("soa");
    for e in (view.entries.iter()).filter(|e| !e.problems.is_empty() || !e.decided) {
        let c: ControlImplementation = if e.reasons.is_empty() {
            from_json(json!({
                "control": e.control,
                "title": e.title,
                "status": "not_applicable",
                "justification": "Not relevant to this organization's AI systems.",
            }))
        } else {
            from_json(json!({"control": e.control, "title": e.title, "status": "planned"}))
        };
        app.set_control(&op(), org, c, None).await.expect("control");
    }
    let view = app.soa(&op(), org).await.expect("soa");
    assert_eq!(view.summary.with_problems, 0, "the SoA can be approved");
}

/// A risk of `system` in `org` as [`risk_json`] describes it, made through the use case.
async fn add_risk(app: &App, org: &OrgId, title: &str, system: &str) -> RecordId {
    let risk: Risk = from_json(risk_json(title, system));
    app.create_record(&op(), org, risk).await.expect("risk").id
}

/// A treatment plan of `risk` in `org` as [`treatment_json`] describes it.
async fn add_treatment(app: &App, org: &OrgId, risk: &str) -> RecordId {
    let plan: Treatment = from_json(treatment_json(risk));
    app.create_record(&op(), org, plan)
        .await
        .expect("treatment")
        .id
}

/// A draft impact assessment of `system` in `org`.
async fn add_impact(app: &App, org: &OrgId, system: &str, title: &str) -> RecordId {
    let a: ImpactAssessment = from_json(impact_json(system, title));
    app.create_record(&op(), org, a).await.expect("impact").id
}

async fn approve_soa(app: &App, org: &OrgId) -> i64 {
    let approval: SoaApproval = from_json(approval_json());
    app.approve_soa(&op(), org, approval)
        .await
        .expect("approve")
        .data
        .number
}

async fn fixture(backend: aims_app::test_store::Backend) -> Fx {
    let web = Web::new(backend).await;
    let (app, org_a) = (&web.app, &web.org_a);
    let system_a = app
        .create_record(
            &op(),
            org_a,
            AiSystem::new("Fixture system", "Scores things for the tests"),
        )
        .await
        .expect("system a")
        .id;
    let risk_a = add_risk(app, org_a, "Fixture risk", &system_a).await;
    let treatment_a = add_treatment(app, org_a, &risk_a).await;
    let impact_a = add_impact(app, org_a, &system_a, "Fixture assessment").await;
    app.classify_system(&op(), org_a, &system_a, None, from_json(minimal_answers()))
        .await
        .expect("classify");
    if app.control(&op(), org_a, "A.6.2.4").await.is_err() {
        app.set_control(
            &op(),
            org_a,
            from_json(json!({"control": "A.6.2.4", "status": "planned"})),
            None,
        )
        .await
        .expect("control");
    }
    make_soa_sound(app, org_a).await;
    let soa_a = approve_soa(app, org_a).await;
    Fx {
        system_a,
        risk_a,
        treatment_a,
        impact_a,
        soa_a,
        web,
    }
}

impl Fx {
    /// A JSON call.
    async fn send(
        &self,
        method: &str,
        path: &str,
        auth: &Auth,
        body: &Value,
        extra: &[(&str, &str)],
    ) -> Resp {
        self.call(method, path, auth, Some(&body.to_string()), extra)
            .await
    }

    /// The JSON body of a GET of the API.
    async fn get_json(&self, path: &str, auth: &Auth) -> Value {
        self.get(path, auth).await.json()
    }

    /// A JSON POST without more headers.
    async fn post_json(&self, path: &str, auth: &Auth, body: &Value) -> Resp {
        self.send("POST", path, auth, body, &[]).await
    }

    /// A JSON PUT without more headers.
    async fn put_json(&self, path: &str, auth: &Auth, body: &Value) -> Resp {
        self.send("PUT", path, auth, body, &[]).await
    }

    /// A JSON call with `If-Match: "<version>"`.
    async fn send_at(
        &self,
        method: &str,
        path: &str,
        auth: &Auth,
        body: &Value,
        version: i64,
    ) -> Resp {
        let etag = format!("\"{version}\"");
        self.send(method, path, auth, body, &[("if-match", &etag)])
            .await
    }

    async fn get(&self, path: &str, auth: &Auth) -> Resp {
        self.api_get(path, auth).await
    }

    async fn fresh_risk(&self) -> RecordId {
        add_risk(&self.app, &self.org_a, "Fresh risk", &self.system_a).await
    }

    /// A fresh treatment plan: (plan id, risk id).
    async fn fresh_treatment(&self) -> (RecordId, RecordId) {
        let risk = self.fresh_risk().await;
        (add_treatment(&self.app, &self.org_a, &risk).await, risk)
    }

    async fn fresh_impact(&self) -> RecordId {
        add_impact(&self.app, &self.org_a, &self.system_a, "Fresh assessment").await
    }
}

/// What a call of the matrix needs: the role it takes and the status it answers with when allowed.
fn expected(method: &str, template: &str, role: &str) -> StatusCode {
    if role == "none" {
        return StatusCode::UNAUTHORIZED;
    }
    let approval = matches!(
        (method, template),
        ("POST", "/api/v1/risk-method")
            | ("POST", "/api/v1/treatments/{id}/acceptance")
            | ("POST", "/api/v1/soa/versions")
            | ("POST", "/api/v1/impact-assessments/{id}/approval")
    );
    let allowed = match method {
        "GET" => true,
        _ if approval => matches!(role, "admin" | "manager"),
        _ => matches!(role, "admin" | "manager" | "contributor"),
    };
    if !allowed {
        return StatusCode::FORBIDDEN;
    }
    match (method, template) {
        (
            "POST",
            "/api/v1/risk-method"
            | "/api/v1/risks"
            | "/api/v1/treatments"
            | "/api/v1/soa/versions"
            | "/api/v1/impact-assessments",
        ) => StatusCode::CREATED,
        _ => StatusCode::OK,
    }
}

/// The concrete path, body and headers of a call of the matrix. Writes get fresh records, so every call finds
/// its target in the state it needs (a draft to approve, a plan of a risk, …).
async fn prepare(fx: &Fx, method: &str, template: &str) -> Prepared {
    let write = method != "GET";
    let collection = template
        .trim_start_matches("/api/v1/")
        .split('/')
        .next()
        .unwrap_or_default();
    let mut treatment_risk = RecordId::default();
    let id = match collection {
        "risks" if write => fx.fresh_risk().await,
        "risks" => fx.risk_a.clone(),
        "treatments" if write => {
            let (t, r) = fx.fresh_treatment().await;
            treatment_risk = r;
            t
        }
        "treatments" => fx.treatment_a.clone(),
        "impact-assessments" if write => fx.fresh_impact().await,
        "impact-assessments" => fx.impact_a.clone(),
        _ => fx.system_a.clone(),
    };
    let mut path = template
        .replace("{id}", &id)
        .replace("{control}", "A.6.2.4")
        .replace("{number}", &fx.soa_a.to_string());
    if template == "/api/v1/soa/diff" {
        path.push_str(&format!("?from={}", fx.soa_a));
    }
    let body = match (method, template) {
        ("GET", _) => None,
        (_, "/api/v1/risk-method") => {
            let mut m = fx.app.risk_method(&op(), &fx.org_a).await.expect("method");
            m.note = "Saved through the API".into();
            Some(serde_json::to_value(m).expect("method"))
        }
        ("POST", "/api/v1/risks") => Some(risk_json("Made by the API", &fx.system_a)),
        ("PUT", "/api/v1/risks/{id}") => {
            Some(json!({"title": "Changed by the API", "system_ids": [fx.system_a]}))
        }
        ("PATCH", "/api/v1/risks/{id}") => Some(json!({"owner": "Changed by a patch"})),
        ("PATCH", "/api/v1/treatments/{id}") => Some(json!({"status": "in_progress"})),
        ("PATCH", "/api/v1/impact-assessments/{id}") => {
            Some(json!({"title": "Patched by the API"}))
        }
        (_, "/api/v1/risks/{id}/assessments") => Some(json!({
            "date": "2026-03-01", "inherent": score(4, 4), "current": score(2, 3), "residual": score(1, 2),
        })),
        ("POST", "/api/v1/treatments") => Some(treatment_json(&fx.fresh_risk().await)),
        ("PUT", "/api/v1/treatments/{id}") => {
            let mut t = treatment_json(&treatment_risk);
            t["status"] = json!("in_progress");
            Some(t)
        }
        (_, "/api/v1/treatments/{id}/acceptance") => Some(acceptance_json()),
        (_, "/api/v1/controls/{control}") => Some(json!({
            "control": "A.6.2.4", "status": "implemented", "owner": "Head of Model Validation",
            "description": "Independent validation of every model version.",
        })),
        (_, "/api/v1/soa/versions") => Some(approval_json()),
        ("POST", "/api/v1/impact-assessments") => {
            Some(impact_json(&fx.system_a, "Made by the API"))
        }
        ("PUT", "/api/v1/impact-assessments/{id}") => {
            Some(impact_json(&fx.system_a, "Changed by the API"))
        }
        (_, "/api/v1/impact-assessments/{id}/approval") => Some(acceptance_json()),
        (_, "/api/v1/ai-systems/{id}/classification") => {
            Some(json!({"answers": minimal_answers()}))
        }
        _ => panic!("no body for {method} {template}"),
    };
    let headers = if matches!(method, "PUT" | "PATCH")
        && template.contains("{id}")
        && collection != "ai-systems"
    {
        vec![("if-match", "\"1\"".to_string())]
    } else {
        vec![]
    };
    (path, body.map(|b| b.to_string()), headers)
}

on_both!(risk_role_endpoint_matrix, |fx: Fx| async move {
    assert_role_matrix(&fx, RISK_ENDPOINTS, prepare, expected).await;
    // The members' roles are the ones the matrix assumes.
    let members = fx.app.members(&op(), &fx.org_a).await.expect("members");
    for (email, role) in EMAILS.iter().zip(ROLES) {
        assert!(
            members
                .iter()
                .any(|m| m.user.email == *email && m.role == *role),
            "{email} is {role}"
        );
    }
});

on_both!(risk_endpoints_are_documented, |fx: Fx| async move {
    let doc = fx.get_json("/api/v1/openapi.json", &Auth::None).await;
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("item").keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    for (method, path) in RISK_ENDPOINTS {
        assert!(
            documented.contains(&(method.to_string(), path.to_string())),
            "{method} {path} is documented"
        );
        let op = &doc["paths"][path][method.to_lowercase()];
        let responses = op["responses"].as_object().expect("responses");
        if *method != "GET" {
            assert!(
                responses.contains_key("403"),
                "{method} {path} documents 403"
            );
            assert!(
                responses.contains_key("400"),
                "{method} {path} documents 400"
            );
        }
        if path.contains('{') {
            assert!(
                responses.contains_key("404") || responses.contains_key("400"),
                "{method} {path} documents a missing or malformed address"
            );
        }
    }
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for name in [
        "Risk",
        "RiskMethod",
        "RiskAssessment",
        "Treatment",
        "Acceptance",
        "ControlImplementation",
        "SoaEntry",
        "SoaApproval",
        "ImpactAssessment",
        "ClassifyInput",
        "StoredRisk",
        "RiskPage",
        "StoredTreatment",
        "StoredControlDetail",
        "SoaState",
        "SoaDiff",
        "StoredSoaVersion",
        "StoredImpactAssessment",
        "StoredClassificationRecord",
        "ClassificationQuestionnaire",
        "ImpactTemplate",
    ] {
        assert!(schemas.contains_key(name), "schema {name}");
    }
    // No undocumented method is routed on these paths: every other method is refused with 405 in the error shape.
    let paths: BTreeSet<&str> = RISK_ENDPOINTS.iter().map(|(_, p)| *p).collect();
    for template in paths {
        let path = template
            .replace("{id}", &aims_domain::new_id())
            .replace("{control}", "A.6.2.4")
            .replace("{number}", "1");
        fx.assert_undocumented_methods_refused(template, &path, |m| {
            RISK_ENDPOINTS.contains(&(m, template))
        })
        .await;
    }
    // Stored records are one object each (no allOf the data's closed schema would make impossible).
    assert!(schemas["StoredRisk"]["allOf"].is_null());
    assert_eq!(schemas["StoredRisk"]["additionalProperties"], false);
    assert!(schemas["StoredControlDetail"]["properties"]["also_covers"].is_object());
});

on_both!(
    other_organizations_risk_records_are_not_found,
    |fx: Fx| async move {
        // The other organization's risk records, made through the use cases.
        let app = &fx.app;
        let b = &fx.org_b;
        let risk_b = add_risk(app, b, "Secret risk of B", &fx.system_b).await;
        let treatment_b = add_treatment(app, b, &risk_b).await;
        let impact_b = add_impact(app, b, &fx.system_b, "Secret assessment of B").await;
        app.classify_system(&op(), b, &fx.system_b, None, from_json(minimal_answers()))
            .await
            .expect("classify b");
        // An approved SoA version of B whose number the demo organization does not have.
        make_soa_sound(app, b).await;
        let numbers_a: Vec<i64> = app
            .soa_versions(&op(), &fx.org_a)
            .await
            .expect("versions")
            .iter()
            .map(|v| v.data.number)
            .collect();
        let mut soa_b = 0;
        while soa_b == 0 || numbers_a.contains(&soa_b) {
            soa_b = approve_soa(app, b).await;
        }
        let head_b = fx.head(b).await;
        let admin = fx.token("admin");
        let t = |id: &str| json!({"risk_id": id, "option": "avoid"});
        let calls: Vec<(&str, String, Option<Value>)> = vec![
            ("GET", format!("/api/v1/risks/{risk_b}"), None),
            (
                "PUT",
                format!("/api/v1/risks/{risk_b}"),
                Some(json!({"title": "Stolen"})),
            ),
            (
                "POST",
                format!("/api/v1/risks/{risk_b}/assessments"),
                Some(
                    json!({"date": "2026-03-01", "inherent": score(1, 1), "current": score(1, 1), "residual": score(1, 1)}),
                ),
            ),
            ("GET", format!("/api/v1/treatments/{treatment_b}"), None),
            (
                "PUT",
                format!("/api/v1/treatments/{treatment_b}"),
                Some(t(&risk_b)),
            ),
            (
                "POST",
                format!("/api/v1/treatments/{treatment_b}/acceptance"),
                Some(acceptance_json()),
            ),
            (
                "GET",
                format!("/api/v1/impact-assessments/{impact_b}"),
                None,
            ),
            (
                "PUT",
                format!("/api/v1/impact-assessments/{impact_b}"),
                Some(impact_json(&fx.system_b, "Stolen")),
            ),
            (
                "POST",
                format!("/api/v1/impact-assessments/{impact_b}/approval"),
                Some(acceptance_json()),
            ),
            ("GET", format!("/api/v1/soa/versions/{soa_b}"), None),
            ("GET", format!("/api/v1/soa/diff?from={soa_b}"), None),
            (
                "GET",
                format!("/api/v1/ai-systems/{}/classification", fx.system_b),
                None,
            ),
            (
                "PUT",
                format!("/api/v1/ai-systems/{}/classification", fx.system_b),
                Some(json!({"answers": minimal_answers()})),
            ),
        ];
        for (method, path, body) in calls {
            let body = body.map(|b| b.to_string());
            let if_match = [("if-match", "\"1\"")];
            let r = fx
                .call(method, &path, &admin, body.as_deref(), &if_match)
                .await;
            r.assert_hidden(&format!("{method} {path}"));
        }
        // A treatment plan of the demo organization cannot name B's risk either.
        let r = fx
            .post_json("/api/v1/treatments", &admin, &t(&risk_b))
            .await;
        r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), ["risk_id"]);
        assert_eq!(
            fx.head(b).await,
            head_b,
            "the other organization is unchanged"
        );
        // Lists and filters never show B's records.
        for path in [
            "/api/v1/risks".to_string(),
            format!("/api/v1/risks?system_id={}", fx.system_b),
            "/api/v1/treatments".to_string(),
            format!("/api/v1/treatments?risk_id={risk_b}"),
            "/api/v1/impact-assessments".to_string(),
            format!("/api/v1/impact-assessments?system_id={}", fx.system_b),
            "/api/v1/classifications".to_string(),
            "/api/v1/soa".to_string(),
            "/api/v1/soa/versions".to_string(),
            "/api/v1/controls".to_string(),
        ] {
            let r = fx.get(&path, &admin).await;
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
            for secret in [&risk_b, &treatment_b, &impact_b, &fx.system_b] {
                assert!(
                    !r.text.contains(secret.as_str()),
                    "{path} shows B's {secret}"
                );
            }
            assert!(!r.text.contains("Secret"), "{path} leaks");
        }
        // B's token sees B's own records and SoA, not the demo's.
        let tb = Auth::Token(fx.token_b.clone());
        assert_eq!(
            fx.get(&format!("/api/v1/risks/{risk_b}"), &tb).await.status,
            StatusCode::OK
        );
        let r = fx.get(&format!("/api/v1/soa/versions/{soa_b}"), &tb).await;
        r.assert_status(StatusCode::OK);
        assert_eq!(r.json()["number"], soa_b);
        let r = fx.get(&format!("/api/v1/risks/{}", fx.risk_a), &tb).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = fx.get_json("/api/v1/risks", &tb).await;
        assert_eq!(r["items"].as_array().map(Vec::len), Some(1));
        let r = fx.get_json("/api/v1/soa", &tb).await;
        assert!(
            r["risks"]
                .as_array()
                .expect("risks")
                .iter()
                .all(|x| x["id"] == risk_b.as_str()),
            "{r}"
        );
    }
);

/// An organization with nothing in it yet, with an admin, a manager and a contributor: their tokens in that order.
async fn empty_org(fx: &Fx) -> (OrgId, Auth, Auth, Auth) {
    let c = fx
        .app
        .create_org(&op(), org("Fresh Org", "fresh"), None)
        .await
        .expect("org")
        .org_id();
    let mut tokens = vec![];
    for (email, role) in [
        ("admin@fresh.example", MemberRole::Admin),
        ("manager@fresh.example", MemberRole::Manager),
        ("contributor@fresh.example", MemberRole::Contributor),
    ] {
        fx.app
            .add_member(&op(), &c, email, email, "fresh-password-123", role)
            .await
            .expect("member");
        tokens.push(Auth::Token(
            fx.app
                .create_token(&op(), &c, email, "test", Some(1))
                .await
                .expect("token")
                .token,
        ));
    }
    let contributor = tokens.pop().expect("contributor");
    let manager = tokens.pop().expect("manager");
    let admin = tokens.pop().expect("admin");
    (c, admin, manager, contributor)
}

on_both!(risk_to_treatment_to_soa_to_approval, |fx: Fx| async move {
    let (c, admin, manager, contributor) = empty_org(&fx).await;
    let r = fx
        .post_json("/api/v1/ai-systems", &contributor, &json!({"name": "Claims triage", "purpose": "Routes insurance claims", "org_role": "deployer"}))
        .await;
    r.assert_status(StatusCode::CREATED);
    let system = r.json()["id"].as_str().expect("id").to_string();

    // The method in force is the shipped default until one is saved.
    let method = fx.get_json("/api/v1/risk-method", &contributor).await;
    assert_eq!(method["number"], 1);
    assert_eq!(method["likelihood"].as_array().map(Vec::len), Some(5));

    // A risk with its first assessment, scored by the method.
    let r = fx
        .post_json(
            "/api/v1/risks",
            &contributor,
            &risk_json("Claims misrouted", &system),
        )
        .await;
    r.assert_status(StatusCode::CREATED);
    let risk = r.json();
    let risk_id = risk["id"].as_str().expect("id").to_string();
    assert_eq!(
        r.headers[header::LOCATION],
        format!("/api/v1/risks/{risk_id}").as_str()
    );
    assert_eq!(risk["status"], "open");
    assert_eq!(risk["assessments"][0]["method_version"], 1);
    assert_eq!(risk["assessments"][0]["levels"]["inherent"], "high");
    assert_eq!(risk["assessments"][0]["levels"]["residual"], "low");
    let r = fx
        .get(
            &format!("/api/v1/risks?system_id={system}&status=open&q=misrouted"),
            &contributor,
        )
        .await;
    assert_eq!(r.json()["items"][0]["id"], risk_id.as_str(), "{}", r.text);

    // A treatment plan relying on A.6.2.4; the risk moves to treating.
    let r = fx
        .post_json(
            "/api/v1/treatments",
            &contributor,
            &treatment_json(&risk_id),
        )
        .await;
    r.assert_status(StatusCode::CREATED);
    let treatment_id = r.json()["id"].as_str().expect("id").to_string();
    let r = fx
        .get(&format!("/api/v1/risks/{risk_id}"), &contributor)
        .await;
    assert_eq!(r.json()["status"], "treating");
    let r = fx
        .get(
            &format!("/api/v1/treatments?risk_id={risk_id}"),
            &contributor,
        )
        .await;
    assert_eq!(r.json()["items"][0]["id"], treatment_id.as_str());

    // The live SoA includes A.6.2.4 because of that risk.
    let soa = fx.get_json("/api/v1/soa", &contributor).await;
    let line = soa["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["control"] == "A.6.2.4")
        .cloned()
        .expect("A.6.2.4");
    assert_eq!(line["applicable"], true, "{line}");
    assert!(
        any_item(&line["reasons"], |r| r["kind"] == "risk"
            && r["reference"] == risk_id.as_str()),
        "{line}"
    );
    assert_eq!(soa["approved_version"], Value::Null);
    assert_eq!(soa["risks"][0]["id"], risk_id.as_str());
    let applicable = fx
        .get_json("/api/v1/soa?applicable=true", &contributor)
        .await;
    let controls = texts(&applicable["entries"], "control");
    assert_eq!(controls, ["A.6.2.4"]);
    assert_eq!(
        applicable["summary"], soa["summary"],
        "filters leave the summary whole"
    );

    // Approval is refused while exclusions are unjustified, naming each line; nothing is written.
    let head = fx.head(&c).await;
    let r = fx
        .post_json("/api/v1/soa/versions", &manager, &approval_json())
        .await;
    r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error()["code"], "invalid_input");
    let fields = r.fields();
    assert!(fields.iter().any(|f| f == "entries[A.2.2]"), "{fields:?}");
    assert!(
        fields.iter().all(|f| f.starts_with("entries[A.")),
        "{fields:?}"
    );
    assert!(
        !fields.iter().any(|f| f == "entries[A.6.2.4]"),
        "{fields:?}"
    );
    // Lines nobody has decided on yet are named too.
    r.assert_contains("no decision recorded yet");
    assert_eq!(fx.head(&c).await, head);
    assert_eq!(
        fx.get_json("/api/v1/soa/versions", &manager).await["items"],
        json!([])
    );

    // Justify each exclusion, record how A.6.2.4 is implemented, and approve.
    for f in &fields {
        let control = f.trim_start_matches("entries[").trim_end_matches(']');
        let r = fx
            .put_json(&format!("/api/v1/controls/{control}"), &contributor, &json!({"control": control, "status": "not_applicable", "justification": "No such activity here."}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{control}: {}", r.text);
    }
    let a624 = json!({"control": "A.6.2.4", "status": "planned", "owner": "QA lead"});
    let r = fx
        .put_json("/api/v1/controls/A.6.2.4", &contributor, &a624)
        .await;
    r.assert_status(StatusCode::CREATED);
    assert_eq!(r.json()["title"], "AI system verification and validation");
    let r = fx
        .send_at("PUT", "/api/v1/controls/A.6.2.4", &contributor, &a624, 1)
        .await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.headers[header::ETAG], "\"2\"");
    let r = fx.get("/api/v1/controls/A.6.2.4", &contributor).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::ETAG], "\"2\"");
    assert!(
        r.json()["also_covers"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "{}",
        r.text
    );
    let r = fx
        .post_json("/api/v1/soa/versions", &manager, &approval_json())
        .await;
    r.assert_status(StatusCode::CREATED);
    assert_eq!(r.headers[header::LOCATION], "/api/v1/soa/versions/1");
    assert_eq!(r.json()["number"], 1);
    assert_eq!(r.json()["approved_by"], "Katrin Vogel");
    let live = fx.get_json("/api/v1/soa", &contributor).await;
    assert_eq!(live["approved_version"], 1);
    assert_eq!(live["drift"], json!([]));

    // Accepting the residual risk shows as drift, and in the difference to the approved version.
    let r = fx
        .post_json(
            &format!("/api/v1/treatments/{treatment_id}/acceptance"),
            &manager,
            &acceptance_json(),
        )
        .await;
    r.assert_status(StatusCode::OK);
    assert_eq!(
        r.json()["acceptance"]["recorded_by"],
        "manager@fresh.example"
    );
    let r = fx
        .get(&format!("/api/v1/risks/{risk_id}"), &contributor)
        .await;
    assert_eq!(r.json()["status"], "accepted");
    let live = fx.get_json("/api/v1/soa", &contributor).await;
    assert_eq!(live["has_drift"], true);
    assert!(
        any_item(&live["drift"], |c| c["subject"] == "risk"
            && c["reference"] == risk_id.as_str()),
        "{live}"
    );
    let diff = fx.get_json("/api/v1/soa/diff?from=1", &contributor).await;
    assert_eq!(diff["to"], Value::Null);
    assert_eq!(diff["changes"], live["drift"]);
    let r = fx
        .post_json("/api/v1/soa/versions", &admin, &approval_json())
        .await;
    r.assert_status(StatusCode::CREATED);
    assert_eq!(r.json()["number"], 2);
    let diff = fx
        .get_json("/api/v1/soa/diff?from=1&to=2", &contributor)
        .await;
    assert_eq!(diff["changes"], live["drift"]);
    let v1 = fx.get("/api/v1/soa/versions/1", &contributor).await;
    assert_eq!(v1.status, StatusCode::OK);
    assert_eq!(
        v1.json()["risks"][0]["accepted_by"],
        "",
        "version 1 stays as approved"
    );
    let versions = fx.get_json("/api/v1/soa/versions", &contributor).await;
    assert_eq!(versions["items"][0]["number"], 2, "newest first");
    assert_eq!(
        fx.get("/api/v1/soa/versions/3", &contributor).await.status,
        StatusCode::NOT_FOUND
    );

    // A re-assessment is appended; the first one stays.
    let r = fx
        .post_json(&format!("/api/v1/risks/{risk_id}/assessments"), &contributor, &json!({"date": "2026-04-01", "inherent": score(4, 4), "current": score(2, 2), "residual": score(1, 2)}))
        .await;
    r.assert_status(StatusCode::OK);
    let assessments = r.json()["assessments"].clone();
    assert_eq!(assessments.as_array().map(Vec::len), Some(2));
    assert_eq!(assessments[0], risk["assessments"][0]);

    // A new method version scores later assessments.
    let mut m = method.clone();
    m["name"] = json!("Fresh 5x5");
    m["appetite"] = json!("low");
    let r = fx.post_json("/api/v1/risk-method", &manager, &m).await;
    r.assert_status(StatusCode::CREATED);
    assert_eq!(r.json()["number"], 2);
    assert_eq!(
        fx.get_json("/api/v1/risk-method", &contributor).await["name"],
        "Fresh 5x5"
    );
    let versions = fx
        .get_json("/api/v1/risk-method/versions", &contributor)
        .await;
    assert_eq!(versions["items"].as_array().map(Vec::len), Some(2));

    // An impact assessment with a harm above the appetite raises a register risk; approval happens once.
    let body = json!({
        "system_id": system, "title": "Claims triage impact", "template": "default",
        "affected": [{"name": "Claimants", "kind": "individuals"}],
        "impacts": [{"area": "fairness", "nature": "harm", "description": "Some claimants wait longer.",
                     "affected": ["Claimants"], "severity": 4, "likelihood": 4, "controls": ["A.6.2.4"]}],
    });
    let r = fx
        .post_json("/api/v1/impact-assessments", &contributor, &body)
        .await;
    r.assert_status(StatusCode::CREATED);
    let impact = r.json();
    let impact_id = impact["id"].as_str().expect("id").to_string();
    let raised = impact["impacts"][0]["risk_id"]
        .as_str()
        .expect("raised risk")
        .to_string();
    let r = fx
        .get(&format!("/api/v1/risks/{raised}"), &contributor)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json()["raised_from"][0],
        format!("{impact_id}#0").as_str()
    );
    let list = fx
        .get_json(
            &format!("/api/v1/impact-assessments?system_id={system}"),
            &contributor,
        )
        .await;
    assert_eq!(list["items"][0]["id"], impact_id.as_str());
    let approval = format!("/api/v1/impact-assessments/{impact_id}/approval");
    let r = fx
        .post_json(&approval, &contributor, &acceptance_json())
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "contributors do not approve"
    );
    let r = fx.post_json(&approval, &manager, &acceptance_json()).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.json()["status"], "approved");
    let r = fx.post_json(&approval, &manager, &acceptance_json()).await;
    r.assert_status(StatusCode::CONFLICT);
    assert_eq!(r.error()["code"], "conflict");
    let templates = fx.get_json("/api/v1/impact-templates", &contributor).await;
    assert!(
        any_item(&templates, |t| t["id"] == "default"),
        "{templates}"
    );

    // EU AI Act classification: not classified yet, then classified, then re-classified.
    let path = format!("/api/v1/ai-systems/{system}/classification");
    let r = fx.get(&path, &contributor).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error()["code"], "not_classified");
    let q = fx
        .get_json("/api/v1/classification-questionnaire", &contributor)
        .await;
    assert!(q["questions"].as_array().is_some_and(|a| !a.is_empty()));
    let input = json!({"answers": minimal_answers()});
    let r = fx.put_json(&path, &contributor, &input).await;
    r.assert_status(StatusCode::CREATED);
    assert_eq!(r.json()["result"]["risk_class"], "minimal");
    assert_eq!(r.json()["role"], "deployer");
    let mut input = input;
    input["role"] = json!("provider");
    let r = fx.put_json(&path, &contributor, &input).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.json()["role"], "provider");
    let r = fx.get(&path, &contributor).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::ETAG], "\"2\"");
    let all = fx.get_json("/api/v1/classifications", &contributor).await;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(1));
    let r = fx
        .get(
            &format!(
                "/api/v1/ai-systems/{}/classification",
                aims_domain::new_id()
            ),
            &contributor,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error()["code"], "not_found");

    // The lists page with a cursor.
    for title in ["Second", "Third"] {
        fx.post_json("/api/v1/risks", &contributor, &json!({"title": title}))
            .await;
    }
    let mut seen = vec![];
    let mut cursor = String::new();
    loop {
        let page = fx
            .get_json(
                &format!("/api/v1/risks?limit=2&cursor={cursor}"),
                &contributor,
            )
            .await;
        for item in page["items"].as_array().expect("items") {
            seen.push(item["id"].as_str().expect("id").to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    let all = fx.get_json("/api/v1/risks?limit=200", &contributor).await;
    let ids = texts(&all["items"], "id");
    assert_eq!(seen, ids);
    assert_eq!(ids.len(), 4);
});

/// Replaces the record at `path` with `body` at version 1 (as the admin); then asserts that replacing it again at
/// version 1, and posting `action` to `{path}/{sub}` at version 1, are refused as stale and write nothing.
async fn assert_stale_after_replace(fx: &Fx, path: &str, body: &Value, sub: &str, action: &Value) {
    let admin = fx.token("admin");
    let r = fx.send_at("PUT", path, &admin, body, 1).await;
    r.assert_status(StatusCode::OK);
    let before = fx.head(&fx.org_a).await;
    let r = fx.send_at("PUT", path, &admin, body, 1).await;
    r.assert_status(StatusCode::PRECONDITION_FAILED);
    let action_path = format!("{path}/{sub}");
    let r = fx.send_at("POST", &action_path, &admin, action, 1).await;
    r.assert_status(StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        fx.head(&fx.org_a).await,
        before,
        "{path}: stale writes change nothing"
    );
}

on_both!(stale_if_match_is_refused, |fx: Fx| async move {
    let admin = fx.token("admin");
    let head = || fx.head(&fx.org_a);
    let at = async |method, path: &str, body: &Value, version| {
        fx.send_at(method, path, &admin, body, version).await
    };

    // Risks: If-Match is required to replace, optional to re-assess; a stale one changes nothing.
    let risk = fx.fresh_risk().await;
    let path = format!("/api/v1/risks/{risk}");
    let r = fx.get(&path, &admin).await;
    assert_eq!(r.headers[header::ETAG], "\"1\"");
    let body = json!({"title": "Renamed", "system_ids": [fx.system_a]});
    let r = fx.put_json(&path, &admin, &body).await;
    r.assert_status(StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(r.error()["code"], "precondition_required");
    let r = at("PUT", &path, &body, 1).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.headers[header::ETAG], "\"2\"");
    let before = head().await;
    let r = at("PUT", &path, &body, 1).await;
    r.assert_status(StatusCode::PRECONDITION_FAILED);
    assert_eq!(r.error()["code"], "precondition_failed");
    let assessment = json!({"date": "2026-03-01", "inherent": score(3, 3), "current": score(2, 2), "residual": score(1, 1)});
    let assessments = format!("{path}/assessments");
    let r = at("POST", &assessments, &assessment, 1).await;
    r.assert_status(StatusCode::PRECONDITION_FAILED);
    assert_eq!(head().await, before, "stale writes change nothing");
    at("POST", &assessments, &assessment, 2)
        .await
        .assert_status(StatusCode::OK);

    // Treatment plans and their acceptance.
    let (treatment, risk) = fx.fresh_treatment().await;
    let path = format!("/api/v1/treatments/{treatment}");
    let body = treatment_json(&risk);
    assert_stale_after_replace(&fx, &path, &body, "acceptance", &acceptance_json()).await;

    // Impact assessments and their approval (a stale approval is 412, not "already approved").
    let impact = fx.fresh_impact().await;
    let path = format!("/api/v1/impact-assessments/{impact}");
    let body = impact_json(&fx.system_a, "Revised");
    assert_stale_after_replace(&fx, &path, &body, "approval", &acceptance_json()).await;
    at("POST", &format!("{path}/approval"), &acceptance_json(), 2)
        .await
        .assert_status(StatusCode::OK);

    // Control implementations: If-Match is optional, and a stale one is refused.
    let control = "/api/v1/controls/A.6.2.4";
    let current = fx.get(control, &admin).await;
    let version = current.json()["version"].as_i64().expect("version");
    let body = json!({"control": "A.6.2.4", "status": "implemented"});
    let before = head().await;
    at("PUT", control, &body, version - 1)
        .await
        .assert_status(StatusCode::PRECONDITION_FAILED);
    assert_eq!(head().await, before);
    at("PUT", control, &body, version)
        .await
        .assert_status(StatusCode::OK);
});

/// A bad request: method, path, body, the status it gets and the fields it names (not checked when empty).
type Case = (
    &'static str,
    String,
    Option<Value>,
    StatusCode,
    Vec<&'static str>,
);

on_both!(
    bad_input_is_named_and_changes_nothing,
    |fx: Fx| async move {
        let admin = fx.token("admin");
        let before = fx.head(&fx.org_a).await;
        let risk = format!("/api/v1/risks/{}", fx.risk_a);
        let treatment = format!("/api/v1/treatments/{}", fx.treatment_a);
        let classification = format!("/api/v1/ai-systems/{}/classification", fx.system_a);
        let mut method: Value = fx.get_json("/api/v1/risk-method", &admin).await;
        method["matrix"][1] = json!(["low", "low"]);
        method["matrix"][2][0] = json!("");
        let mut outside = risk_json("Outside the scale", &fx.system_a);
        outside["assessments"][0]["inherent"] = score(6, 1);
        outside["assessments"][0]["residual"] = score(1, 0);
        let cases: Vec<Case> = vec![
            // Malformed bodies: unknown fields, wrong types, missing fields.
            (
                "POST",
                "/api/v1/risks".into(),
                Some(json!({"title": "x", "colour": "red"})),
                StatusCode::BAD_REQUEST,
                vec!["colour"],
            ),
            (
                "POST",
                "/api/v1/risks".into(),
                Some(json!({"title": 5})),
                StatusCode::BAD_REQUEST,
                vec!["title"],
            ),
            (
                "POST",
                "/api/v1/risks".into(),
                Some(
                    json!({"title": "x", "assessments": [{"date": "2026-01-01", "inherent": score(1, 1), "current": {"likelihood": "high", "impact": 1}, "residual": score(1, 1)}]}),
                ),
                StatusCode::BAD_REQUEST,
                vec!["assessments[0].current.likelihood"],
            ),
            (
                "POST",
                format!("{treatment}/acceptance"),
                Some(json!({"role": "CRO", "date": "2026-01-01", "rationale": "ok"})),
                StatusCode::BAD_REQUEST,
                vec!["by"],
            ),
            (
                "POST",
                "/api/v1/soa/versions".into(),
                Some(json!({"approver_role": "CEO"})),
                StatusCode::BAD_REQUEST,
                vec!["approved_by"],
            ),
            (
                "PUT",
                classification.clone(),
                Some(json!({"answers": {"chatbot": 5}})),
                StatusCode::BAD_REQUEST,
                vec!["answers.chatbot"],
            ),
            (
                "PUT",
                classification.clone(),
                Some(json!({"answers": {}, "colour": 1})),
                StatusCode::BAD_REQUEST,
                vec!["colour"],
            ),
            // Values the rules refuse.
            (
                "POST",
                "/api/v1/risks".into(),
                Some(outside),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![
                    "assessments[0].inherent.likelihood",
                    "assessments[0].residual.impact",
                ],
            ),
            (
                "POST",
                "/api/v1/risk-method".into(),
                Some(method),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["matrix[1]", "matrix[2][0]"],
            ),
            (
                "POST",
                "/api/v1/soa/versions".into(),
                Some(json!({"approved_by": " ", "approver_role": "CEO"})),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["approved_by"],
            ),
            (
                "POST",
                format!("{treatment}/acceptance"),
                Some(json!({"by": "", "role": "CRO", "date": "2026-01-01", "rationale": "ok"})),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["acceptance.by"],
            ),
            (
                "PUT",
                "/api/v1/controls/A.5.2".into(),
                Some(json!({"control": "A.5.2", "status": "not_applicable"})),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["justification"],
            ),
            (
                "PUT",
                "/api/v1/controls/A.5.2".into(),
                Some(json!({"control": "A.5.3", "status": "implemented"})),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["control"],
            ),
            (
                "POST",
                "/api/v1/treatments".into(),
                Some(json!({"risk_id": fx.risk_a, "option": "modify", "controls": ["A.99.1"]})),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["controls[0]"],
            ),
            (
                "POST",
                "/api/v1/treatments".into(),
                Some(json!({"risk_id": "nope", "option": "modify", "controls": ["A.6.2.4"]})),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["risk_id"],
            ),
            (
                "POST",
                "/api/v1/impact-assessments".into(),
                Some(json!({"system_id": fx.system_a, "title": "x", "status": "approved"})),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["status"],
            ),
            (
                "PUT",
                risk.clone(),
                Some(
                    json!({"title": "x", "assessments": [{"date": "2020-01-01", "inherent": score(1, 1), "current": score(1, 1), "residual": score(1, 1)}]}),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["assessments"],
            ),
            (
                "PUT",
                classification.clone(),
                Some(json!({"role": "boss", "answers": minimal_answers()})),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["role"],
            ),
            (
                "PUT",
                classification.clone(),
                Some(json!({"answers": {}})),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![],
            ),
            // Ids and query parameters.
            (
                "GET",
                "/api/v1/risks/not-an-id".into(),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["id"],
            ),
            (
                "GET",
                "/api/v1/ai-systems/not-an-id/classification".into(),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["id"],
            ),
            (
                "GET",
                "/api/v1/risks?status=bogus".into(),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["status"],
            ),
            (
                "GET",
                "/api/v1/risks?system_id=xyz".into(),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["system_id"],
            ),
            (
                "GET",
                "/api/v1/risks?colour=red".into(),
                None,
                StatusCode::BAD_REQUEST,
                vec!["colour"],
            ),
            (
                "GET",
                "/api/v1/risks?limit=0".into(),
                None,
                StatusCode::BAD_REQUEST,
                vec!["limit"],
            ),
            (
                "GET",
                "/api/v1/risks?cursor=zz".into(),
                None,
                StatusCode::BAD_REQUEST,
                vec!["cursor"],
            ),
            (
                "GET",
                "/api/v1/treatments?risk_id=xyz".into(),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["risk_id"],
            ),
            (
                "GET",
                "/api/v1/soa?applicable=maybe".into(),
                None,
                StatusCode::BAD_REQUEST,
                vec!["applicable"],
            ),
            (
                "GET",
                "/api/v1/soa?status=done".into(),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["status"],
            ),
            (
                "GET",
                "/api/v1/soa/diff".into(),
                None,
                StatusCode::BAD_REQUEST,
                vec!["from"],
            ),
            (
                "GET",
                "/api/v1/soa/diff?from=first".into(),
                None,
                StatusCode::BAD_REQUEST,
                vec!["from"],
            ),
            (
                "GET",
                "/api/v1/soa/versions/latest".into(),
                None,
                StatusCode::BAD_REQUEST,
                vec!["number"],
            ),
            (
                "GET",
                "/api/v1/controls/A.99.9".into(),
                None,
                StatusCode::NOT_FOUND,
                vec![],
            ),
            // NUL characters, which PostgreSQL text cannot hold, are refused on both backends.
            (
                "POST",
                "/api/v1/risks".into(),
                Some(json!({"title": "a\u{0}b"})),
                StatusCode::BAD_REQUEST,
                vec!["title"],
            ),
            (
                "PUT",
                "/api/v1/controls/A.5.2".into(),
                Some(
                    json!({"control": "A.5.2", "reasons": [{"kind": "legal", "reference": "\u{0}"}]}),
                ),
                StatusCode::BAD_REQUEST,
                vec!["reasons[0].reference"],
            ),
            (
                "GET",
                "/api/v1/risks?q=%00".into(),
                None,
                StatusCode::BAD_REQUEST,
                vec!["q"],
            ),
            (
                "GET",
                "/api/v1/controls/A%00".into(),
                None,
                StatusCode::NOT_FOUND,
                vec![],
            ),
            (
                "PUT",
                "/api/v1/controls/A%00".into(),
                Some(json!({"control": "A.5.2"})),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["control"],
            ),
        ];
        let mut failures = vec![];
        for (method, path, body, status, fields) in cases {
            let body = body.map(|b| b.to_string());
            let r = fx
                .call(method, &path, &admin, body.as_deref(), &[("if-match", "*")])
                .await;
            if r.status != status {
                failures.push(format!(
                    "{method} {path}: {} (want {status}) {}",
                    r.status, r.text
                ));
                continue;
            }
            let got = r.fields();
            if !fields.is_empty() && got != fields {
                failures.push(format!("{method} {path}: fields {got:?} (want {fields:?})"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert_eq!(
            fx.head(&fx.org_a).await,
            before,
            "bad input changes nothing"
        );
        // The classification named what is missing.
        let r = fx
            .put_json(&classification, &admin, &json!({"answers": {}}))
            .await;
        assert!(
            r.fields().iter().all(|f| f.starts_with("answers.")),
            "{}",
            r.text
        );
        // Risk and treatment records are untouched.
        let r: Stored<Risk> = from_json(fx.get_json(&risk, &admin).await);
        assert_eq!(r.data.title, "Fixture risk");
        let t: Stored<Treatment> = from_json(fx.get_json(&treatment, &admin).await);
        assert_eq!(t.data.controls, ["A.6.2.4"]);
    }
);
