//! The risk register, Statement of Applicability, control, impact-assessment and EU AI Act classification pages
//! through the real router, on SQLite and PostgreSQL: every page renders for a reader, readers cannot write,
//! a contributor records, assesses and treats a risk that then shows in the register and the heat map, the SoA
//! filters and refuses approval while lines have problems, and another organization's records are not found; the
//! risk method page shows the method and only managers and admins save a new version through its form (a matrix
//! with a hole, a bad colour or a resized scale come back naming the field, unsaved); a contributor adds one of
//! the organization's own controls, which then shows in the Statement of Applicability.

use crate::common::{ADMIN, AUDITOR, CONTRIBUTOR, MANAGER, Resp, VIEWER, Web, hidden, op};
use aims_app::RecordId;
use aims_app::systems::SystemFilter;
use aims_domain::impact::{AffectedParty, Impact, ImpactAssessment};
use aims_domain::inventory::AiSystem;
use aims_domain::risk::Risk;
use axum::http::StatusCode;
use std::collections::BTreeMap;

/// A re-assessment form at the lowest point of every scale.
const LOWEST_ASSESSMENT: &[(&str, &str)] = &[
    ("assessment.date", "2026-12-01"),
    ("assessment.inherent.likelihood", "1"),
    ("assessment.inherent.impact", "1"),
    ("assessment.current.likelihood", "1"),
    ("assessment.current.impact", "1"),
    ("assessment.residual.likelihood", "1"),
    ("assessment.residual.impact", "1"),
];

/// An impact assessment's approval form.
const APPROVAL: &[(&str, &str)] = &[
    ("approval.by", "X"),
    ("approval.role", "Y"),
    ("approval.date", "2026-12-01"),
    ("approval.rationale", "Z"),
];

/// The standard fixture, a system of the demo organization and records of the other one.
struct Fx {
    web: Web,
    /// A system of the demo organization.
    system_a: RecordId,
    /// Records of the other organization.
    risk_b: RecordId,
    impact_b: RecordId,
}

derefs_to_web!(Fx);

fn assessment_for(system: &str, title: &str) -> ImpactAssessment {
    ImpactAssessment {
        system_id: system.to_string(),
        system_version: "1".into(),
        template: "default".into(),
        title: title.to_string(),
        status: "draft".into(),
        scope: "All uses".into(),
        system_info: String::new(),
        data_info: String::new(),
        model_info: String::new(),
        deployment_context: String::new(),
        affected: vec![AffectedParty {
            name: "customers".into(),
            kind: "group".into(),
            vulnerable: false,
            note: String::new(),
        }],
        impacts: vec![Impact {
            area: "privacy".into(),
            nature: "harm".into(),
            description: "Secret harm of B".into(),
            affected: vec!["customers".into()],
            severity: 2,
            likelihood: 2,
            reversibility: "reversible".into(),
            measures: String::new(),
            controls: vec![],
            risk_id: String::new(),
        }],
        human_oversight: String::new(),
        answers: BTreeMap::new(),
        triggers: vec![],
        next_review: String::new(),
        approval: None,
    }
}

async fn fixture(backend: aims_app::test_store::Backend) -> Fx {
    let web = Web::new(backend).await;
    let (app, org_b, system_b) = (&web.app, &web.org_b, &web.system_b);
    let risk_b = app
        .create_record(
            &op(),
            org_b,
            Risk {
                title: "Secret risk of B".into(),
                description: String::new(),
                system_ids: vec![system_b.to_string()],
                sources: vec![],
                objectives: vec![],
                owner: String::new(),
                review_date: String::new(),
                status: "open".into(),
                raised_from: vec![],
                assessments: vec![],
            },
        )
        .await
        .expect("risk b");
    let impact_b = app
        .create_record(
            &op(),
            org_b,
            assessment_for(system_b, "Secret assessment of B"),
        )
        .await
        .expect("impact b");
    let a = app
        .systems(&op(), &web.org_a, &SystemFilter::default())
        .await
        .expect("systems")
        .into_iter()
        .find(|s| s.data.lifecycle_stage != "retired")
        .expect("a system");
    Fx {
        system_a: a.id,
        risk_b: risk_b.id,
        impact_b: impact_b.id,
        web,
    }
}

impl Fx {
    /// A page with the session cookie.
    async fn get(&self, path: &str, cookie: &str) -> Resp {
        self.web.get(path, Some(cookie)).await
    }

    /// The head hash of the demo organization's change log.
    async fn chain_head(&self) -> String {
        self.head(&self.org_a)
            .await
            .map(|h| h.1)
            .unwrap_or_default()
    }

    /// Posts the risk-method form `f` with the session's cookie and CSRF token.
    async fn post_method(&self, cookie: &str, csrf: &str, f: &[(String, String)]) -> Resp {
        let mut form: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        form.push(("csrf", csrf));
        self.post("/risks/method", Some(cookie), &form).await
    }

    async fn risk_count(&self) -> usize {
        self.app
            .risks(&op(), &self.org_a, &Default::default())
            .await
            .expect("risks")
            .len()
    }
}

/// The number of risks the heat map shows in one cell, read from the cell's spoken label.
fn cell_count(html: &str, map: &str, likelihood: &str, impact: &str) -> usize {
    let start = html
        .find(&format!("aria-label=\"{map} heat map:"))
        .unwrap_or_else(|| panic!("no {map} heat map"));
    let svg = &html[start..start + html[start..].find("</svg>").expect("svg end")];
    let needle = format!(" at likelihood {likelihood} and impact {impact}");
    let at = svg.find(&needle).expect("cell label");
    let before = &svg[..at];
    let before = (before.strip_suffix(" risks"))
        .or_else(|| before.strip_suffix(" risk"))
        .expect("a count of risks");
    let digits: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().expect("count")
}

/// Ids of demo records the pages are checked on.
struct DemoIds {
    risk: String,
    treatment: RecordId,
    impact: RecordId,
    draft_impact: RecordId,
    version: Option<i64>,
}

