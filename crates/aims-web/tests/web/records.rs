//! The faces the record kit gives every record type, tried through the real router on both databases: REST
//! lists paged by cursor with filters and orders, the declared roles (custom fields are the admins'), the scope
//! statement's draft and approval, and the generic list, detail, form and delete pages.

use crate::common::{CONTRIBUTOR, MANAGER, Resp, VIEWER, Web, hidden};
use axum::http::StatusCode;
use serde_json::{Value, json};

/// Endpoints the kit and the scope statement add to those listed in `api`: the documented-routes test takes
/// them into its comparison.
pub const KIT_ENDPOINTS: &[(&str, &str)] = &[
    ("GET", "/api/v1/custom-fields"),
    ("POST", "/api/v1/custom-fields"),
    ("GET", "/api/v1/custom-fields/{id}"),
    ("PUT", "/api/v1/custom-fields/{id}"),
    ("PATCH", "/api/v1/custom-fields/{id}"),
    ("DELETE", "/api/v1/custom-fields/{id}"),
    ("GET", "/api/v1/custom-fields/{id}/history"),
    ("PUT", "/api/v1/scope/draft"),
    ("POST", "/api/v1/scope/approval"),
];

struct Fx {
    web: Web,
}

derefs_to_web!(Fx);

async fn fixture(backend: aims_app::test_store::Backend) -> Fx {
    Fx {
        web: Web::new(backend).await,
    }
}

