//! The web pages through the real router, on SQLite and PostgreSQL: sign-in and sessions, the role × page
//! matrix, organization isolation, CSRF, validation messages, lock-out and security headers.

use crate::common::{EMAILS, ROLES, Web, hidden, op, set_cookie};
use aims_app::demo::DEMO_PASSWORD;
use aims_app::systems::SystemFilter;
use aims_app::{Actor, RecordId};
use aims_domain::inventory::AiSystem;
use axum::http::{StatusCode, header};

/// The standard fixture, and a system of the demo organization.
struct Fx {
    web: Web,
    /// A system of the demo organization.
    system_a: RecordId,
}

derefs_to_web!(Fx);

async fn fixture(backend: aims_app::test_store::Backend) -> Fx {
    let web = Web::new(backend).await;
    let a = web
        .app
        .systems(&op(), &web.org_a, &SystemFilter::default())
        .await
        .expect("systems")
        .into_iter()
        .next()
        .expect("a system");
    Fx {
        system_a: a.id,
        web,
    }
}

/// What a page answers a member: OK when the member's role may use it, 403 otherwise.
fn allowed(may: bool) -> StatusCode {
    if may {
        StatusCode::OK
    } else {
        StatusCode::FORBIDDEN
    }
}

async fn system_count(fx: &Fx, org_slug: &str) -> usize {
    let org = fx.app.resolve_org(Some(org_slug)).await.expect("org");
    fx.app
        .systems(
            &Actor::operator("test"),
            &org.org_id(),
            &SystemFilter::default(),
        )
        .await
        .expect("systems")
        .len()
}