async fn demo_ids(fx: &Fx) -> DemoIds {
    let treatments = fx
        .app
        .treatments(&op(), &fx.org_a, None)
        .await
        .expect("plans");
    let t = treatments.first().expect("the demo has a treatment plan");
    let impacts = fx
        .app
        .impacts(&op(), &fx.org_a, None)
        .await
        .expect("impacts");
    let draft = match impacts.iter().find(|a| a.data.status == "draft") {
        Some(a) => a.id.clone(),
        None => {
            fx.app
                .create_record(
                    &op(),
                    &fx.org_a,
                    assessment_for(&fx.system_a, "Draft for tests"),
                )
                .await
                .expect("draft")
                .id
        }
    };
    let versions = fx
        .app
        .soa_versions(&op(), &fx.org_a)
        .await
        .expect("versions");
    DemoIds {
        risk: t.data.risk_id.clone(),
        treatment: t.id.clone(),
        impact: impacts
            .first()
            .expect("the demo has impact assessments")
            .id
            .clone(),
        draft_impact: draft,
        version: versions.first().map(|v| v.data.number),
    }
}

on_both!(
    every_page_renders_for_readers_and_their_writes_are_refused,
    |fx: Fx| async move {
        let ids = demo_ids(&fx).await;
        let (r, t, ia, draft, a) = (
            ids.risk.clone(),
            ids.treatment.clone(),
            ids.impact.clone(),
            ids.draft_impact.clone(),
            fx.system_a.clone(),
        );
        let mut readable = vec![
            "/".to_string(),
            "/risks".into(),
            "/risks?q=fraud&status=treating&sort=owner&desc=1".into(),
            "/risks?which=inherent&l=3&i=4".into(),
            format!("/risks?system={a}"),
            format!("/risks/{r}"),
            "/soa".into(),
            "/soa?status=implemented&applicable=yes&problems=1&q=A.6".into(),
            "/soa/versions".into(),
            "/soa/diff".into(),
            "/controls/A.2.2".into(),
            "/controls/A.6.2.4".into(),
            "/controls".into(),
            "/controls?q=A.6&status=implemented&sort=owner&desc=1".into(),
            "/risks/method".into(),
            "/risks/method?version=1".into(),
            "/impact-assessments".into(),
            format!("/impact-assessments?system={a}&status=draft"),
            format!("/impact-assessments/{ia}"),
            format!("/impact-assessments/{draft}"),
            format!("/systems/{a}/classification"),
            format!("/systems/{a}"),
        ];
        if let Some(v) = ids.version {
            readable.push(format!("/soa/versions/{v}"));
            readable.push(format!("/soa/diff?from={v}"));
            if v > 1 {
                readable.push(format!("/soa/diff?from={}&to={v}", v - 1));
            }
        }
        let write_forms = [
            "/risks/new".to_string(),
            "/risks/method/edit".into(),
            format!("/risks/{r}/edit"),
            format!("/risks/{r}/assess"),
            format!("/risks/{r}/treatments/new"),
            format!("/risks/{r}/treatments/{t}/edit"),
            format!("/risks/{r}/treatments/{t}/accept"),
            "/impact-assessments/new".into(),
            format!("/impact-assessments/new?system={a}&template=eu-fria"),
            format!("/impact-assessments/{draft}/edit"),
        ];
        let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
            ("/risks".into(), vec![("title", "Sneaky risk")]),
            (format!("/risks/{r}"), vec![("title", "Renamed")]),
            (format!("/risks/{r}/assess"), LOWEST_ASSESSMENT.to_vec()),
            (
                format!("/risks/{r}/treatments"),
                vec![("option", "retain"), ("status", "planned")],
            ),
            (
                format!("/risks/{r}/treatments/{t}"),
                vec![("option", "retain"), ("status", "planned")],
            ),
            (
                format!("/risks/{r}/treatments/{t}/accept"),
                vec![
                    ("acceptance.by", "X"),
                    ("acceptance.role", "Y"),
                    ("acceptance.date", "2026-12-01"),
                    ("acceptance.rationale", "Z"),
                ],
            ),
            (
                "/soa/approve".into(),
                vec![("approved_by", "X"), ("approver_role", "Y")],
            ),
            (
                "/controls/A.2.2".into(),
                vec![("status", "implemented"), ("owner", "Nobody")],
            ),
            (
                "/controls".into(),
                vec![
                    ("control", "ORG-99"),
                    ("title", "Sneaky"),
                    ("status", "planned"),
                ],
            ),
            ("/risks/method".into(), vec![("name", "Sneaky method")]),
            (
                "/impact-assessments".into(),
                vec![
                    ("system_id", a.as_str()),
                    ("template", "default"),
                    ("title", "Sneaky"),
                ],
            ),
            (
                format!("/impact-assessments/{draft}"),
                vec![("title", "Renamed")],
            ),
            (
                format!("/impact-assessments/{draft}/approve"),
                APPROVAL.to_vec(),
            ),
            (
                format!("/systems/{a}/classification"),
                vec![("role", "deployer")],
            ),
        ];
        let head = fx.chain_head().await;
        for email in [VIEWER, AUDITOR] {
            let (cookie, csrf) = fx.session(email).await;
            for path in &readable {
                let res = fx.get(path, &cookie).await;
                assert_eq!(
                    res.status,
                    StatusCode::OK,
                    "{email} GET {path}: {}",
                    res.text
                );
            }
            let register = fx.get("/risks", &cookie).await.text;
            assert!(!register.contains("href=\"/risks/new\""), "no write button");
            let soa = fx.get("/soa", &cookie).await.text;
            assert!(!soa.contains("action=\"/soa/approve\""), "no approve form");
            for path in &write_forms {
                let res = fx.get(path, &cookie).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{email} GET {path}");
            }
            for (path, fields) in &posts {
                let mut form = fields.clone();
                form.push(("csrf", csrf.as_str()));
                let res = fx.post(path, Some(&cookie), &form).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{email} POST {path}");
            }
        }
        // Contributors write but do not approve.
        let (cookie, csrf) = fx.session(CONTRIBUTOR).await;
        assert_eq!(
            fx.get(&format!("/risks/{r}/treatments/{t}/accept"), &cookie)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        for (path, fields) in posts
            .iter()
            .filter(|(p, _)| p.ends_with("/accept") || p.ends_with("/approve"))
        {
            let mut form = fields.clone();
            form.push(("csrf", csrf.as_str()));
            let res = fx.post(path, Some(&cookie), &form).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "contributor POST {path}");
        }
        assert_eq!(fx.chain_head().await, head, "nothing was written");
        // Forms without the session's token change nothing either.
        let res = fx
            .post("/risks", Some(&cookie), &[("title", "No token")])
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(fx.chain_head().await, head);
        // The old address of the classification page under the API's name leads to it.
        let res = fx
            .get(&format!("/ai-systems/{a}/classification"), &cookie)
            .await;
        assert_eq!(res.location(), format!("/systems/{a}/classification"));
    }
);

