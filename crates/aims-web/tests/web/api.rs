//! The REST API through the real router, on SQLite and PostgreSQL: the role × endpoint matrix, organization
//! isolation, ETag/If-Match, bad input (which must leave the store unchanged), API tokens that expire or are
//! revoked, browser sessions with the CSRF header, cursor paging, and the OpenAPI document against the routes.

use crate::common::risk_endpoints;
use crate::common::{Auth, EMAILS, Prepared, Resp, Web, assert_role_matrix, from_json, op, texts};
use aims_app::{Actor, RecordId};
use aims_domain::context::{ContextIssue, InterestedParty, Supplier};
use aims_domain::inventory::AiSystem;
use aims_domain::vocab::MemberRole;
use axum::http::{StatusCode, header};
use serde_json::json;
use std::collections::{BTreeSet, HashSet};

/// Every endpoint of the API: (method, path template). The OpenAPI document must list exactly these.
const ENDPOINTS: &[(&str, &str)] = &[
    ("GET", "/api/v1/ai-systems"),
    ("POST", "/api/v1/ai-systems"),
    ("GET", "/api/v1/ai-systems/{id}"),
    ("PUT", "/api/v1/ai-systems/{id}"),
    ("PATCH", "/api/v1/ai-systems/{id}"),
    ("POST", "/api/v1/ai-systems/{id}/retire"),
    ("GET", "/api/v1/ai-systems/{id}/history"),
    ("GET", "/api/v1/organization"),
    ("GET", "/api/v1/scope"),
    ("GET", "/api/v1/scope/versions"),
    ("GET", "/api/v1/context-issues"),
    ("POST", "/api/v1/context-issues"),
    ("GET", "/api/v1/context-issues/{id}"),
    ("PUT", "/api/v1/context-issues/{id}"),
    ("PATCH", "/api/v1/context-issues/{id}"),
    ("DELETE", "/api/v1/context-issues/{id}"),
    ("GET", "/api/v1/context-issues/{id}/history"),
    ("GET", "/api/v1/interested-parties"),
    ("POST", "/api/v1/interested-parties"),
    ("GET", "/api/v1/interested-parties/{id}"),
    ("PUT", "/api/v1/interested-parties/{id}"),
    ("PATCH", "/api/v1/interested-parties/{id}"),
    ("DELETE", "/api/v1/interested-parties/{id}"),
    ("GET", "/api/v1/interested-parties/{id}/history"),
    ("GET", "/api/v1/suppliers"),
    ("POST", "/api/v1/suppliers"),
    ("GET", "/api/v1/suppliers/{id}"),
    ("PUT", "/api/v1/suppliers/{id}"),
    ("PATCH", "/api/v1/suppliers/{id}"),
    ("DELETE", "/api/v1/suppliers/{id}"),
    ("GET", "/api/v1/suppliers/{id}/history"),
    ("GET", "/api/v1/frameworks"),
    ("GET", "/api/v1/frameworks/{id}/items"),
    ("GET", "/api/v1/frameworks/{id}/items/{ref}"),
    ("GET", "/api/v1/frameworks/{id}/items/{ref}/mappings"),
    ("GET", "/api/v1/history/{record_type}/{id}"),
    ("POST", "/api/v1/verify"),
];

/// The caller's own API tokens: not role-gated (every member manages their own), tested on their own below.
const TOKEN_ENDPOINTS: &[(&str, &str)] = &[
    ("GET", "/api/v1/tokens"),
    ("POST", "/api/v1/tokens"),
    ("DELETE", "/api/v1/tokens/{id}"),
];

/// What a test fixture holds: the router over a demo store plus a second organization, and a token per role.
/// What a test fixture holds: the standard fixture, and records of the other organization and of the demo one.
struct Fx {
    web: Web,
    /// Records of the other organization: (kind, id).
    b_ids: Vec<(&'static str, RecordId)>,
    /// A system of the demo organization.
    system_a: RecordId,
}

derefs_to_web!(Fx);

fn issue(title: &str) -> ContextIssue {
    from_json(json!({"kind": "internal", "title": title}))
}

fn party(name: &str) -> InterestedParty {
    from_json(json!({"name": name}))
}

fn supplier(name: &str) -> Supplier {
    from_json(json!({"name": name}))
}

async fn fixture(backend: aims_app::test_store::Backend) -> Fx {
    let web = Web::new(backend).await;
    let (app, org_b) = (&web.app, &web.org_b);
    let issue_b = app
        .create_record(&op(), org_b, issue("Secret issue of B"))
        .await
        .expect("issue b");
    let party_b = app
        .create_record(&op(), org_b, party("Secret party of B"))
        .await
        .expect("party b");
    let supplier_b = app
        .create_record(&op(), org_b, supplier("Secret supplier of B"))
        .await
        .expect("supplier b");
    let system_a = app
        .systems(
            &op(),
            &web.org_a,
            &aims_app::systems::SystemFilter::default(),
        )
        .await
        .expect("systems")[0]
        .id
        .clone();
    Fx {
        b_ids: vec![
            ("ai-systems", web.system_b.clone()),
            ("context-issues", issue_b.id),
            ("interested-parties", party_b.id),
            ("suppliers", supplier_b.id),
        ],
        system_a,
        web,
    }
}

impl Fx {
    /// A fresh record of the demo organization to change or delete: returns its id.
    async fn fresh(&self, kind: &str) -> RecordId {
        let (app, org) = (&self.app, &self.org_a);
        let id = match kind {
            "ai-systems" => {
                let system = AiSystem::new("Fresh system", "For a test");
                app.create_record(&op(), org, system).await.map(|r| r.id)
            }
            "context-issues" => {
                let issue = issue("Fresh issue");
                app.create_record(&op(), org, issue).await.map(|r| r.id)
            }
            "interested-parties" => {
                let party = party("Fresh party");
                app.create_record(&op(), org, party).await.map(|r| r.id)
            }
            "suppliers" => {
                let supplier = supplier("Fresh supplier");
                app.create_record(&op(), org, supplier).await.map(|r| r.id)
            }
            other => panic!("no kind {other}"),
        };
        id.expect(kind)
    }
}

/// A valid body for creating or replacing a record of the collection.
fn body_for(collection: &str) -> &'static str {
    match collection {
        "ai-systems" => r#"{"name": "Made by the API", "purpose": "Testing the API"}"#,
        "context-issues" => r#"{"kind": "external", "title": "Made by the API"}"#,
        "interested-parties" => r#"{"name": "Made by the API"}"#,
        "suppliers" => r#"{"name": "Made by the API"}"#,
        _ => "{}",
    }
}