on_both!(
    every_role_sees_the_pages_it_should_and_only_writers_change_systems,
    |fx: Fx| async move {
        let a = fx.system_a.clone();
        let readable = [
            "/".to_string(),
            "/systems".into(),
            "/systems?q=credit&sort=owner&desc=1".into(),
            format!("/systems/{a}"),
            format!("/systems/{a}/history"),
            "/context".into(),
            "/catalog".into(),
            "/catalog/iso42001".into(),
            "/catalog/iso42001/item?ref=A.2.2".into(),
            "/catalog/nist-ai-rmf/item?ref=GOVERN%201.1".into(),
            "/account".into(),
        ];
        for (role, email) in ROLES.iter().zip(EMAILS) {
            let cookie = fx
                .sign_in(email, DEMO_PASSWORD)
                .await
                .unwrap_or_else(|r| panic!("{role} sign-in: {}", r.status));
            for path in &readable {
                let r = fx.get(path, Some(&cookie)).await;
                assert_eq!(r.status, StatusCode::OK, "{role} GET {path}");
            }
            let writer = matches!(*role, "admin" | "manager" | "contributor");
            let want = allowed(writer);
            assert_eq!(
                fx.get("/systems/new", Some(&cookie)).await.status,
                want,
                "{role} GET /systems/new"
            );
            assert_eq!(
                fx.get(&format!("/systems/{a}/edit"), Some(&cookie))
                    .await
                    .status,
                want,
                "{role} GET edit"
            );
            let before = system_count(&fx, "northwind").await;
            let csrf = fx.csrf(&cookie).await;
            let r = fx
                .post_form(
                    "/systems",
                    &cookie,
                    &csrf,
                    &[
                        ("name", &format!("Made by {role}")),
                        ("purpose", "test"),
                        ("lifecycle_stage", "idea"),
                        ("org_role", "deployer"),
                    ],
                )
                .await;
            if writer {
                assert_eq!(
                    r.status,
                    StatusCode::SEE_OTHER,
                    "{role} POST /systems: {}",
                    r.text
                );
                assert_eq!(system_count(&fx, "northwind").await, before + 1);
            } else {
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{role} POST /systems");
                assert_eq!(
                    system_count(&fx, "northwind").await,
                    before,
                    "{role} created nothing"
                );
            }
            let edit = fx
                .post_form(
                    &format!("/systems/{a}"),
                    &cookie,
                    &csrf,
                    &[
                        ("name", "Renamed"),
                        ("purpose", "p"),
                        ("lifecycle_stage", "operation"),
                        ("org_role", "provider"),
                    ],
                )
                .await;
            let want = if writer {
                StatusCode::SEE_OTHER
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(edit.status, want, "{role} POST edit");
        }
        fx.assert_intact().await;
    }
);

on_both!(
    pages_need_a_session_and_another_organizations_records_are_not_found,
    |fx: Fx| async move {
        for path in ["/", "/systems", "/context", "/catalog", "/account"] {
            let r = fx.get(path, None).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "anonymous {path}");
            let loc = r
                .headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            assert!(loc.starts_with("/login?next="), "{loc}");
        }
        assert_eq!(
            fx.get("/systems", Some("aims_session=forged")).await.status,
            StatusCode::SEE_OTHER
        );
        let cookie = fx
            .sign_in("admin@northwind-lending.example", DEMO_PASSWORD)
            .await
            .expect("sign in");
        let b = fx.system_b.clone();
        for path in [
            format!("/systems/{b}"),
            format!("/systems/{b}/edit"),
            format!("/systems/{b}/history"),
        ] {
            let r = fx.get(&path, Some(&cookie)).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
            assert!(
                !r.text.contains("Secret system of B"),
                "no data of another organization on {path}"
            );
        }
        let csrf = fx.csrf(&cookie).await;
        let r = fx
            .post_form(
                &format!("/systems/{b}"),
                &cookie,
                &csrf,
                &[
                    ("name", "hijack"),
                    ("purpose", "x"),
                    ("lifecycle_stage", "idea"),
                    ("org_role", "user"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let other = fx.app.resolve_org(Some("other")).await.expect("org");
        let unchanged = fx
            .app
            .get_record::<AiSystem>(&Actor::operator("t"), &other.org_id(), &b)
            .await
            .expect("b");
        assert_eq!(unchanged.data.name, "Secret system of B");
        assert_eq!(
            fx.get("/systems/not-a-uuid", Some(&cookie)).await.status,
            StatusCode::NOT_FOUND
        );
        // Switching to an organization one is not a member of is refused.
        let r = fx
            .post_form("/org/switch", &cookie, &csrf, &[("org", &other.id)])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

on_both!(
    forms_without_the_csrf_token_or_from_another_site_change_nothing,
    |fx: Fx| async move {
        let (cookie, csrf) = fx.session("maria.keller@northwind-lending.example").await;
        let before = system_count(&fx, "northwind").await;
        let fields = [
            ("name", "Sneaky"),
            ("purpose", "x"),
            ("lifecycle_stage", "idea"),
            ("org_role", "user"),
        ];
        let r = fx.post("/systems", Some(&cookie), &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "missing token");
        let mut with_wrong = fields.to_vec();
        with_wrong.push(("csrf", "0000"));
        assert_eq!(
            fx.post("/systems", Some(&cookie), &with_wrong).await.status,
            StatusCode::FORBIDDEN,
            "wrong token"
        );
        let mut good = fields.to_vec();
        good.push(("csrf", &csrf));
        let cross = fx
            .post_from("http://evil.example", "/systems", Some(&cookie), &good)
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN, "cross-site origin");
        assert_eq!(system_count(&fx, "northwind").await, before);
        let r = fx.post("/logout", Some(&cookie), &[]).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "sign-out needs the token too"
        );
    }
);

on_both!(
    invalid_system_forms_show_messages_next_to_the_fields_and_write_nothing,
    |fx: Fx| async move {
        let (cookie, csrf) = fx.session("daan.visser@northwind-lending.example").await;
        let head_before = fx
            .app
            .verify(&aims_app::Actor::operator("test"), None)
            .await
            .expect("verify")
            .chains;
        let long = "x".repeat(201);
        let r = fx
            .refused_form(
                "/systems",
                &cookie,
                &csrf,
                &[
                    ("name", &long),
                    ("purpose", ""),
                    ("lifecycle_stage", "launched"),
                    ("org_role", "deployer"),
                ],
                &["name"],
            )
            .await;
        r.assert_contains("at most 200");
        assert!(r.text.contains("id=\"purpose-err\""), "purpose message");
        assert!(
            r.text.contains("id=\"lifecycle_stage-err\""),
            "stage message"
        );
        assert!(r.text.contains("aria-invalid=\"true\""));
        assert_eq!(
            fx.app
                .verify(&aims_app::Actor::operator("test"), None)
                .await
                .expect("verify")
                .chains,
            head_before,
            "nothing written"
        );
    }
);

on_both!(
    sessions_rotate_end_at_sign_out_and_repeated_failures_lock_the_email,
    |fx: Fx| async move {
        let email = "elif.aydin@northwind-lending.example";
        let first = fx.sign_in(email, DEMO_PASSWORD).await.expect("sign in");
        assert_eq!(fx.get("/", Some(&first)).await.status, StatusCode::OK);
        // Signing in again while holding the first cookie ends the first session (rotation).
        let page = fx.get("/login", None).await;
        let login_cookie = set_cookie(&page, "aims_login_csrf").expect("cookie");
        let csrf = hidden(&page.text, "csrf").expect("csrf");
        let both = format!("{login_cookie}; {first}");
        let r = fx
            .post(
                "/login",
                Some(&both),
                &[
                    ("email", email),
                    ("password", DEMO_PASSWORD),
                    ("csrf", &csrf),
                ],
            )
            .await;
        let second = set_cookie(&r, "aims_session").expect("new session");
        assert_ne!(second, first);
        assert_eq!(
            fx.get("/", Some(&first)).await.status,
            StatusCode::SEE_OTHER,
            "old session ended"
        );
        let session_csrf = fx.csrf(&second).await;
        assert_eq!(
            fx.post("/logout", Some(&second), &[("csrf", &session_csrf)])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            fx.get("/", Some(&second)).await.status,
            StatusCode::SEE_OTHER,
            "signed out"
        );

        let wrong = fx
            .sign_in(email, "not the password")
            .await
            .expect_err("refused");
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.text.contains("Email or password is wrong"));
        let unknown = fx
            .sign_in("nobody@northwind-lending.example", "whatever")
            .await
            .expect_err("refused");
        assert_eq!(
            unknown.status,
            StatusCode::UNAUTHORIZED,
            "unknown and known emails answer alike"
        );
        for _ in 0..4 {
            let _ = fx.sign_in(email, "still wrong").await;
        }
        let locked = fx
            .sign_in(email, DEMO_PASSWORD)
            .await
            .expect_err("locked out");
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
        // Another user is not affected.
        assert!(
            fx.sign_in("henrik.lindqvist@northwind-lending.example", DEMO_PASSWORD)
                .await
                .is_ok()
        );
    }
);

on_both!(
    pages_carry_security_headers_and_session_cookies_are_protected,
    |fx: Fx| async move {
        let page = fx.get("/login", None).await;
        for h in [
            "content-security-policy",
            "x-frame-options",
            "x-content-type-options",
            "referrer-policy",
        ] {
            assert!(page.headers.contains_key(h), "{h}");
        }
        let csp = page
            .headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(!page.text.contains("<script>"), "no inline script");
        let r = fx
            .post_sign_in("admin@northwind-lending.example", DEMO_PASSWORD)
            .await;
        let raw = r
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("aims_session="))
            .expect("session cookie")
            .to_string();
        assert!(
            raw.contains("HttpOnly") && raw.contains("SameSite=Lax"),
            "{raw}"
        );
        assert_eq!(fx.get("/healthz", None).await.status, StatusCode::OK);
        assert_eq!(fx.get("/readyz", None).await.status, StatusCode::OK);
        let m = fx.get("/metrics", None).await;
        m.assert_contains("aims_http_requests_total");
        assert_eq!(
            fx.get("/no/such/page", None).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

on_both!(
    only_admins_manage_users_and_a_reset_ends_the_members_sessions,
    |fx: Fx| async move {
        for (role, email) in ROLES.iter().zip(EMAILS) {
            let cookie = fx.sign_in(email, DEMO_PASSWORD).await.expect("sign in");
            let want = allowed(*role == "admin");
            assert_eq!(
                fx.get("/admin/users", Some(&cookie)).await.status,
                want,
                "{role}"
            );
        }
        let admin = fx
            .sign_in("admin@northwind-lending.example", DEMO_PASSWORD)
            .await
            .expect("admin");
        let csrf = fx.csrf(&admin).await;
        // The admin adds the same new viewer with `password`; resets `user_id`'s password.
        let add_person = async |password| {
            let form = [
                ("email", "new.person@northwind-lending.example"),
                ("name", "New Person"),
                ("role", "viewer"),
                ("password", password),
            ];
            fx.post_form("/admin/users", &admin, &csrf, &form).await
        };
        let reset = async |user_id, new_password| {
            let form = [("user_id", user_id), ("new_password", new_password)];
            fx.post_form("/admin/users/reset", &admin, &csrf, &form)
                .await
        };
        let r = add_person("short").await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "short password refused"
        );
        r.assert_contains("password");
        let r = add_person("a-long-enough-password").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("new.person@northwind-lending.example"));
        let newcomer = fx
            .sign_in(
                "new.person@northwind-lending.example",
                "a-long-enough-password",
            )
            .await
            .expect("new member signs in");
        let members = fx
            .app
            .members(
                &Actor::operator("t"),
                &fx.app
                    .resolve_org(Some("northwind"))
                    .await
                    .expect("org")
                    .org_id(),
            )
            .await
            .expect("members");
        let id = members
            .iter()
            .find(|m| m.user.email == "new.person@northwind-lending.example")
            .expect("member")
            .user
            .id
            .clone();
        let r = reset(&id, "another-long-password").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            fx.get("/", Some(&newcomer)).await.status,
            StatusCode::SEE_OTHER,
            "sessions ended by the reset"
        );
        assert!(
            fx.sign_in(
                "new.person@northwind-lending.example",
                "another-long-password"
            )
            .await
            .is_ok()
        );
        let other = fx.app.resolve_org(Some("other")).await.expect("other");
        let outsider = fx
            .app
            .members(&Actor::operator("t"), &other.org_id())
            .await
            .expect("members")[0]
            .user
            .id
            .clone();
        let r = reset(&outsider, "hijacked-password-1").await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "no reset across organizations"
        );
    }
);