on_both!(
    a_contributor_records_assesses_and_treats_a_risk_that_shows_in_the_register_and_heat_map,
    |fx: Fx| async move {
        let a = fx.system_a.clone();
        let system_name = fx
            .app
            .get_record::<AiSystem>(&op(), &fx.org_a, &a.as_str().into())
            .await
            .expect("a")
            .data
            .name;
        let (cookie, csrf) = fx.session(CONTRIBUTOR).await;
        let before = fx.get("/risks", &cookie).await.text;
        let cell_before = cell_count(&before, "Inherent risk", "5 (Almost certain)", "5 (Severe)");

        // A first attempt without a title and with half a score comes back with messages; nothing is stored.
        let count = fx.risk_count().await;
        let res = fx
            .refused_form(
                "/risks",
                &cookie,
                &csrf,
                &[
                    ("title", "  "),
                    ("system_ids", &a),
                    ("assessment.inherent.likelihood", "5"),
                ],
                &["assessment-inherent-impact"],
            )
            .await;
        assert!(res.text.contains("choose a point of the scale"));
        fx.refused_form(
            "/risks",
            &cookie,
            &csrf,
            &[("title", " "), ("system_ids", &a)],
            &["title"],
        )
        .await;
        assert_eq!(fx.risk_count().await, count);

        let path = fx
            .submit(
                "/risks",
                &cookie,
                &csrf,
                &[
                    ("title", "Chatbot invents refund rules"),
                    (
                        "description",
                        "The assistant states refund conditions that do not exist.",
                    ),
                    ("owner", "Head of Customer Service"),
                    ("review_date", "2027-02-01"),
                    ("status", "open"),
                    ("system_ids", &a),
                    ("sources", "C.3.4"),
                    ("custom_sources", "Vendor model update"),
                    ("objectives", "C.2.5"),
                    ("objectives", "C.2.11"),
                    ("assessment.date", "2026-11-30"),
                    ("assessment.assessor", "Daan Visser"),
                    ("assessment.inherent.likelihood", "5"),
                    ("assessment.inherent.impact", "5"),
                    ("assessment.current.likelihood", "4"),
                    ("assessment.current.impact", "4"),
                    ("assessment.residual.likelihood", "2"),
                    ("assessment.residual.impact", "2"),
                    ("assessment.dimensions", "individuals"),
                    ("assessment.note", "Seen twice in the pilot."),
                ],
            )
            .await;
        let id = path
            .strip_prefix("/risks/")
            .expect("risk address")
            .to_string();
        assert_eq!(fx.risk_count().await, count + 1);

        // The register lists it, and the inherent heat map counts it in its cell.
        let register = fx.get("/risks", &cookie).await.text;
        assert!(register.contains("Chatbot invents refund rules"));
        assert_eq!(
            cell_count(
                &register,
                "Inherent risk",
                "5 (Almost certain)",
                "5 (Severe)"
            ),
            cell_before + 1
        );
        let cell = fx.get("/risks?which=inherent&l=5&i=5", &cookie).await.text;
        assert!(cell.contains("Chatbot invents refund rules"));
        assert!(cell.contains("Showing risks at: Inherent likelihood 5 · Almost certain"));
        let other_cell = fx.get("/risks?which=inherent&l=1&i=1", &cookie).await.text;
        assert!(!other_cell.contains("Chatbot invents refund rules"));
        let searched = fx
            .get("/risks?q=refund+rules&status=open", &cookie)
            .await
            .text;
        assert!(searched.contains("Chatbot invents refund rules"));
        let filtered = fx.get("/risks?status=closed", &cookie).await.text;
        assert!(!filtered.contains("Chatbot invents refund rules"));

        // The risk page shows the fields, the linked system, the catalogue titles and the levels.
        let detail = fx.get(&path, &cookie).await.text;
        for text in [
            "Chatbot invents refund rules",
            system_name.as_str(),
            "C.3.4",
            "Vendor model update",
            "C.2.5",
            "Fairness",
            "Critical",
            "Seen twice in the pilot.",
        ] {
            assert!(detail.contains(text), "risk page shows {text}");
        }

        // Editing keeps the assessments; a stale version is refused.
        let edit = fx.get(&format!("{path}/edit"), &cookie).await;
        assert_eq!(edit.status, StatusCode::OK);
        let version = hidden(&edit.text, "version").expect("version");
        let form = [
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("title", "Chatbot invents refund rules"),
            ("owner", "Head of Service Quality"),
            ("status", "open"),
            ("system_ids", a.as_str()),
            ("sources", "C.3.4"),
        ];
        let res = fx.post(&path, Some(&cookie), &form).await;
        res.assert_status(StatusCode::SEE_OTHER);
        let res = fx.post(&path, Some(&cookie), &form).await;
        assert_eq!(
            res.status,
            StatusCode::CONFLICT,
            "the same version again is stale"
        );
        let stored = fx
            .app
            .get_record::<Risk>(&op(), &fx.org_a, &id.as_str().into())
            .await
            .expect("risk");
        assert_eq!(stored.data.owner, "Head of Service Quality");
        assert_eq!(stored.data.assessments.len(), 1);

        // A re-assessment is added to the history.
        let version = hidden(
            &fx.get(&format!("{path}/assess"), &cookie).await.text,
            "version",
        )
        .expect("version");
        fx.submit(
            &format!("{path}/assess"),
            &cookie,
            &csrf,
            &[
                ("version", &version),
                ("assessment.date", "2026-12-15"),
                ("assessment.inherent.likelihood", "5"),
                ("assessment.inherent.impact", "5"),
                ("assessment.current.likelihood", "3"),
                ("assessment.current.impact", "3"),
                ("assessment.residual.likelihood", "1"),
                ("assessment.residual.impact", "2"),
            ],
        )
        .await;
        let stored = fx
            .app
            .get_record::<Risk>(&op(), &fx.org_a, &id.as_str().into())
            .await
            .expect("risk");
        assert_eq!(stored.data.assessments.len(), 2);
        let detail = fx.get(&path, &cookie).await.text;
        assert!(detail.contains("2026-12-15") && detail.contains("2026-11-30"));

        // A treatment plan with a task; the risk moves to treating.
        fx.submit(
            &format!("{path}/treatments"),
            &cookie,
            &csrf,
            &[
                ("option", "modify"),
                ("status", "in_progress"),
                (
                    "description",
                    "Ground answers in the approved help content.",
                ),
                ("controls", "A.6.2.4"),
                ("tasks[0].title", "Add retrieval from the help centre"),
                ("tasks[0].owner", "Support engineering"),
                ("tasks[0].due", "2027-01-15"),
                ("tasks[0].status", "open"),
                ("tasks[1].title", ""),
                ("tasks[1].status", "open"),
            ],
        )
        .await;
        let detail = fx.get(&path, &cookie).await.text;
        assert!(detail.contains("Add retrieval from the help centre"));
        assert!(detail.contains("/controls/A.6.2.4"));
        let stored = fx
            .app
            .get_record::<Risk>(&op(), &fx.org_a, &id.as_str().into())
            .await
            .expect("risk");
        assert_eq!(stored.data.status, "treating");
        let plans = fx
            .app
            .treatments(&op(), &fx.org_a, Some(&id))
            .await
            .expect("plans");
        assert_eq!(plans.len(), 1);
        assert_eq!(plans[0].data.tasks.len(), 1, "the empty row is skipped");

        // A 'modify' plan without controls names the field.
        fx.refused_form(
            &format!("{path}/treatments"),
            &cookie,
            &csrf,
            &[("option", "modify"), ("status", "planned")],
            &["controls"],
        )
        .await;

        // A manager accepts the residual risk.
        let (mcookie, mcsrf) = fx.session(MANAGER).await;
        let accept = format!("{path}/treatments/{}/accept", plans[0].id);
        let form = fx.get(&accept, &mcookie).await;
        assert_eq!(form.status, StatusCode::OK);
        let version = hidden(&form.text, "version").expect("version");
        fx.refused_form(
            &accept,
            &mcookie,
            &mcsrf,
            &[("version", &version), ("acceptance.by", "")],
            &["acceptance-by"],
        )
        .await;
        fx.submit(
            &accept,
            &mcookie,
            &mcsrf,
            &[
                ("version", &version),
                ("acceptance.by", "Maria Keller"),
                ("acceptance.role", "Chief Risk Officer"),
                ("acceptance.date", "2026-12-16"),
                (
                    "acceptance.rationale",
                    "Residual risk is low once grounding is live.",
                ),
            ],
        )
        .await;
        let detail = fx.get(&path, &cookie).await.text;
        assert!(detail.contains("Residual risk accepted"));
        assert!(detail.contains("Chief Risk Officer"));
        assert_eq!(
            fx.app
                .get_record::<Risk>(&op(), &fx.org_a, &id.as_str().into())
                .await
                .expect("risk")
                .data
                .status,
            "accepted"
        );
        fx.assert_intact().await;
    }
);