fn titles(r: &Resp) -> Vec<String> {
    r.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

on_both!(
    context_issues_page_by_cursor_in_order_with_filters,
    |fx: Fx| async move {
        let admin = fx.token("admin");
        for (t, kind) in [
            ("zz last", "internal"),
            ("aa first", "external"),
            ("mm middle", "internal"),
        ] {
            let body = json!({"kind": kind, "title": t, "category": "kit-test"}).to_string();
            fx.call("POST", "/api/v1/context-issues", &admin, Some(&body), &[])
                .await
                .assert_status(StatusCode::CREATED);
        }
        // Walk the filtered list one record a page, ordered by title descending.
        let mut seen = vec![];
        let mut path = "/api/v1/context-issues?category=kit-test&sort=-title&limit=1".to_string();
        loop {
            let r = fx.api_get(&path, &admin).await;
            r.assert_status(StatusCode::OK);
            seen.extend(titles(&r));
            match r.json()["next_cursor"].as_str() {
                Some(c) => {
                    path = format!(
                        "/api/v1/context-issues?category=kit-test&sort=-title&limit=1&cursor={c}"
                    )
                }
                None => break,
            }
        }
        assert_eq!(seen, vec!["zz last", "mm middle", "aa first"]);
        let r = fx
            .api_get(
                "/api/v1/context-issues?category=kit-test&kind=internal&q=MIDDLE",
                &admin,
            )
            .await;
        assert_eq!(titles(&r), vec!["mm middle"]);
        // Unknown parameters are 400s naming them; values outside the declaration are 422s naming the field.
        let r = fx
            .api_get("/api/v1/context-issues?colour=red", &admin)
            .await;
        r.assert_status(StatusCode::BAD_REQUEST);
        assert_eq!(r.fields(), vec!["colour"]);
        for (query, field) in [
            ("kind=sideways", "kind"),
            ("sort=owner", "sort"),
            ("cursor=abc", "cursor"),
            ("climate_related=maybe", "climate_related"),
        ] {
            let r = fx
                .api_get(&format!("/api/v1/context-issues?{query}"), &admin)
                .await;
            r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(r.fields(), vec![field], "{query}");
        }
        let r = fx.api_get("/api/v1/context-issues?limit=0", &admin).await;
        assert_eq!(r.fields(), vec!["limit"]);
    }
);

on_both!(
    custom_fields_are_written_by_admins_only,
    |fx: Fx| async move {
        let body = json!({"key": "tier", "label": "Tier", "kind": "choice", "choices": ["a", "b"]})
            .to_string();
        let fields = "/api/v1/custom-fields";
        let head = fx.head(&fx.org_a).await;
        for role in ["manager", "contributor", "auditor", "viewer"] {
            fx.expect_as(role, "POST", fields, Some(&body), StatusCode::FORBIDDEN)
                .await;
        }
        assert_eq!(fx.head(&fx.org_a).await, head, "refusals wrote nothing");
        let r = fx
            .expect_as("admin", "POST", fields, Some(&body), StatusCode::CREATED)
            .await;
        let id = r.json()["id"].as_str().expect("id").to_string();
        let field = format!("{fields}/{id}");
        // Everyone reads; a second field with the same key is refused naming `key`.
        fx.expect_as("viewer", "GET", &field, None, StatusCode::OK)
            .await;
        let r = fx
            .expect_as(
                "admin",
                "POST",
                fields,
                Some(&body),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert_eq!(r.fields(), vec!["key"]);
        // Replacing needs If-Match; a stale one is a 412.
        let stale = [("if-match", "\"7\"")];
        fx.call("PUT", &field, &fx.token("admin"), Some(&body), &stale)
            .await
            .assert_status(StatusCode::PRECONDITION_FAILED);
        fx.expect_as("manager", "DELETE", &field, None, StatusCode::FORBIDDEN)
            .await;
        fx.expect_as("admin", "DELETE", &field, None, StatusCode::NO_CONTENT)
            .await;
        fx.assert_intact().await;
    }
);

on_both!(
    scope_is_drafted_and_approved_through_the_api,
    |fx: Fx| async move {
        let draft =
            json!({"statement": "Every AI system of the lending business", "exclusions": "None"})
                .to_string();
        let (draft_path, approval) = ("/api/v1/scope/draft", "/api/v1/scope/approval");
        // A viewer may not draft; a contributor may; an empty statement is refused naming it.
        fx.expect_as(
            "viewer",
            "PUT",
            draft_path,
            Some(&draft),
            StatusCode::FORBIDDEN,
        )
        .await;
        let blank = Some(r#"{"statement": " "}"#);
        let r = fx
            .expect_as(
                "contributor",
                "PUT",
                draft_path,
                blank,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert_eq!(r.fields(), vec!["statement"]);
        let saved = fx
            .expect_as(
                "contributor",
                "PUT",
                draft_path,
                Some(&draft),
                StatusCode::OK,
            )
            .await
            .json();
        assert_eq!(saved["status"], "draft");
        let etag = format!("\"{}\"", saved["version"]);
        // A stale If-Match is refused; the current one replaces the draft.
        let contributor = fx.token("contributor");
        for (if_match, want) in [
            ("\"99\"", StatusCode::PRECONDITION_FAILED),
            (etag.as_str(), StatusCode::OK),
        ] {
            let r = fx
                .call(
                    "PUT",
                    draft_path,
                    &contributor,
                    Some(&draft),
                    &[("if-match", if_match)],
                )
                .await;
            assert_eq!(r.status, want, "If-Match {if_match}: {}", r.text);
        }
        // Contributors do not approve; managers do; then there is no draft left to approve.
        fx.expect_as(
            "contributor",
            "POST",
            approval,
            Some("{}"),
            StatusCode::FORBIDDEN,
        )
        .await;
        let note = Some(r#"{"note": "board 12"}"#);
        let r = fx
            .expect_as("manager", "POST", approval, note, StatusCode::OK)
            .await;
        assert_eq!(r.json()["status"], "approved");
        assert_eq!(r.json()["approval_note"], "board 12");
        fx.expect_as(
            "manager",
            "POST",
            approval,
            Some("{}"),
            StatusCode::CONFLICT,
        )
        .await;
        let scope = fx
            .call_as("viewer", "GET", "/api/v1/scope", None)
            .await
            .json();
        assert_eq!(
            scope["approved"]["statement"],
            "Every AI system of the lending business"
        );
        assert_eq!(scope["draft"], Value::Null);
    }
);

on_both!(kit_pages_list_create_edit_and_delete, |fx: Fx| async move {
    let (cookie, csrf) = fx.session(CONTRIBUTOR).await;
    let list = fx.get("/context-issues", Some(&cookie)).await;
    list.assert_status(StatusCode::OK);
    list.assert_contains("New context issue");
    // An invalid form comes back with the messages at their fields, and nothing is written.
    let head = fx.head(&fx.org_a).await;
    fx.refused_form(
        "/context-issues",
        &cookie,
        &csrf,
        &[("title", ""), ("kind", "sideways")],
        &["title", "kind"],
    )
    .await;
    assert_eq!(fx.head(&fx.org_a).await, head);
    // A valid one creates the record and shows it with its history.
    let href = fx
        .submit(
            "/context-issues",
            &cookie,
            &csrf,
            &[
                ("title", "Kit page issue"),
                ("kind", "external"),
                ("climate_related", "true"),
            ],
        )
        .await;
    let page = fx.get(&href, Some(&cookie)).await;
    page.assert_status(StatusCode::OK);
    page.assert_contains("Kit page issue");
    page.assert_contains("id=\"history\"");
    // Filtered list pages show it; the edit form carries its version and saves a change.
    let found = fx
        .get(
            "/context-issues?kind=external&climate_related=true&q=kit+page",
            Some(&cookie),
        )
        .await;
    found.assert_contains("Kit page issue");
    let form = fx.get(&format!("{href}/edit"), Some(&cookie)).await;
    let version = hidden(&form.text, "version").expect("version field");
    assert_eq!(version, "1");
    fx.submit(
        &href,
        &cookie,
        &csrf,
        &[
            ("version", "1"),
            ("title", "Kit page issue, renamed"),
            ("kind", "external"),
        ],
    )
    .await;
    // The same stale version again is refused.
    let r = fx
        .post_form(
            &href,
            &cookie,
            &csrf,
            &[("version", "1"), ("title", "Again"), ("kind", "external")],
        )
        .await;
    r.assert_status(StatusCode::CONFLICT);
    // A viewer sees the record but may not post; the post is refused before the form is read.
    let (vcookie, vcsrf) = fx.session(VIEWER).await;
    let seen = fx.get(&href, Some(&vcookie)).await;
    seen.assert_contains("Kit page issue, renamed");
    assert!(!seen.text.contains("Delete this context issue"));
    fx.post_form(
        &format!("{href}/delete"),
        &vcookie,
        &vcsrf,
        &[("version", "2")],
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    // The contributor deletes it at its version.
    fx.submit(
        &format!("{href}/delete"),
        &cookie,
        &csrf,
        &[("version", "2")],
    )
    .await;
    fx.get(&href, Some(&cookie))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    fx.assert_intact().await;
});

on_both!(
    a_party_edited_in_the_page_keeps_its_requirement_ids,
    |fx: Fx| async move {
        let (cookie, csrf) = fx.session(MANAGER).await;
        let admin = fx.token("admin");
        let parties = fx
            .api_get("/api/v1/interested-parties?limit=1", &admin)
            .await
            .json();
        let party = &parties["items"][0];
        let id = party["id"].as_str().expect("id");
        let reqs = party["requirements"].as_array().expect("requirements");
        assert!(!reqs.is_empty(), "the demo party has requirements");
        // Post the form back as the page fills it: every requirement row plus the blank one left empty.
        let mut form: Vec<(String, String)> = vec![
            ("csrf".into(), csrf.clone()),
            ("version".into(), party["version"].to_string()),
            (
                "name".into(),
                party["name"].as_str().unwrap_or_default().into(),
            ),
            (
                "category".into(),
                party["category"].as_str().unwrap_or_default().into(),
            ),
            (
                "description".into(),
                party["description"].as_str().unwrap_or_default().into(),
            ),
        ];
        for (i, r) in reqs.iter().enumerate() {
            for k in ["id", "text", "source", "how"] {
                form.push((
                    format!("requirements[{i}].{k}"),
                    r[k].as_str().unwrap_or_default().into(),
                ));
            }
            if r["addressed"] == true {
                form.push((format!("requirements[{i}].addressed"), "true".into()));
            }
            let controls: Vec<&str> = r["controls"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            form.push((format!("requirements[{i}].controls"), controls.join("\n")));
        }
        let n = reqs.len();
        form.push((format!("requirements[{n}].text"), String::new()));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = fx
            .post(&format!("/interested-parties/{id}"), Some(&cookie), &pairs)
            .await;
        r.assert_status(StatusCode::SEE_OTHER);
        let after = fx
            .api_get(&format!("/api/v1/interested-parties/{id}"), &admin)
            .await
            .json();
        assert_eq!(
            after["requirements"], party["requirements"],
            "requirements unchanged, ids kept"
        );
        assert_eq!(
            after["version"],
            party["version"].as_i64().unwrap_or_default() + 1
        );
    }
);

/// A context issue "New regulation" (external, legal) created by the contributor: its address.
async fn new_issue(fx: &Fx) -> String {
    let issue =
        json!({"title": "New regulation", "kind": "external", "category": "legal"}).to_string();
    let r = fx
        .expect_as(
            "contributor",
            "POST",
            "/api/v1/context-issues",
            Some(&issue),
            StatusCode::CREATED,
        )
        .await;
    format!(
        "/api/v1/context-issues/{}",
        r.json()["id"].as_str().expect("id")
    )
}

on_both!(
    every_record_type_serves_its_history_and_ai_systems_are_not_deleted,
    |fx: Fx| async move {
        let item = new_issue(&fx).await;
        let changed = json!({"title": "New regulation, in force", "kind": "external"}).to_string();
        fx.call(
            "PUT",
            &item,
            &fx.token("contributor"),
            Some(&changed),
            &[("if-match", "\"1\"")],
        )
        .await
        .assert_status(StatusCode::OK);
        // Readers see every change, oldest first, with who made it.
        let r = fx
            .expect_as(
                "viewer",
                "GET",
                &format!("{item}/history"),
                None,
                StatusCode::OK,
            )
            .await;
        let entries = r.json();
        let actions: Vec<&str> = entries
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| e["action"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(actions, vec!["create", "update"], "{}", r.text);
        assert_eq!(entries[1]["actor"], entries[0]["actor"]);
        // The update names the fields it changed, old and new.
        let title = entries[1]["changes"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["field"] == "title"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(title["after"], "New regulation, in force", "{}", r.text);
        assert!(
            entries[0]["changes"].as_array().is_some_and(Vec::is_empty),
            "a create lists no changes"
        );
        // An id that never existed is not found; one that is not an id is named.
        let missing = "/api/v1/risks/01a2424c-f8b9-71b3-b244-13a98b2b5314/history";
        fx.expect_as("viewer", "GET", missing, None, StatusCode::NOT_FOUND)
            .await;
        let r = fx
            .expect_as(
                "viewer",
                "GET",
                "/api/v1/treatments/nope/history",
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert_eq!(r.fields(), vec!["id"]);
        // AI systems are retired, not deleted: no DELETE is routed for them.
        let systems = fx
            .expect_as("viewer", "GET", "/api/v1/ai-systems", None, StatusCode::OK)
            .await;
        let system = systems.json()["items"][0]["id"]
            .as_str()
            .expect("a demo system")
            .to_string();
        let head = fx.head(&fx.org_a).await;
        let r = fx
            .call_as(
                "admin",
                "DELETE",
                &format!("/api/v1/ai-systems/{system}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{}", r.text);
        assert_eq!(fx.head(&fx.org_a).await, head, "nothing written");
    }
);

on_both!(
    a_patch_changes_only_what_it_names_and_refuses_naming_the_field,
    |fx: Fx| async move {
        let item = new_issue(&fx).await;
        let writer = fx.token("contributor");
        let v1 = [("if-match", "\"1\"")];
        // Refusals name the field and write nothing.
        let head = fx.head(&fx.org_a).await;
        for (body, field) in [
            (json!({"climate_related": "very"}), "climate_related"),
            (json!({"colour": "red"}), "colour"),
            (json!({"title": null}), "title"),
            (json!({"kind": "sideways"}), "kind"),
        ] {
            let r = fx
                .call("PATCH", &item, &writer, Some(&body.to_string()), &v1)
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                r.text
            );
            assert_eq!(r.fields(), vec![field], "{body}");
        }
        let body = json!({"title": "New regulation, in force"}).to_string();
        fx.call("PATCH", &item, &writer, Some(&body), &[])
            .await
            .assert_status(StatusCode::PRECONDITION_REQUIRED);
        fx.call(
            "PATCH",
            &item,
            &writer,
            Some(&body),
            &[("if-match", "\"9\"")],
        )
        .await
        .assert_status(StatusCode::PRECONDITION_FAILED);
        fx.call("PATCH", &item, &fx.token("viewer"), Some(&body), &v1)
            .await
            .assert_status(StatusCode::FORBIDDEN);
        fx.call("PATCH", &item, &writer, Some("[1, 2]"), &v1)
            .await
            .assert_status(StatusCode::BAD_REQUEST);
        assert_eq!(fx.head(&fx.org_a).await, head, "refusals wrote nothing");
        // A patch changes what it names; the rest stays, `null` resets a field to its default.
        let body = json!({"title": "New regulation, in force", "category": null}).to_string();
        let r = fx.call("PATCH", &item, &writer, Some(&body), &v1).await;
        r.assert_status(StatusCode::OK);
        let patched = r.json();
        assert_eq!(patched["title"], "New regulation, in force");
        assert_eq!(patched["kind"], "external");
        assert_eq!(patched["category"], "");
        assert_eq!(patched["version"], 2);
        // A record type's own rules hold for a patch too: a risk's assessments are never rewritten.
        let risks = fx
            .expect_as("viewer", "GET", "/api/v1/risks", None, StatusCode::OK)
            .await;
        let risk = &risks.json()["items"][0];
        let path = format!(
            "/api/v1/risks/{}",
            risk["id"].as_str().expect("a demo risk")
        );
        // A manager's patch of the risk at the version it has.
        let patch_risk = async |body: Value, version: &Value| {
            let tag = format!("\"{version}\"");
            let body = body.to_string();
            fx.call(
                "PATCH",
                &path,
                &fx.token("manager"),
                Some(&body),
                &[("if-match", &tag)],
            )
            .await
        };
        let r = patch_risk(json!({"assessments": []}), &risk["version"]).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "an empty list keeps them: {}",
            r.text
        );
        assert_eq!(r.json()["assessments"], risk["assessments"]);
        let mut rewritten = risk["assessments"].clone();
        rewritten[0]["note"] = json!("A rewritten past");
        let r = patch_risk(json!({ "assessments": rewritten }), &r.json()["version"]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(r.fields(), vec!["assessments"]);
        fx.assert_intact().await;
    }
);