on_both!(
    the_inventory_list_pages_through_every_system_once,
    |fx: Fx| async move {
        let org = fx.app.resolve_org(Some("northwind")).await.expect("org");
        for i in 0..130 {
            fx.app
                .create_record(
                    &Actor::operator("t"),
                    &org.org_id(),
                    AiSystem::new(&format!("Paged system {i:03}"), "p"),
                )
                .await
                .expect("add");
        }
        let total = system_count(&fx, "northwind").await;
        let cookie = fx
            .sign_in("elif.aydin@northwind-lending.example", DEMO_PASSWORD)
            .await
            .expect("sign in");
        for start in ["/systems?sort=name", "/systems?sort=owner&desc=1"] {
            let mut seen: Vec<String> = Vec::new();
            let mut next = Some(start.to_string());
            let mut pages = 0;
            while let Some(path) = next.take() {
                pages += 1;
                assert!(pages <= 5, "paging does not end; last link {path}");
                let r = fx.get(&path, Some(&cookie)).await;
                assert_eq!(r.status, StatusCode::OK, "{path}");
                let mut rest = r.text.as_str();
                while let Some(i) = rest.find("<td><a href=\"/systems/") {
                    let tail = &rest[i + "<td><a href=\"/systems/".len()..];
                    seen.push(tail[..36].to_string());
                    rest = &tail[36..];
                }
                next = r.text.find("\" rel=\"next\"").and_then(|end| {
                    let start = r.text[..end].rfind("href=\"")? + 6;
                    Some(
                        r.text[start..end]
                            .replace("&#38;", "&")
                            .replace("&amp;", "&")
                            .replace("&#x2f;", "/")
                            .replace("&#47;", "/"),
                    )
                });
            }
            let mut unique = seen.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), seen.len(), "no system twice ({start})");
            assert_eq!(seen.len(), total, "every system once ({start})");
            assert!(pages >= 2, "more than one page");
        }
    }
);