on_both!(
    the_soa_filters_and_refuses_approval_while_lines_have_problems,
    |fx: Fx| async move {
        let (cookie, csrf) = fx.session(MANAGER).await;
        let view = fx.app.soa(&op(), &fx.org_a).await.expect("soa");
        let implemented = view
            .entries
            .iter()
            .find(|e| e.status == "implemented")
            .expect("an implemented control")
            .control
            .clone();
        let other = view
            .entries
            .iter()
            .find(|e| e.status != "implemented")
            .expect("a control in another state")
            .control
            .clone();
        let page = fx.get("/soa?status=implemented", &cookie).await.text;
        assert!(page.contains(&format!("id=\"line-{implemented}\"")));
        assert!(!page.contains(&format!("id=\"line-{other}\"")));
        let page = fx
            .get(
                &format!(
                    "/soa?status={}",
                    view.entries
                        .iter()
                        .find(|e| e.control == other)
                        .unwrap()
                        .status
                ),
                &cookie,
            )
            .await
            .text;
        assert!(page.contains(&format!("id=\"line-{other}\"")));
        assert!(!page.contains(&format!("id=\"line-{implemented}\"")));

        // Exclude a control that a risk treatment relies on: the line gets a problem and approval is refused.
        let risk = fx
            .app
            .risks(&op(), &fx.org_a, &Default::default())
            .await
            .expect("risks")
            .remove(0);
        let plan = fx
            .app
            .create_record(
                &op(),
                &fx.org_a,
                aims_domain::risk::Treatment {
                    risk_id: risk.id.to_string(),
                    option: "modify".into(),
                    description: String::new(),
                    controls: vec!["A.9.3".into()],
                    tasks: vec![],
                    status: "planned".into(),
                    acceptance: None,
                },
            )
            .await
            .expect("plan");
        assert!(!plan.id.is_empty());
        let control = fx.get("/controls/A.9.3", &cookie).await;
        assert_eq!(control.status, StatusCode::OK);
        let version = hidden(&control.text, "version").expect("version");
        // An exclusion without a justification is refused on the control page, naming the field.
        fx.refused_form(
            "/controls/A.9.3",
            &cookie,
            &csrf,
            &[("version", &version), ("status", "not_applicable")],
            &["justification"],
        )
        .await;
        fx.submit(
            "/controls/A.9.3",
            &cookie,
            &csrf,
            &[
                ("version", &version),
                ("status", "not_applicable"),
                ("justification", "Handled elsewhere."),
                ("reasons[0].kind", "legal"),
                ("reasons[0].reference", ""),
            ],
        )
        .await;
        let page = fx.get("/soa?applicable=no", &cookie).await.text;
        assert!(page.contains("id=\"line-A.9.3\""));
        assert!(!page.contains(&format!("id=\"line-{implemented}\"")));
        let page = fx.get("/soa?problems=1", &cookie).await.text;
        assert!(page.contains("id=\"line-A.9.3\""));
        assert!(page.contains("class=\"problem\""));
        assert!(page.contains("excluded, but the treatment of risk calls for it"));

        let versions = fx
            .app
            .soa_versions(&op(), &fx.org_a)
            .await
            .expect("v")
            .len();
        fx.refused_form(
            "/soa/approve",
            &cookie,
            &csrf,
            &[("approved_by", ""), ("approver_role", "")],
            &["approved_by"],
        )
        .await;
        let res = fx
            .post_form(
                "/soa/approve",
                &cookie,
                &csrf,
                &[
                    ("approved_by", "Maria Keller"),
                    ("approver_role", "Chief Executive Officer"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("It cannot be approved yet");
        assert!(res.text.contains("href=\"/controls/A.9.3\""));
        assert!(
            res.text
                .contains("excluded, but the treatment of risk calls for it")
        );
        assert!(
            res.text.contains("value=\"Chief Executive Officer\""),
            "the form keeps its values"
        );
        assert_eq!(
            fx.app
                .soa_versions(&op(), &fx.org_a)
                .await
                .expect("v")
                .len(),
            versions
        );

        // Include it again; approval then freezes a new version, listed and comparable.
        let version = hidden(&fx.get("/controls/A.9.3", &cookie).await.text, "version").expect("v");
        fx.submit(
            "/controls/A.9.3",
            &cookie,
            &csrf,
            &[
                ("version", &version),
                ("status", "planned"),
                ("owner", "CISO"),
            ],
        )
        .await;
        let still = fx.app.soa(&op(), &fx.org_a).await.expect("soa");
        assert_eq!(
            still.summary.with_problems, 0,
            "the demo's SoA is approvable again"
        );
        {
            let res = fx
                .submit(
                    "/soa/approve",
                    &cookie,
                    &csrf,
                    &[
                        ("approved_by", "Maria Keller"),
                        ("approver_role", "Chief Executive Officer"),
                        ("note", "Quarterly review"),
                    ],
                )
                .await;
            let n = versions as i64 + 1;
            assert_eq!(res, format!("/soa/versions/{n}"));
            let page = fx.get(&res, &cookie).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(page.text.contains("Quarterly review"));
            let list = fx.get("/soa/versions", &cookie).await.text;
            assert!(list.contains(&format!("/soa/versions/{n}")));
            if n > 1 {
                let diff = fx
                    .get(&format!("/soa/diff?from={}&to={n}", n - 1), &cookie)
                    .await;
                assert_eq!(diff.status, StatusCode::OK);
                assert!(
                    diff.text.contains("A.9.3"),
                    "the comparison names the changed control"
                );
            }
        }
        assert_eq!(
            fx.get("/soa/versions/999", &cookie).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            fx.get("/controls/A.99.1", &cookie).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

on_both!(
    impact_assessments_raise_risks_and_classification_gives_a_class,
    |fx: Fx| async move {
        let a = fx.system_a.clone();
        let (cookie, csrf) = fx.session(CONTRIBUTOR).await;
        let start = fx.get("/impact-assessments/new", &cookie).await;
        assert_eq!(start.status, StatusCode::OK);
        assert!(start.text.contains("name=\"template\" value=\"eu-fria\""));
        let form = fx
            .get(
                &format!("/impact-assessments/new?system={a}&template=eu-fria"),
                &cookie,
            )
            .await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.text.contains("Art. 27(1)(a)"),
            "the template's own questions"
        );
        let risks = fx.risk_count().await;
        let res = fx
            .submit(
                "/impact-assessments",
                &cookie,
                &csrf,
                &[
                    ("system_id", &a),
                    ("template", "eu-fria"),
                    ("title", "FRIA for the test"),
                    ("scope", "Everything"),
                    ("affected[0].name", "applicants"),
                    ("affected[0].kind", "group"),
                    ("affected[0].vulnerable", "on"),
                    ("affected[1].name", ""),
                    ("affected[1].kind", "individuals"),
                    ("impacts[0].area", "fairness"),
                    ("impacts[0].nature", "harm"),
                    (
                        "impacts[0].description",
                        "Refusals fall harder on young applicants.",
                    ),
                    ("impacts[0].affected", "applicants"),
                    ("impacts[0].severity", "5"),
                    ("impacts[0].likelihood", "4"),
                    ("impacts[0].reversibility", "irreversible"),
                    ("impacts[1].area", "privacy"),
                    ("impacts[1].nature", "harm"),
                    ("impacts[1].severity", ""),
                    ("impacts[1].likelihood", ""),
                    ("impacts[1].reversibility", "reversible"),
                    ("answers.deployer_processes", "Loan origination."),
                    ("triggers", "model_change"),
                    ("next_review", "2027-06-30"),
                ],
            )
            .await;
        assert_eq!(
            fx.risk_count().await,
            risks + 1,
            "the harm above appetite raised a risk"
        );
        let detail = fx.get(&res, &cookie).await;
        assert_eq!(detail.status, StatusCode::OK);
        assert!(detail.text.contains("id=\"impact-0\""));
        assert!(detail.text.contains("above appetite"));
        assert!(
            detail.text.contains("href=\"/risks/"),
            "links the raised risk"
        );
        assert!(detail.text.contains("Loan origination."));
        let list = fx.get("/impact-assessments", &cookie).await.text;
        assert!(list.contains("FRIA for the test"));

        // The draft can be revised; the raised risk stays linked rather than raised again.
        let edit = fx.get(&format!("{}/edit", res), &cookie).await;
        assert_eq!(edit.status, StatusCode::OK);
        assert!(
            edit.text
                .contains("Refusals fall harder on young applicants.")
        );
        let version = hidden(&edit.text, "version").expect("version");
        let risk_id =
            hidden(&edit.text, "impacts[0].risk_id").expect("linked risk kept in the form");
        fx.submit(
            &res,
            &cookie,
            &csrf,
            &[
                ("version", &version),
                ("system_id", &a),
                ("template", "eu-fria"),
                ("title", "FRIA for the test, revised"),
                ("affected[0].name", "applicants"),
                ("affected[0].kind", "group"),
                ("impacts[0].area", "fairness"),
                ("impacts[0].nature", "harm"),
                (
                    "impacts[0].description",
                    "Refusals fall harder on young applicants.",
                ),
                ("impacts[0].severity", "5"),
                ("impacts[0].likelihood", "4"),
                ("impacts[0].reversibility", "irreversible"),
                ("impacts[0].risk_id", &risk_id),
            ],
        )
        .await;
        assert_eq!(
            fx.risk_count().await,
            risks + 1,
            "no second risk for the same harm"
        );

        // A harm without scores comes back with the message on its card.
        fx.refused_form(
            "/impact-assessments",
            &cookie,
            &csrf,
            &[
                ("system_id", &a),
                ("template", "default"),
                ("title", "Incomplete"),
                ("impacts[3].area", "privacy"),
                ("impacts[3].nature", "harm"),
                ("impacts[3].description", "Leak"),
                ("impacts[3].severity", ""),
                ("impacts[3].likelihood", "2"),
            ],
            &["impacts-3"],
        )
        .await;

        // Classification: unanswered questions are named; all "no" is minimal risk.
        let q = aims_app::classify::questionnaire().expect("questionnaire");
        let res = fx
            .post_form(
                &format!("/systems/{a}/classification"),
                &cookie,
                &csrf,
                &[("role", "deployer")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("id=\"err-social_scoring\"");
        let names: Vec<String> = q
            .questions
            .iter()
            .filter(|x| x.kind == "yes_no")
            .map(|x| format!("q.{}", x.id))
            .collect();
        let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf), ("role", "deployer")];
        form.extend(names.iter().map(|n| (n.as_str(), "no")));
        let res = fx
            .post(
                &format!("/systems/{a}/classification"),
                Some(&cookie),
                &form,
            )
            .await;
        res.assert_status(StatusCode::SEE_OTHER);
        let page = fx
            .get(&format!("/systems/{a}/classification"), &cookie)
            .await
            .text;
        assert!(page.contains("Minimal risk"), "{page}");
        assert!(
            page.contains("/catalog/eu-ai-act/item?ref="),
            "provisions link to the catalogue"
        );
        let stored = fx
            .app
            .classification(&op(), &fx.org_a, &a.as_str().into())
            .await
            .expect("read")
            .expect("classified");
        assert_eq!(stored.data.result.risk_class.as_str(), "minimal");
        let system = fx.get(&format!("/systems/{a}"), &cookie).await.text;
        assert!(system.contains(&format!("href=\"/systems/{a}/classification\"")));
    }
);

on_both!(
    another_organizations_risks_assessments_and_systems_are_not_found,
    |fx: Fx| async move {
        let (cookie, csrf) = fx.session(ADMIN).await;
        let (rb, ib, sb) = (fx.risk_b.clone(), fx.impact_b.clone(), fx.system_b.clone());
        for path in [
            format!("/risks/{rb}"),
            format!("/risks/{rb}/edit"),
            format!("/risks/{rb}/assess"),
            format!("/risks/{rb}/treatments/new"),
            format!("/impact-assessments/{ib}"),
            format!("/impact-assessments/{ib}/edit"),
            format!("/systems/{sb}/classification"),
            format!("/impact-assessments/new?system={sb}&template=default"),
            "/risks/not-a-uuid".into(),
            "/impact-assessments/not-a-uuid".into(),
        ] {
            let res = fx.get(&path, &cookie).await;
            if path.starts_with("/impact-assessments/new") {
                // The new-assessment page does not offer another organization's system.
                assert!(!res.text.contains("Secret system of B"), "{path}");
                continue;
            }
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
            assert!(
                !res.text.contains("Secret"),
                "no data of another organization on {path}"
            );
        }
        let register = fx.get(&format!("/risks?system={sb}"), &cookie).await;
        assert_eq!(register.status, StatusCode::OK);
        assert!(!register.text.contains("Secret"));
        for (path, form) in [
            (format!("/risks/{rb}"), vec![("title", "hijack")]),
            (format!("/risks/{rb}/assess"), LOWEST_ASSESSMENT.to_vec()),
            (
                format!("/risks/{rb}/treatments"),
                vec![("option", "retain"), ("status", "planned")],
            ),
            (
                format!("/impact-assessments/{ib}"),
                vec![("title", "hijack")],
            ),
            (
                format!("/impact-assessments/{ib}/approve"),
                APPROVAL.to_vec(),
            ),
            (
                format!("/systems/{sb}/classification"),
                vec![("role", "user")],
            ),
        ] {
            let mut form = form.clone();
            form.push(("csrf", csrf.as_str()));
            let res = fx.post(&path, Some(&cookie), &form).await;
            assert_eq!(
                res.status,
                StatusCode::NOT_FOUND,
                "POST {path}: {}",
                res.text
            );
        }
        // A new assessment for another organization's system is refused and creates nothing there.
        let res = fx
            .post_form(
                "/impact-assessments",
                &cookie,
                &csrf,
                &[
                    ("system_id", &sb),
                    ("template", "default"),
                    ("title", "hijack"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!res.text.contains("Secret"));
        let other = fx.app.resolve_org(Some("other")).await.expect("org");
        let risk = fx
            .app
            .get_record::<Risk>(&op(), &other.org_id(), &rb.as_str().into())
            .await
            .expect("b");
        assert_eq!(risk.data.title, "Secret risk of B");
        assert_eq!(risk.version, 1);
        let ia = fx
            .app
            .get_record::<ImpactAssessment>(&op(), &other.org_id(), &ib.as_str().into())
            .await
            .expect("b");
        assert_eq!(ia.data.status, "draft");
        assert!(
            fx.app
                .classification(&op(), &other.org_id(), &sb.as_str().into())
                .await
                .expect("read")
                .is_none()
        );
    }
);

/// The fields the risk-method form sends for `m`: every scale row up to the largest scale (empty ones blank), the
/// levels with the ids the form showed, and one select per cell.
fn method_form(m: &aims_domain::risk::RiskMethod) -> Vec<(String, String)> {
    let mut f = vec![
        ("name".to_string(), m.name.clone()),
        ("note".to_string(), m.note.clone()),
        ("appetite".to_string(), m.appetite.clone()),
        (
            "impact_dimensions".to_string(),
            m.impact_dimensions.join("\n"),
        ),
    ];
    for (field, scale) in [("likelihood", &m.likelihood), ("impact", &m.impact)] {
        for i in 0..aims_domain::risk::MAX_SCALE {
            let p = scale.get(i);
            f.push((
                format!("{field}[{i}].label"),
                p.map(|p| p.label.clone()).unwrap_or_default(),
            ));
            f.push((
                format!("{field}[{i}].description"),
                p.map(|p| p.description.clone()).unwrap_or_default(),
            ));
        }
    }
    for (i, l) in m.levels.iter().enumerate() {
        for (k, v) in [
            ("id", &l.id),
            ("was", &l.id),
            ("label", &l.label),
            ("colour", &l.colour),
            ("description", &l.description),
        ] {
            f.push((format!("levels[{i}].{k}"), v.clone()));
        }
    }
    for (l, row) in m.matrix.iter().enumerate() {
        for (i, c) in row.iter().enumerate() {
            f.push((format!("matrix[{l}][{i}]"), c.clone()));
        }
    }
    f
}

fn set_field(f: &mut [(String, String)], name: &str, value: &str) {
    let mut found = false;
    for (k, v) in f.iter_mut() {
        if k == name {
            *v = value.to_string();
            found = true;
        }
    }
    assert!(found, "the form has no field {name}");
}

on_both!(
    the_risk_method_page_shows_the_method_and_only_managers_save_new_versions,
    |fx: Fx| async move {
        let method = fx.app.risk_method(&op(), &fx.org_a).await.expect("method");
        let before = method.number;
        let valid = method_form(&method);
        let head = fx.chain_head().await;

        // Everyone reads the method: scales, levels with their colours, the matrix, the appetite, the versions.
        for email in [VIEWER, AUDITOR, CONTRIBUTOR] {
            let (cookie, csrf) = fx.session(email).await;
            let page = fx.get("/risks/method", &cookie).await;
            assert_eq!(page.status, StatusCode::OK, "{email}: {}", page.text);
            for text in [
                method.name.as_str(),
                "Almost certain",
                "Irreversible or widespread harm",
                "fill=\"#c62828\"",
                "Risk level by likelihood (rows) and impact (columns)",
                "Saved versions",
                "risks above this level must be treated",
            ] {
                assert!(
                    page.text.contains(text),
                    "{email}: the method page shows {text}"
                );
            }
            assert!(
                !page.text.contains("href=\"/risks/method/edit\""),
                "{email} is not offered the form"
            );
            assert_eq!(
                fx.get("/risks/method/edit", &cookie).await.status,
                StatusCode::FORBIDDEN,
                "{email} GET the form"
            );
            let res = fx.post_method(&cookie, &csrf, &valid).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{email} POST the form");
            let register = fx.get("/risks", &cookie).await.text;
            assert!(
                register.contains("href=\"/risks/method\""),
                "the register links the method"
            );
        }
        assert_eq!(fx.chain_head().await, head, "nothing was written");
        assert_eq!(
            fx.app
                .risk_method(&op(), &fx.org_a)
                .await
                .expect("m")
                .number,
            before
        );

        let (cookie, csrf) = fx.session(MANAGER).await;
        let page = fx.get("/risks/method", &cookie).await.text;
        assert!(page.contains("href=\"/risks/method/edit\""));
        let form = fx.get("/risks/method/edit", &cookie).await;
        assert_eq!(form.status, StatusCode::OK);
        for field in [
            "name=\"likelihood[9].label\"",
            "name=\"impact[0].description\"",
            "name=\"levels[3].colour\"",
            "type=\"color\"",
            "name=\"matrix[4][4]\"",
            "name=\"appetite\"",
            "name=\"impact_dimensions\"",
        ] {
            assert!(form.text.contains(field), "the form has {field}");
        }
        let based_on = hidden(&form.text, "based_on").expect("based_on");
        assert_eq!(based_on, before.to_string());

        // A hole in the matrix is refused next to its cell; nothing is written.
        let mut hole = valid.clone();
        set_field(&mut hole, "matrix[2][3]", "");
        let res = fx.post_method(&cookie, &csrf, &hole).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("id=\"matrix-2-3-err\"");
        assert!(res.text.contains("every cell needs a risk level"));
        assert_eq!(
            fx.chain_head().await,
            head,
            "a refused method writes nothing"
        );

        // So is a colour that is no colour, shown as text so that it can be seen and mended.
        let mut colour = valid.clone();
        set_field(&mut colour, "levels[1].colour", "orange");
        let res = fx.post_method(&cookie, &csrf, &colour).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("id=\"levels-1-colour-err\"");
        assert!(
            res.text.contains("&#39;orange&#39; is not a colour")
                || res.text.contains("'orange' is not a colour")
        );
        assert!(res.text.contains(
            "type=\"text\" name=\"levels[1].colour\" id=\"levels-1-colour\" value=\"orange\""
        ));
        // And an appetite that names no level.
        let mut appetite = valid.clone();
        set_field(&mut appetite, "appetite", "extreme");
        let res = fx.post_method(&cookie, &csrf, &appetite).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("id=\"appetite-err\"");
        assert_eq!(fx.chain_head().await, head);

        // A sixth impact point: the form comes back with the grid resized and the new cells to fill, unsaved.
        let mut wider = valid.clone();
        set_field(&mut wider, "impact[5].label", "Catastrophic");
        let res = fx.post_method(&cookie, &csrf, &wider).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("id=\"matrix-err\"");
        assert!(
            res.text
                .contains("Choose a level for each of the 5 new cell(s)")
        );
        for l in 0..5 {
            assert!(res.text.contains(&format!("name=\"matrix[{l}][5]\"")));
            assert!(res.text.contains(&format!("id=\"matrix-{l}-5-err\"")));
        }
        assert!(
            !res.text.contains("id=\"matrix-0-4-err\""),
            "the cells it had keep their levels"
        );
        assert_eq!(fx.chain_head().await, head);
        // Filling the new column saves a 5 × 6 method.
        for l in 0..5 {
            wider.push((format!("matrix[{l}][5]"), "critical".into()));
        }
        set_field(
            &mut wider,
            "note",
            "Catastrophic impacts get their own column.",
        );
        set_field(&mut wider, "appetite", "low");
        wider.push(("based_on".into(), based_on.clone()));
        let res = fx.post_method(&cookie, &csrf, &wider).await;
        res.assert_status(StatusCode::SEE_OTHER);
        assert_eq!(
            res.location(),
            format!("/risks/method?version={}", before + 1)
        );
        let saved = fx.app.risk_method(&op(), &fx.org_a).await.expect("m");
        assert_eq!(saved.number, before + 1, "the version number goes up");
        assert_eq!(saved.impact.len(), 6);
        assert_eq!(saved.appetite, "low");
        assert_eq!(saved.matrix[2][5], "critical");
        assert_ne!(fx.chain_head().await, head, "the change is logged");
        let page = fx.get(&res.location(), &cookie).await.text;
        assert!(page.contains("Catastrophic impacts get their own column."));
        assert!(page.contains(&format!("href=\"/risks/method?version={before}\"")));
        let old = fx
            .get(&format!("/risks/method?version={before}"), &cookie)
            .await;
        assert_eq!(old.status, StatusCode::OK);
        assert!(
            old.text
                .contains(&format!("The method in force is version {}", before + 1))
        );
        assert_eq!(
            fx.get("/risks/method?version=99", &cookie).await.status,
            StatusCode::NOT_FOUND
        );
        // The register's heat maps follow the new scales.
        let register = fx.get("/risks", &cookie).await.text;
        assert!(register.contains("impact 6 (Catastrophic)"));

        // A form opened on the previous version is stale now.
        let mut stale = valid.clone();
        stale.push(("based_on".into(), based_on));
        let res = fx.post_method(&cookie, &csrf, &stale).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert_eq!(
            fx.app
                .risk_method(&op(), &fx.org_a)
                .await
                .expect("m")
                .number,
            before + 1
        );
        // Admins change it too.
        let (cookie, _) = fx.session(ADMIN).await;
        assert_eq!(
            fx.get("/risks/method/edit", &cookie).await.status,
            StatusCode::OK
        );
    }
);

on_both!(
    a_contributor_adds_an_own_control_that_appears_in_the_soa,
    |fx: Fx| async move {
        let head = fx.chain_head().await;
        let (cookie, csrf) = fx.session(VIEWER).await;
        let list = fx.get("/controls", &cookie).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            list.text.contains("href=\"/controls/NW-1\""),
            "lists own controls"
        );
        assert!(
            list.text.contains("href=\"/controls/A.6.2.4\""),
            "and Annex A ones"
        );
        assert!(
            !list.text.contains("method=\"post\" action=\"/controls\""),
            "no form for readers"
        );
        let res = fx
            .post_form(
                "/controls",
                &cookie,
                &csrf,
                &[("control", "ORG-9"), ("title", "Sneaky")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);

        let (cookie, csrf) = fx.session(CONTRIBUTOR).await;
        let soa = fx.get("/soa", &cookie).await.text;
        assert!(
            soa.contains("href=\"/controls?add=1#add\""),
            "the SoA leads to the form"
        );
        let form = fx.get("/controls?add=1", &cookie).await.text;
        assert!(form.contains("method=\"post\" action=\"/controls\""));
        // Bad input comes back naming the field; nothing is written.
        for (fields, field, message) in [
            (
                vec![("control", "A.99.9"), ("title", "Made up")],
                "control",
                "is not an Annex A control",
            ),
            (
                vec![("control", "A.6.2.4"), ("title", "Mine now")],
                "control",
                "is an Annex A control",
            ),
            (
                vec![("control", "NW-1"), ("title", "Again")],
                "control",
                "already has a control NW-1",
            ),
            (vec![("control", "ORG-7"), ("title", " ")], "title", ""),
            (vec![("control", " "), ("title", "No id")], "control", ""),
            (
                vec![
                    ("control", "ORG-7"),
                    ("title", "Excluded"),
                    ("status", "not_applicable"),
                ],
                "justification",
                "needs a justification",
            ),
        ] {
            let mut f = fields.clone();
            f.push(("csrf", &csrf));
            if !f.iter().any(|(k, _)| *k == "status") {
                f.push(("status", "planned"));
            }
            let res = fx.post("/controls", Some(&cookie), &f).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
            assert!(
                res.text.contains(&format!("id=\"{field}-err\"")),
                "{fields:?} names {field}: {}",
                res.text
            );
            assert!(res.text.contains(message), "{fields:?}: {message}");
            assert!(res.text.contains(" open>"), "the form is open again");
        }
        assert_eq!(fx.chain_head().await, head, "refused input writes nothing");

        let res = fx
            .submit(
                "/controls",
                &cookie,
                &csrf,
                &[
                    ("control", "ORG-7"),
                    ("title", "Prompt library review"),
                    ("status", "implemented"),
                    ("owner", "Head of AI Governance"),
                    (
                        "description",
                        "Shared prompts are reviewed before they are published.",
                    ),
                    ("reasons[0].kind", "business"),
                    ("reasons[0].reference", "AI policy 2026"),
                    ("reasons[0].note", "Section 4"),
                ],
            )
            .await;
        assert_eq!(res, "/controls/ORG-7");
        let page = fx.get("/controls/ORG-7", &cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("Prompt library review"));
        assert!(page.text.contains("own control"));
        let stored = fx
            .app
            .control(&op(), &fx.org_a, "ORG-7")
            .await
            .expect("stored");
        assert_eq!(stored.implementation.data.reasons.len(), 1);
        let soa = fx.get("/soa", &cookie).await.text;
        assert!(
            soa.contains("id=\"line-ORG-7\""),
            "the SoA has a line for it"
        );
        assert!(soa.contains("Prompt library review"));
        let list = fx.get("/controls?q=prompt", &cookie).await.text;
        assert!(list.contains("href=\"/controls/ORG-7\""));
        assert!(
            !list.contains("href=\"/controls/NW-1\""),
            "the search narrows the list"
        );
        // The same identifier twice is refused.
        let res = fx
            .post_form(
                "/controls",
                &cookie,
                &csrf,
                &[
                    ("control", "ORG-7"),
                    ("title", "Another"),
                    ("status", "planned"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            fx.app
                .control(&op(), &fx.org_a, "ORG-7")
                .await
                .expect("stored")
                .implementation
                .data
                .title,
            "Prompt library review"
        );
    }
);