fn collection_of(template: &str) -> &str {
    template
        .trim_start_matches("/api/v1/")
        .split('/')
        .next()
        .unwrap_or_default()
}

/// What the endpoint needs to succeed: concrete path, body and headers. Writes get a fresh record each time, so
/// every call of the matrix finds its target.
async fn prepare(fx: &Fx, method: &str, template: &str) -> Prepared {
    let collection = collection_of(template);
    let writes = matches!(method, "PUT" | "PATCH" | "DELETE" | "POST");
    let id = if !template.contains("{id}")
        || template.starts_with("/api/v1/history")
        || collection == "frameworks"
        || (collection == "ai-systems" && !writes)
    {
        fx.system_a.clone()
    } else {
        fx.fresh(collection).await
    };
    let path = template
        .replace("/frameworks/{id}", "/frameworks/nist-ai-rmf")
        .replace("{ref}", "GOVERN%201.1")
        .replace("{record_type}", "ai_system")
        .replace("{id}", &id);
    let body = match (method, template) {
        (_, t) if t.ends_with("/retire") => Some(r#"{"reason": "Replaced"}"#.to_string()),
        ("POST", "/api/v1/verify") => None,
        ("POST" | "PUT" | "PATCH", _) => Some(body_for(collection).to_string()),
        _ => None,
    };
    let headers = if matches!(method, "PUT" | "PATCH") {
        vec![("if-match", "\"1\"".to_string())]
    } else {
        vec![]
    };
    (path, body, headers)
}

fn expected(method: &str, template: &str, role: &str) -> StatusCode {
    if role == "none" {
        return StatusCode::UNAUTHORIZED;
    }
    if template == "/api/v1/verify" {
        return if matches!(role, "admin" | "manager" | "auditor") {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
    }
    let write = method != "GET";
    if write && matches!(role, "auditor" | "viewer") {
        return StatusCode::FORBIDDEN;
    }
    match method {
        "POST" if !template.ends_with("/retire") => StatusCode::CREATED,
        "DELETE" => StatusCode::NO_CONTENT,
        _ => StatusCode::OK,
    }
}

on_both!(role_endpoint_matrix, |fx: Fx| async move {
    assert_role_matrix(&fx, ENDPOINTS, prepare, expected).await;
});

on_both!(other_organizations_ids_are_not_found, |fx: Fx| async move {
    let admin = fx.token("admin");
    let head_b = fx.head(&fx.org_b).await;
    for (collection, id) in &fx.b_ids {
        let item = format!("/api/v1/{collection}/{id}");
        let body = body_for(collection);
        let mut calls: Vec<(&str, String, Option<&str>)> = vec![
            ("GET", item.clone(), None),
            ("PUT", item.clone(), Some(body)),
        ];
        if *collection == "ai-systems" {
            calls.push(("GET", format!("{item}/history"), None));
            calls.push(("POST", format!("{item}/retire"), Some(r#"{"reason": "x"}"#)));
        } else {
            calls.push(("DELETE", item.clone(), None));
        }
        let record_type = match *collection {
            "ai-systems" => "ai_system",
            "context-issues" => "context_issue",
            "interested-parties" => "interested_party",
            _ => "supplier",
        };
        calls.push(("GET", format!("/api/v1/history/{record_type}/{id}"), None));
        for (method, path, body) in calls {
            let r = fx
                .call(method, &path, &admin, body, &[("if-match", "\"1\"")])
                .await;
            r.assert_hidden(&format!("{method} {path}"));
        }
        // Lists never show the other organization's records.
        let list = fx.api_get(&format!("/api/v1/{collection}"), &admin).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(!list.text.contains(id.as_str()) && !list.text.contains("Secret"));
    }
    assert_eq!(
        fx.head(&fx.org_b).await,
        head_b,
        "the other organization is unchanged"
    );
    // The other organization's token sees its own records, not the demo's.
    let b = Auth::Token(fx.token_b.clone());
    let r = fx
        .api_get(&format!("/api/v1/ai-systems/{}", fx.system_a), &b)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = fx.api_get("/api/v1/ai-systems", &b).await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(1));
    let r = fx.api_get("/api/v1/organization", &b).await;
    assert_eq!(r.json()["slug"], "other");
    let r = fx.call("POST", "/api/v1/verify", &b, None, &[]).await;
    let chains = r.json()["chains"].clone();
    assert_eq!(chains.as_array().map(Vec::len), Some(1));
    assert_eq!(chains[0]["org_id"], fx.org_b.as_str());
});

on_both!(etag_and_if_match, |fx: Fx| async move {
    let admin = fx.token("admin");
    for collection in [
        "ai-systems",
        "context-issues",
        "interested-parties",
        "suppliers",
    ] {
        let id = fx.fresh(collection).await;
        let path = format!("/api/v1/{collection}/{id}");
        let r = fx.api_get(&path, &admin).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers[header::ETAG], "\"1\"");
        assert_eq!(r.json()["version"], 1);
        let body = body_for(collection);
        let r = fx.call("PUT", &path, &admin, Some(body), &[]).await;
        r.assert_status(StatusCode::PRECONDITION_REQUIRED);
        assert_eq!(r.error()["code"], "precondition_required");
        let r = fx
            .call(
                "PUT",
                &path,
                &admin,
                Some(body),
                &[("if-match", "yesterday")],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.fields(), vec!["If-Match"]);
        let r = fx
            .call("PUT", &path, &admin, Some(body), &[("if-match", "\"1\"")])
            .await;
        r.assert_status(StatusCode::OK);
        assert_eq!(r.headers[header::ETAG], "\"2\"");
        assert_eq!(r.json()["version"], 2);
        let head = fx.head(&fx.org_a).await;
        let r = fx
            .call("PUT", &path, &admin, Some(body), &[("if-match", "\"1\"")])
            .await;
        r.assert_status(StatusCode::PRECONDITION_FAILED);
        assert_eq!(r.error()["code"], "precondition_failed");
        assert_eq!(
            fx.head(&fx.org_a).await,
            head,
            "a stale write changes nothing"
        );
        if collection != "ai-systems" {
            let r = fx
                .call("DELETE", &path, &admin, None, &[("if-match", "\"1\"")])
                .await;
            assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
            let r = fx
                .call("DELETE", &path, &admin, None, &[("if-match", "\"2\"")])
                .await;
            assert_eq!(r.status, StatusCode::NO_CONTENT);
            let r = fx.api_get(&path, &admin).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND);
        }
    }
    // Created records come with their address and version.
    let r = fx
        .call(
            "POST",
            "/api/v1/context-issues",
            &admin,
            Some(body_for("context-issues")),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.headers[header::ETAG], "\"1\"");
    let location = r.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_string();
    assert_eq!(
        location,
        format!(
            "/api/v1/context-issues/{}",
            r.json()["id"].as_str().expect("id")
        )
    );
    assert_eq!(fx.api_get(&location, &admin).await.status, StatusCode::OK);
});

on_both!(
    bad_input_is_refused_naming_the_field_and_changes_nothing,
    |fx: Fx| async move {
        let admin = fx.token("admin");
        let before = fx.head(&fx.org_a).await;
        // How many systems the demo organization lists.
        let systems = async || {
            fx.api_get("/api/v1/ai-systems?limit=200", &admin)
                .await
                .json()["items"]
                .as_array()
                .map(Vec::len)
        };
        let count_before = systems().await;
        let long = "x".repeat(201);
        let long_body = format!(r#"{{"name": "{long}", "purpose": "p"}}"#);
        let cases: Vec<(&str, String, StatusCode, &str)> = vec![
            (
                "malformed JSON",
                r#"{"name": "a", "purpose": "#.into(),
                StatusCode::BAD_REQUEST,
                "body",
            ),
            (
                "not an object",
                "[1, 2]".into(),
                StatusCode::BAD_REQUEST,
                "body",
            ),
            (
                "wrong type",
                r#"{"name": 5, "purpose": "p"}"#.into(),
                StatusCode::BAD_REQUEST,
                "name",
            ),
            (
                "wrong nested type",
                r#"{"name": "a", "purpose": "p", "in_scope": "yes"}"#.into(),
                StatusCode::BAD_REQUEST,
                "in_scope",
            ),
            (
                "unknown field",
                r#"{"name": "a", "purpose": "p", "colour": "red"}"#.into(),
                StatusCode::BAD_REQUEST,
                "colour",
            ),
            (
                "unknown nested field",
                r#"{"name": "a", "purpose": "p", "models": [{"name": "m", "weights": 1}]}"#.into(),
                StatusCode::BAD_REQUEST,
                "models[0].weights",
            ),
            (
                "missing field",
                r#"{"purpose": "p"}"#.into(),
                StatusCode::BAD_REQUEST,
                "name",
            ),
            (
                "over-long name",
                long_body,
                StatusCode::UNPROCESSABLE_ENTITY,
                "name",
            ),
            (
                "unknown stage",
                r#"{"name": "a", "purpose": "p", "lifecycle_stage": "dreaming"}"#.into(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "lifecycle_stage",
            ),
            (
                "empty name",
                r#"{"name": " ", "purpose": "p"}"#.into(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "name",
            ),
        ];
        for (what, body, status, field) in &cases {
            let r = fx
                .call("POST", "/api/v1/ai-systems", &admin, Some(body), &[])
                .await;
            assert_eq!(r.status, *status, "{what}: {}", r.text);
            assert!(
                r.fields().iter().any(|f| f == field),
                "{what}: {:?} in {}",
                r.fields(),
                r.text
            );
            let put = fx
                .call(
                    "PUT",
                    &format!("/api/v1/ai-systems/{}", fx.system_a),
                    &admin,
                    Some(body),
                    &[("if-match", "*")],
                )
                .await;
            assert_eq!(put.status, *status, "PUT {what}: {}", put.text);
        }
        // Invalid ids, unknown parameters and bad parameter values.
        for (path, status, field) in [
            (
                "/api/v1/ai-systems/not-a-uuid",
                StatusCode::UNPROCESSABLE_ENTITY,
                "id",
            ),
            (
                "/api/v1/context-issues/42",
                StatusCode::UNPROCESSABLE_ENTITY,
                "id",
            ),
            (
                "/api/v1/history/ai_system/nope",
                StatusCode::UNPROCESSABLE_ENTITY,
                "id",
            ),
            (
                "/api/v1/history/spaceship/01a22a51-429f-7114-a0b2-c0bae51c0986",
                StatusCode::UNPROCESSABLE_ENTITY,
                "record_type",
            ),
            (
                "/api/v1/ai-systems?colour=red",
                StatusCode::BAD_REQUEST,
                "colour",
            ),
            (
                "/api/v1/ai-systems?limit=0",
                StatusCode::BAD_REQUEST,
                "limit",
            ),
            (
                "/api/v1/ai-systems?limit=201",
                StatusCode::BAD_REQUEST,
                "limit",
            ),
            (
                "/api/v1/ai-systems?limit=ten",
                StatusCode::BAD_REQUEST,
                "limit",
            ),
            (
                "/api/v1/ai-systems?in_scope=maybe",
                StatusCode::BAD_REQUEST,
                "in_scope",
            ),
            (
                "/api/v1/ai-systems?order=up",
                StatusCode::BAD_REQUEST,
                "order",
            ),
            (
                "/api/v1/ai-systems?sort=colour",
                StatusCode::UNPROCESSABLE_ENTITY,
                "sort",
            ),
            (
                "/api/v1/ai-systems?stage=dreaming",
                StatusCode::UNPROCESSABLE_ENTITY,
                "stage",
            ),
            (
                "/api/v1/ai-systems?cursor=zz",
                StatusCode::BAD_REQUEST,
                "cursor",
            ),
            (
                "/api/v1/frameworks/nist-ai-rmf/items?kinds=x",
                StatusCode::BAD_REQUEST,
                "kinds",
            ),
        ] {
            let r = fx.api_get(path, &admin).await;
            assert_eq!(r.status, status, "{path}: {}", r.text);
            assert_eq!(r.fields(), vec![field.to_string()], "{path}: {}", r.text);
        }
        for path in [
            "/api/v1/frameworks/nope",
            "/api/v1/frameworks/nope/items",
            "/api/v1/frameworks/nist-ai-rmf/items/NOPE%209",
            "/api/v1/frameworks/nist-ai-rmf/items/NOPE%209/mappings",
            "/api/v1/no-such-thing",
        ] {
            let r = fx.api_get(path, &admin).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
            r.error();
        }
        // A method the endpoint does not have, another content type, an oversized body.
        let r = fx
            .call("DELETE", "/api/v1/ai-systems", &admin, None, &[])
            .await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(r.error()["code"], "method_not_allowed");
        let r = fx
            .call(
                "POST",
                "/api/v1/ai-systems",
                &admin,
                None,
                &[("content-type", "text/plain")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        r.error();
        let huge = format!(
            r#"{{"name": "a", "purpose": "{}"}}"#,
            "p".repeat(2 * 1024 * 1024)
        );
        let r = fx
            .call("POST", "/api/v1/ai-systems", &admin, Some(&huge), &[])
            .await;
        assert_eq!(
            r.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{}",
            &r.text[..r.text.len().min(300)]
        );
        assert_eq!(r.error()["code"], "payload_too_large");
        // Retiring needs a reason.
        let r = fx
            .call(
                "POST",
                &format!("/api/v1/ai-systems/{}/retire", fx.system_a),
                &admin,
                Some(r#"{"reason": ""}"#),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), vec!["reason"]);
        let r = fx
            .call(
                "POST",
                &format!("/api/v1/ai-systems/{}/retire", fx.system_a),
                &admin,
                Some(r#"{"why": "x"}"#),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.fields(), vec!["why"]);

        assert_eq!(
            fx.head(&fx.org_a).await,
            before,
            "no bad request changed the store"
        );
        let count_after = systems().await;
        assert_eq!(count_before, count_after);
        let report = fx
            .call("POST", "/api/v1/verify", &admin, None, &[])
            .await
            .json();
        assert_eq!(report["intact"], true, "{report}");
    }
);

on_both!(
    expired_revoked_and_orphaned_tokens_are_refused,
    |fx: Fx| async move {
        let op = Actor::operator("test");
        let ok = |r: &Resp| r.status == StatusCode::OK;
        // A working token, then expired.
        let t = fx
            .app
            .create_token(&op, &fx.org_a, EMAILS[1], "expiring", Some(1))
            .await
            .expect("token");
        let auth = Auth::Token(t.token.clone());
        assert!(ok(&fx.api_get("/api/v1/organization", &auth).await));
        fx.app
            .store_for_tests()
            .token_set_expiry(&t.info.id, aims_app::test_store::now_micros() - 1)
            .await
            .expect("expire");
        let r = fx.api_get("/api/v1/organization", &auth).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.error()["code"], "unauthorized");
        assert!(r.headers.contains_key(header::WWW_AUTHENTICATE));
        // Revoked.
        let t = fx
            .app
            .create_token(&op, &fx.org_a, EMAILS[1], "revoked", None)
            .await
            .expect("token");
        let auth = Auth::Token(t.token.clone());
        assert!(ok(&fx.api_get("/api/v1/organization", &auth).await));
        let listed = fx.app.tokens(&op, EMAILS[1], None).await.expect("list");
        let mine = listed.iter().find(|v| v.id == t.info.id).expect("listed");
        assert_eq!(mine.status, "active");
        assert!(mine.last_used_at.is_some(), "use is recorded");
        assert!(
            !serde_json::to_string(&listed)
                .expect("json")
                .contains(&t.token),
            "never the token"
        );
        // Users revoke only their own tokens; others' look absent.
        let someone = Actor::member(EMAILS[2], MemberRole::Contributor);
        assert!(
            fx.app
                .revoke_token(&someone, &t.info.id.as_str().into())
                .await
                .is_err()
        );
        assert!(ok(&fx.api_get("/api/v1/organization", &auth).await));
        let owner = Actor::member(EMAILS[1], MemberRole::Manager);
        assert_eq!(
            fx.app
                .revoke_token(&owner, &t.info.id.as_str().into())
                .await
                .expect("revoke")
                .status,
            "revoked"
        );
        assert_eq!(
            fx.api_get("/api/v1/organization", &auth).await.status,
            StatusCode::UNAUTHORIZED
        );
        // A member who leaves the organization loses their tokens.
        fx.app
            .add_member(
                &op,
                &fx.org_a,
                "leaver@northwind-lending.example",
                "Leaver",
                "leaver-password-1",
                MemberRole::Contributor,
            )
            .await
            .expect("member");
        let t = fx
            .app
            .create_token(
                &op,
                &fx.org_a,
                "leaver@northwind-lending.example",
                "leaving",
                None,
            )
            .await
            .expect("token");
        let auth = Auth::Token(t.token.clone());
        assert!(ok(&fx.api_get("/api/v1/organization", &auth).await));
        let membership = fx
            .app
            .members(&op, &fx.org_a)
            .await
            .expect("members")
            .into_iter()
            .find(|m| m.user.email == "leaver@northwind-lending.example")
            .expect("leaver")
            .membership_id;
        let mut tx = fx.app.store_for_tests().begin_write().await.expect("tx");
        tx.delete(
            &aims_app::test_store::spec::MEMBERSHIPS,
            &fx.org_a,
            "test",
            &membership,
            None,
        )
        .await
        .expect("delete");
        tx.commit().await.expect("commit");
        assert_eq!(
            fx.api_get("/api/v1/organization", &auth).await.status,
            StatusCode::UNAUTHORIZED
        );
        // Malformed, unknown and wrongly sent tokens.
        for header_value in [
            "Bearer aims_0000000000000000000000000000000000000000",
            "Bearer nonsense",
            "Basic YWRtaW46cGFzc3dvcmQ=",
            "Bearer ",
        ] {
            let r = fx
                .call(
                    "GET",
                    "/api/v1/organization",
                    &Auth::None,
                    None,
                    &[("authorization", header_value)],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{header_value}");
            r.error();
        }
        // Token rules: a name, and 1 to 365 days.
        let e = fx
            .app
            .create_token(&op, &fx.org_a, EMAILS[0], "", Some(400))
            .await
            .expect_err("invalid");
        let aims_app::AppError::Invalid(v) = e else {
            panic!("{e}")
        };
        let fields: Vec<&str> = v.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "days"]);
        assert!(
            fx.app
                .create_token(&op, &fx.org_b, EMAILS[0], "not a member", None)
                .await
                .is_err()
        );
        let other_user = Actor::member(EMAILS[2], MemberRole::Contributor);
        assert!(
            fx.app
                .create_token(&other_user, &fx.org_a, EMAILS[0], "for someone else", None)
                .await
                .is_err()
        );
    }
);

on_both!(
    browser_sessions_need_the_csrf_header_for_changes,
    |fx: Fx| async move {
        let (signed, csrf) = fx.api_session(EMAILS[2]).await;
        let read = Auth::session(signed.clone(), None);
        assert_eq!(
            fx.api_get("/api/v1/ai-systems", &read).await.status,
            StatusCode::OK
        );
        let head = fx.head(&fx.org_a).await;
        let body = Some(body_for("context-issues"));
        let r = fx
            .call("POST", "/api/v1/context-issues", &read, body, &[])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        r.error();
        let wrong = Auth::session(signed.clone(), Some("0".repeat(64)));
        assert_eq!(
            fx.call("POST", "/api/v1/context-issues", &wrong, body, &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let right = Auth::session(signed.clone(), Some(csrf.clone()));
        let r = fx
            .call(
                "POST",
                "/api/v1/context-issues",
                &right,
                body,
                &[("origin", "http://evil.example")],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "cross-site requests are refused"
        );
        assert_eq!(fx.head(&fx.org_a).await, head);
        let r = fx
            .call("POST", "/api/v1/context-issues", &right, body, &[])
            .await;
        r.assert_status(StatusCode::CREATED);
        let bogus = Auth::session("f".repeat(64), None);
        assert_eq!(
            fx.api_get("/api/v1/ai-systems", &bogus).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
);

on_both!(cursor_paging_walks_every_system_once, |fx: Fx| async move {
    let op = Actor::operator("test");
    let owners = ["Ana", "Bo", "ana", "Zed"];
    for i in 0..37 {
        let mut s = AiSystem::new(&format!("Paged system {:02}", 36 - i), "Paging");
        s.owner = owners[i % owners.len()].to_string();
        s.business_unit = if i % 3 == 0 {
            String::new()
        } else {
            format!("Unit {}", i % 5)
        };
        fx.app
            .create_record(&op, &fx.org_a, s)
            .await
            .expect("system");
    }
    let admin = fx.token("admin");
    let listed = fx
        .api_get("/api/v1/ai-systems?limit=200", &admin)
        .await
        .json();
    let all: BTreeSet<String> = texts(&listed["items"], "id").into_iter().collect();
    assert_eq!(all.len(), 8 + 37);
    for (query, expect) in [
        ("sort=name&order=asc", all.len()),
        ("sort=name&order=desc", all.len()),
        ("sort=owner", all.len()),
        ("sort=owner&order=desc", all.len()),
        ("sort=business_unit", all.len()),
        ("sort=lifecycle_stage&order=desc", all.len()),
        ("sort=created", all.len()),
        ("sort=created&order=desc", all.len()),
        ("q=paged&sort=name", 37),
        ("q=paged&sort=owner&order=desc", 37),
    ] {
        for limit in [1, 7, 50] {
            let mut seen: Vec<String> = vec![];
            let mut cursor: Option<String> = None;
            let mut pages = 0;
            loop {
                let mut path = format!("/api/v1/ai-systems?{query}&limit={limit}");
                if let Some(c) = &cursor {
                    path.push_str(&format!("&cursor={c}"));
                }
                let r = fx.api_get(&path, &admin).await;
                assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
                let v = r.json();
                let items = v["items"].as_array().expect("items");
                assert!(items.len() <= limit);
                seen.extend(
                    items
                        .iter()
                        .map(|s| s["id"].as_str().expect("id").to_string()),
                );
                pages += 1;
                assert!(pages <= all.len() + 1, "paging does not end: {query}");
                match v["next_cursor"].as_str() {
                    Some(c) => cursor = Some(c.to_string()),
                    None => break,
                }
            }
            let unique: HashSet<&String> = seen.iter().collect();
            assert_eq!(
                unique.len(),
                seen.len(),
                "duplicates with {query} limit {limit}"
            );
            assert_eq!(seen.len(), expect, "{query} limit {limit}");
        }
    }
    // The first page of the name order is sorted, and a cursor is refused under another order.
    let r = fx
        .api_get("/api/v1/ai-systems?sort=name&limit=5", &admin)
        .await
        .json();
    let names = texts(&r["items"], "name");
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let cursor = r["next_cursor"].as_str().expect("more");
    let r = fx
        .api_get(
            &format!("/api/v1/ai-systems?sort=owner&limit=5&cursor={cursor}"),
            &admin,
        )
        .await;
    r.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(r.fields(), vec!["cursor"]);
    // Default page size is 50 and filters combine with paging.
    let r = fx
        .api_get("/api/v1/ai-systems?in_scope=true&stage=operation", &admin)
        .await
        .json();
    for s in r["items"].as_array().expect("items") {
        assert_eq!(s["in_scope"], true);
        assert_eq!(s["lifecycle_stage"], "operation");
    }
});

on_both!(openapi_document_lists_every_route, |fx: Fx| async move {
    let r = fx.api_get("/api/v1/openapi.json", &Auth::None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    assert_eq!(
        doc,
        serde_json::to_value(aims_web::api::openapi()).expect("doc"),
        "served = generated"
    );
    let mut documented: BTreeSet<(String, String)> = BTreeSet::new();
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            if !matches!(method.as_str(), "get" | "post" | "put" | "delete" | "patch") {
                continue;
            }
            documented.insert((method.to_uppercase(), path.clone()));
            let responses = op["responses"].as_object().expect("responses");
            assert!(
                responses.contains_key("401"),
                "{method} {path} documents 401"
            );
            assert!(
                op["operationId"].is_string(),
                "{method} {path} has an operationId"
            );
            let success = responses.keys().any(|k| k.starts_with('2'));
            assert!(success, "{method} {path} documents its success");
            assert!(
                responses.contains_key("500"),
                "{method} {path} documents the server error"
            );
            for (code, resp) in responses {
                if !code.starts_with('2') {
                    assert_eq!(
                        resp["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorBody",
                        "{method} {path} {code} uses the error shape"
                    );
                }
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "path" {
                    let name = p["name"].as_str().expect("name");
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path} parameter {name}"
                    );
                }
            }
            for segment in path.split('/').filter(|s| s.starts_with('{')) {
                let name = segment.trim_matches(|c| c == '{' || c == '}');
                assert!(
                    op["parameters"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|p| p["name"] == name && p["in"] == "path"),
                    "{method} {path} documents {name}"
                );
            }
        }
    }
    let routes: BTreeSet<(String, String)> = ENDPOINTS
        .iter()
        .chain(TOKEN_ENDPOINTS)
        .chain(crate::records::KIT_ENDPOINTS)
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    // The risk, control, SoA, impact and classification endpoints are tested in depth by `api_risk`.
    let risk_routes: BTreeSet<(String, String)> = risk_endpoints::RISK_ENDPOINTS
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented,
        routes.union(&risk_routes).cloned().collect(),
        "the document and the routes agree"
    );
    // Every route answers (the matrix checks each in depth): none falls through to "no such endpoint".
    let admin = fx.token("admin");
    for (method, template) in ENDPOINTS {
        let (path, body, headers) = prepare(&fx, method, template).await;
        let r = fx
            .call_with(method, &path, &admin, body.as_deref(), &headers)
            .await;
        assert!(r.status.is_success(), "{method} {template}: {}", r.text);
    }
    // …and the router has no undocumented method on these paths: every other method is refused with 405.
    for template in routes
        .iter()
        .map(|(_, p)| p.as_str())
        .collect::<BTreeSet<_>>()
    {
        let kit = crate::records::KIT_ENDPOINTS
            .iter()
            .any(|(_, p)| *p == template);
        let path = if template.starts_with("/api/v1/tokens") || kit {
            template.replace("{id}", &fx.system_a)
        } else {
            prepare(&fx, "GET", template).await.0
        };
        fx.assert_undocumented_methods_refused(template, &path, |m| {
            routes.contains(&(m.to_string(), template.to_string()))
        })
        .await;
    }
    // Every schema reference resolves.
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let text = doc.to_string();
    for piece in text.split("\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().expect("name");
        assert!(schemas.contains_key(name), "unresolved schema {name}");
    }
    for name in [
        "AiSystem",
        "ContextIssue",
        "InterestedParty",
        "Supplier",
        "ErrorBody",
        "FieldError",
        "StoredAiSystem",
        "AiSystemSummaryPage",
        "VerifyResult",
    ] {
        assert!(schemas.contains_key(name), "schema {name}");
    }
    let schemes = doc["components"]["securitySchemes"]
        .as_object()
        .expect("security schemes");
    assert!(schemes.contains_key("api_token") && schemes.contains_key("session_cookie"));
    // The viewer works offline, with scripts from this server only.
    let r = fx.api_get("/api/v1/docs/", &Auth::None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("swagger-ui-bundle.js"));
    let csp = r.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("csp");
    assert!(
        csp.contains("script-src 'self';") && !csp.contains("cdn"),
        "{csp}"
    );
    let r = fx
        .api_get("/api/v1/docs/swagger-ui-bundle.js", &Auth::None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = fx
        .api_get("/api/v1/docs/swagger-initializer.js", &Auth::None)
        .await;
    assert!(r.text.contains("/api/v1/openapi.json"));
    // The pages keep the strict policy.
    let r = fx.api_get("/login", &Auth::None).await;
    let csp = r.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("csp");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
});

#[tokio::test]
async fn values_round_trip_through_the_api() {
    for backend in aims_app::test_store::testing::backends() {
        let fx = fixture(backend).await;
        let admin = fx.token("admin");
        let body = json!({
            "name": "Round trip",
            "purpose": "Check that what goes in comes out",
            "lifecycle_stage": "design",
            "org_role": "developer",
            "in_scope": false,
            "affected_parties": ["Applicants"],
            "models": [{"name": "gbm", "version": "3"}],
        });
        let r = fx
            .call(
                "POST",
                "/api/v1/ai-systems",
                &admin,
                Some(&body.to_string()),
                &[],
            )
            .await;
        r.assert_status(StatusCode::CREATED);
        let created = r.json();
        let id = created["id"].as_str().expect("id").to_string();
        let got = fx
            .api_get(&format!("/api/v1/ai-systems/{id}"), &admin)
            .await
            .json();
        assert_eq!(got, created);
        assert_eq!(got["in_scope"], false);
        assert_eq!(got["models"][0]["name"], "gbm");
        // The list shows the same system as a summary: the summary fields, equal to the record's, and no more.
        let listed = fx
            .api_get("/api/v1/ai-systems?q=Round%20trip", &admin)
            .await
            .json();
        let item = &listed["items"][0];
        let keys: Vec<&str> = item
            .as_object()
            .expect("item")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "business_unit",
                "id",
                "in_scope",
                "lifecycle_stage",
                "name",
                "org_role",
                "owner",
                "purpose",
                "updated_at",
                "version"
            ]
        );
        for k in keys {
            assert_eq!(item[k], got[k], "{k}");
        }
        let r = fx
            .call(
                "POST",
                &format!("/api/v1/ai-systems/{id}/retire"),
                &admin,
                Some(r#"{"reason": "Replaced", "on": "2026-01-31"}"#),
                &[],
            )
            .await;
        r.assert_status(StatusCode::OK);
        assert_eq!(r.json()["retired_on"], "2026-01-31");
        assert_eq!(r.json()["lifecycle_stage"], "retired");
        let h = fx
            .api_get(&format!("/api/v1/ai-systems/{id}/history"), &admin)
            .await
            .json();
        let actions = texts(&h, "action");
        assert_eq!(actions, vec!["create", "update"]);
        assert_eq!(h[0]["actor"], EMAILS[0]);
        let scope = fx.api_get("/api/v1/scope", &admin).await.json();
        assert!(scope["approved"]["statement"].is_string(), "{scope}");
        let versions = fx.api_get("/api/v1/scope/versions", &admin).await.json();
        assert!(versions["items"].as_array().is_some_and(|v| !v.is_empty()));
        let items = fx
            .api_get("/api/v1/frameworks/iso42001/items?kind=control", &admin)
            .await
            .json();
        let items = items.as_array().expect("items");
        assert!(!items.is_empty() && items.iter().all(|i| i["kind"] == "control"));
        let org = fx.api_get("/api/v1/organization", &admin).await;
        assert_eq!(org.json()["slug"], "northwind");
        assert!(org.headers.contains_key(header::ETAG));
        let _ = &fx.org_b;
    }
}

on_both!(
    account_page_creates_lists_and_revokes_tokens,
    |fx: Fx| async move {
        let (signed, csrf) = fx.api_session(EMAILS[4]).await;
        let cookie = Auth::session(signed.clone(), None);
        let page = fx.api_get("/account", &cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text.contains("API tokens") && page.text.contains("<code>aims_"),
            "{}",
            page.text
        );
        // Bad input is shown on the page, naming the field.
        let form = format!("aims_session={signed}");
        let form = Some(form.as_str());
        let r = fx
            .post(
                "/account/tokens",
                form,
                &[("csrf", &csrf), ("name", ""), ("days", "400")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text;
        assert!(
            html.contains("name: must not be empty")
                && html.contains("days: must be between 1 and 365")
        );
        let r = fx
            .post(
                "/account/tokens",
                form,
                &[("csrf", "wrong"), ("name", "x"), ("days", "1")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // A token is shown once, works for the API with the viewer's rights, and is listed without its secret.
        let r = fx
            .post(
                "/account/tokens",
                form,
                &[
                    ("csrf", &csrf),
                    ("name", "Reporting script"),
                    ("days", "30"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let html = r.text;
        let start = html.find("value=\"aims_").expect("token shown") + "value=\"".len();
        let token = html[start..start + 45].to_string();
        let api = Auth::Token(token.clone());
        fx.api_get("/api/v1/ai-systems", &api)
            .await
            .assert_status(StatusCode::OK);
        let r = fx
            .call(
                "POST",
                "/api/v1/context-issues",
                &api,
                Some(body_for("context-issues")),
                &[],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "a viewer's token cannot write"
        );
        let page = fx.api_get("/account", &cookie).await;
        assert!(page.text.contains("Reporting script") && !page.text.contains(&token));
        let id = fx
            .app
            .tokens(&Actor::operator("test"), EMAILS[4], None)
            .await
            .expect("tokens")[0]
            .id
            .clone();
        let r = fx
            .post(
                "/account/tokens/revoke",
                form,
                &[("csrf", &csrf), ("id", &id)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            fx.api_get("/api/v1/ai-systems", &api).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert!(
            fx.api_get("/account", &cookie)
                .await
                .text
                .contains("revoked")
        );
    }
);

on_both!(
    tokens_are_managed_by_their_owner_and_only_minted_from_a_session,
    |fx: Fx| async move {
        // A viewer signs in and makes a token from the browser session (CSRF header needed).
        let (signed, csrf) = fx.api_session(EMAILS[4]).await;
        let browser = Auth::session(signed.clone(), Some(csrf));
        let body = r#"{"name": "nightly export", "days": 7}"#;
        let r = fx
            .call("POST", "/api/v1/tokens", &browser, Some(body), &[])
            .await;
        r.assert_status(StatusCode::CREATED);
        let created = r.json();
        let token = created["token"]
            .as_str()
            .expect("token shown once")
            .to_string();
        assert!(token.starts_with("aims_") && created["status"] == "active");
        let id = created["id"].as_str().unwrap().to_string();

        // The new token reads, lists the owner's tokens without secrets, and cannot mint another token.
        let t = Auth::Token(token.clone());
        let list = fx.api_get("/api/v1/tokens", &t).await;
        assert_eq!(list.status, StatusCode::OK);
        let listed = list.json();
        assert!(
            listed
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == id.as_str())
        );
        assert!(!list.text.contains(&token), "a listing never shows a token");
        let r = fx.call("POST", "/api/v1/tokens", &t, Some(body), &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        r.error();

        // Bad input names the field.
        for (bad, field) in [
            (r#"{"name": "", "days": 7}"#, "name"),
            (r#"{"name": "x", "days": 400}"#, "days"),
            (r#"{"name": "x", "scope": "all"}"#, "scope"),
        ] {
            let r = fx
                .call("POST", "/api/v1/tokens", &browser, Some(bad), &[])
                .await;
            assert!(r.status.is_client_error(), "{bad}: {}", r.status);
            assert!(r.text.contains(field), "{bad}: {}", r.text);
        }

        // Someone else's token id is not found; the owner revokes theirs and it stops working.
        let other = format!("/api/v1/tokens/{id}");
        let r = fx
            .call("DELETE", &other, &fx.token("admin"), None, &[])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = fx.call("DELETE", &other, &browser, None, &[]).await;
        r.assert_status(StatusCode::OK);
        assert_eq!(r.json()["status"], "revoked");
        let r = fx.api_get("/api/v1/ai-systems", &t).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
);