on_both!(
    /// Every response names its request, and no two requests share an id, so a user's report can be matched
    /// with the one log span it belongs to.
    every_response_carries_its_own_request_id,
    |fx: Fx| async move {
        let mut seen = std::collections::HashSet::new();
        for path in ["/login", "/login", "/no-such-page", "/healthz"] {
            let r = fx.get(path, None).await;
            let id = r
                .headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            assert_eq!(id.len(), 36, "{path}: {id:?}");
            assert!(seen.insert(id), "{path}: a request id was reused");
        }
    }
);

/// The precise time of the first `<time datetime="…">` of a page.
fn first_time(html: &str) -> String {
    let start = html.find("<time datetime=\"").expect("a time element") + 16;
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

on_both!(
    every_part_of_a_system_is_edited_in_the_browser_and_what_the_form_leaves_out_is_kept,
    |fx: Fx| async move {
        let (cookie, csrf) = fx.session(crate::common::CONTRIBUTOR).await;
        let org = fx.org_a.clone();
        let mut sys = AiSystem::new("Form test", "Trying every section of the form");
        sys.custom_fields.insert(
            "model_card_url".into(),
            serde_json::json!("https://models.example/card"),
        );
        let sys = fx
            .app
            .create_record(&op(), &org, sys)
            .await
            .expect("system");
        fx.app
            .step::<aims_app::systems::RetireSystem>(
                &op(),
                &org,
                &sys.id,
                None,
                aims_app::systems::RetireInput {
                    reason: "replaced by a vendor tool".into(),
                    on: Some("2026-11-01".into()),
                },
            )
            .await
            .expect("retired");
        let path = format!("/systems/{}", sys.id);
        let edit = fx.get(&format!("{path}/edit"), Some(&cookie)).await;
        assert_eq!(edit.status, StatusCode::OK);
        // Every section has its rows, and each custom field of the organization its input with the value.
        edit.assert_contains("name=\"data_resources[0].name\"");
        edit.assert_contains("name=\"components[0].supplier_id\"");
        edit.assert_contains("name=\"custom_fields.risk_tier\"");
        edit.assert_contains("https://models.example/card");
        let version = hidden(&edit.text, "version").expect("version");
        let base = [
            ("version", version.as_str()),
            ("name", "Form test"),
            ("purpose", "Trying every section of the form"),
            ("lifecycle_stage", "retired"),
            ("org_role", "deployer"),
        ];
        // A value outside the custom field's choices, then an unknown supplier: each named, nothing written.
        for (field, value, error) in [
            (
                "custom_fields.risk_tier",
                "extreme",
                "custom_fields-risk_tier",
            ),
            (
                "components[0].supplier_id",
                "01900000-0000-7000-8000-000000000000",
                "components-0--supplier_id",
            ),
        ] {
            let mut bad = base.to_vec();
            bad.extend([
                ("components[0].name", "Vendor OCR"),
                ("components[0].kind", "service"),
                (field, value),
            ]);
            fx.refused_form(&path, &cookie, &csrf, &bad, &[error]).await;
        }
        let stored = |fx: &Fx| {
            let (app, org, id) = (fx.app.clone(), org.clone(), sys.id.clone());
            async move {
                app.get_record::<AiSystem>(&op(), &org, &id)
                    .await
                    .expect("system")
            }
        };
        assert_eq!(
            stored(&fx).await.version,
            version.parse::<i64>().expect("v")
        );
        let mut good = base.to_vec();
        good.extend([
            ("data_resources[0].name", "Applications 2025"),
            ("data_resources[0].category", "training"),
            ("data_resources[0].personal_data", "true"),
            ("data_resources[1].name", ""),
            ("models[0].name", "Scorer"),
            ("models[0].version", "3.1"),
            ("people[0].role", "Human overseer"),
            ("human_oversight", "human_in_the_loop"),
            ("custom_fields.risk_tier", "high"),
        ]);
        let r = fx.post_form(&path, &cookie, &csrf, &good).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let s = stored(&fx).await.data;
        assert_eq!(s.data_resources.len(), 1, "the blank row is left out");
        assert_eq!(s.data_resources[0].name, "Applications 2025");
        assert!(s.data_resources[0].personal_data);
        assert!(
            !s.data_resources[0].id.is_empty(),
            "a new dataset gets its id"
        );
        assert_eq!(s.models[0].version, "3.1");
        assert_eq!(s.people[0].role, "Human overseer");
        assert_eq!(s.custom_fields["risk_tier"], "high");
        assert_eq!(
            s.custom_fields["model_card_url"], "https://models.example/card",
            "a custom field the form did not carry is kept"
        );
        assert_eq!(
            s.retired_on, "2026-11-01",
            "retirement is not the form's to change"
        );
        let detail = fx.get(&path, Some(&cookie)).await;
        // Vocabulary values read as words.
        detail.assert_contains("<dd>human in the loop</dd>");
        // Times read to the minute, the precise value kept for the reader's time zone and on hover.
        let at = first_time(&detail.text);
        assert!(at.ends_with('Z') && at.len() > 20, "{at}");
        detail.assert_contains(&format!(
            "title=\"{at}\">{} {} UTC</time>",
            &at[..10],
            &at[11..16]
        ));
        assert!(
            !detail.text.contains("human_in_the_loop"),
            "a raw value is shown"
        );
        // The history names what the edit changed, by label, old and new.
        let history = fx.get(&format!("{path}/history"), Some(&cookie)).await;
        // A list by the items it gained (a row by its name).
        history.assert_contains("added <ins>Applications 2025</ins>");
        history.assert_contains(
            "<span class=\"field\">Human oversight</span> <span class=\"muted\">none</span> → <ins>human in the loop</ins>",
        );
        for text in [
            "Applications 2025",
            "Internal risk tier",
            "high",
            "EU AI Act classification",
        ] {
            detail.assert_contains(text);
        }
        // A custom field left blank loses its value; the dataset's id travels through the form.
        let edit = fx.get(&format!("{path}/edit"), Some(&cookie)).await;
        let version = hidden(&edit.text, "version").expect("version");
        let dataset_id = s.data_resources[0].id.clone();
        let mut again = good.clone();
        again[0] = ("version", version.as_str());
        again.extend([("data_resources[0].id", dataset_id.as_str())]);
        if let Some(tier) = again
            .iter_mut()
            .find(|(k, _)| *k == "custom_fields.risk_tier")
        {
            tier.1 = "";
        }
        let r = fx.post_form(&path, &cookie, &csrf, &again).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let s = stored(&fx).await.data;
        assert!(!s.custom_fields.contains_key("risk_tier"));
        assert_eq!(s.data_resources[0].id, dataset_id);
        fx.assert_intact().await;
    }
);

on_both!(
    a_new_organization_gets_a_checklist_and_an_undecided_soa_without_problems,
    |fx: Fx| async move {
        let cookie = fx
            .sign_in(crate::common::BOSS_B, "other-password-123")
            .await
            .unwrap_or_else(|r| panic!("sign-in: {}", r.text));
        let page = fx.get("/", Some(&cookie)).await;
        page.assert_contains("id=\"getting-started\"");
        // The other organization has one AI system and nothing else yet.
        page.assert_contains("1 of 7 done");
        page.assert_contains("<a href=\"/context/scope/edit\">Approve the AIMS scope</a>");
        let soa = fx.get("/soa", Some(&cookie)).await;
        soa.assert_contains("<span class=\"num\">38</span><span class=\"label\">Undecided</span>");
        soa.assert_contains(
            "<span class=\"num\">0</span><span class=\"label\">With problems</span>",
        );
        soa.assert_contains("<span class=\"num\">0</span><span class=\"label\">Excluded</span>");
        // The demo organization has walked every step: no checklist.
        let (demo, _) = fx.session(crate::common::MANAGER).await;
        let page = fx.get("/", Some(&demo)).await;
        assert!(
            !page.text.contains("id=\"getting-started\""),
            "{}",
            page.text
        );
    }
);

on_both!(
    an_admin_changes_roles_and_removes_members_in_the_browser_but_never_the_last_admin,
    |fx: Fx| async move {
        use crate::common::{ADMIN, VIEWER};
        let (cookie, csrf) = fx.session(ADMIN).await;
        let (viewer_cookie, viewer_csrf) = fx.session(VIEWER).await;
        let members = fx.app.members(&op(), &fx.org_a).await.expect("members");
        let id_of = |email: &str| {
            let m = members.iter().find(|m| m.user.email == email);
            m.map(|m| m.membership_id.clone()).expect("member")
        };
        let (viewer, admin) = (id_of(VIEWER), id_of(ADMIN));
        // One member form: a role change, or (action=remove) the removal; posted as `who`.
        let change = async |who: (&str, &str), id: &str, role: &str, action: &str| {
            let form = [("membership_id", id), ("role", role), ("action", action)];
            fx.post_form("/admin/users/member", who.0, who.1, &form)
                .await
        };
        let (boss, them) = (
            (cookie.as_str(), csrf.as_str()),
            (viewer_cookie.as_str(), viewer_csrf.as_str()),
        );
        // A viewer cannot change roles.
        let r = change(them, &viewer, "admin", "role").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // The admin makes the viewer a contributor; the viewer's session acts with the new role at once.
        let r = change(boss, &viewer, "contributor", "role").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.assert_contains("is now contributor");
        let form = fx.get("/systems/new", Some(&viewer_cookie)).await;
        assert_eq!(form.status, StatusCode::OK, "a contributor may create");
        // The only admin cannot step down or leave.
        for action in ["role", "remove"] {
            let r = change(boss, &admin, "viewer", action).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{action}");
            r.assert_contains("keeps at least one admin");
        }
        // Removing the (former) viewer ends their session in this organization.
        let r = change(boss, &viewer, "", "remove").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.assert_contains("was removed");
        let after = fx.get("/", Some(&viewer_cookie)).await;
        assert_eq!(
            after.status,
            StatusCode::SEE_OTHER,
            "the removed member is signed out"
        );
        fx.assert_intact().await;
    }
);
