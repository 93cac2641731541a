//! The risk-management scenario through the `aims` binary, on every backend: a small organization with three AI
//! systems is classified under the EU AI Act; an impact assessment's harm raises a risk; the risk is treated
//! with Annex A controls; the computed Statement of Applicability shows those controls as applicable with that
//! risk as the reason; an exclusion without justification is refused; approval freezes a version; changing the
//! risk afterwards shows drift; and the diff between two approved versions names exactly what changed. Bad input
//! on the way is refused naming the field, with the store unchanged.

use crate::common::{Run, assert_refused, new_db, run_in};
use aims_app::test_store::Backend;
use aims_app::test_store::testing::{TestDb, backends};
use serde_json::{Value, json};

/// The actor and admin password every command of the scenario runs with.
const ENV: &[(&str, &str)] = &[
    ("AIMS_ACTOR", "risk-lead@scenario.test"),
    ("AIMS_ADMIN_PASSWORD", "scenario-password-2026"),
];

/// A scratch store and a working directory to run the scenario's commands in.
struct Fx {
    db: TestDb,
    dir: tempfile::TempDir,
}

impl Fx {
    fn new(backend: Backend) -> Fx {
        Fx {
            db: new_db(backend),
            dir: tempfile::tempdir().expect("working directory"),
        }
    }

    /// A fresh store with the scenario's organization, "Scenario Co".
    fn initialised(backend: Backend) -> Fx {
        let fx = Fx::new(backend);
        fx.json(&["init", "--org-name", "Scenario Co"]);
        fx
    }

    /// `aims --database DB [--format json] ARGS`.
    fn run(&self, args: &[&str], json: bool) -> Run {
        let mut all = vec![];
        if json {
            all.extend(["--format", "json"]);
        }
        all.extend(args);
        run_in(self.dir.path(), Some(&self.db.url), &all, ENV)
    }

    /// `aims --format json ARGS`, which must succeed; its output parsed.
    #[track_caller]
    fn json(&self, args: &[&str]) -> Value {
        self.run(args, true).ok().json()
    }

    /// Adds a system (`system add --name NAME --purpose PURPOSE EXTRA…`); returns its id.
    #[track_caller]
    fn add_system(&self, name: &str, purpose: &str, extra: &[&str]) -> String {
        let mut all = vec!["system", "add", "--name", name, "--purpose", purpose];
        all.extend(extra);
        id(&self.json(&all))
    }

    /// The system both scenarios classify and assess: CV screening, which the organization deploys.
    fn add_cv_screening(&self) -> String {
        self.add_system(
            "CV screening",
            "Ranks job applications",
            &["--role", "deployer"],
        )
    }

    /// Adds an interested party of `category`: its id.
    fn add_party(&self, name: &str, category: &str) -> String {
        id(&self.json(&["party", "add", "--name", name, "--category", category]))
    }

    fn write(&self, name: &str, v: &Value) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, serde_json::to_string_pretty(v).expect("json")).expect("write");
        p.display().to_string()
    }

    /// The organization's change-log head, to prove that refused commands wrote nothing.
    fn head(&self) -> String {
        let v = self.json(&["verify"]);
        v.to_string()
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

fn line<'a>(soa: &'a Value, control: &str) -> &'a Value {
    soa["entries"]
        .as_array()
        .and_then(|e| e.iter().find(|x| x["control"] == control))
        .unwrap_or_else(|| panic!("no SoA line for {control}"))
}

/// Answers with every question `no` except the given ones, and the given Annex III areas.
fn answers(yes: &[&str], areas: &[&str]) -> Value {
    let mut m = serde_json::Map::new();
    for q in [
        "manipulative_techniques",
        "exploits_vulnerabilities",
        "social_scoring",
        "crime_prediction_by_profiling",
        "untargeted_face_scraping",
        "emotion_recognition_work_education",
        "biometric_categorisation_sensitive",
        "realtime_biometric_identification",
        "annex_i_product",
        "interacts_with_people",
        "generates_synthetic_content",
        "emotion_or_biometric_categorisation",
        "deep_fake_or_public_interest_text",
        "general_purpose_model",
        "systemic_risk",
    ] {
        m.insert(q.into(), Value::Bool(yes.contains(&q)));
    }
    m.insert("annex_iii_areas".into(), json!(areas));
    if !areas.is_empty() {
        for q in [
            "narrow_procedural_task",
            "improves_completed_human_activity",
            "detects_decision_patterns",
            "preparatory_task",
            "profiles_natural_persons",
            "public_body_or_public_service",
            "credit_scoring_or_insurance_pricing",
        ] {
            m.insert(q.into(), Value::Bool(yes.contains(&q)));
        }
    }
    Value::Object(m)
}

fn provisions(v: &Value, key: &str) -> Vec<String> {
    v["result"][key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["provision"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn classification_gives_high_risk_transparency_and_minimal_with_reasons() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let cv = fx.add_cv_screening();
        let bot = fx.add_system(
            "Customer chatbot",
            "Answers customer questions",
            &["--role", "deployer"],
        );
        let spam = fx.add_system("Spam filter", "Filters inbound e-mail", &["--role", "user"]);

        let f = fx.write(
            "cv.json",
            &answers(&["profiles_natural_persons"], &["Annex III(4)"]),
        );
        let c = fx.json(&["classify", &cv, "--answers", &f]);
        assert_eq!(c["result"]["risk_class"], "high_risk", "{backend:?}: {c}");
        assert!(provisions(&c, "reasons").contains(&"Annex III(4)".to_string()));
        assert!(provisions(&c, "obligations").contains(&"Art. 26".to_string()));

        let f = fx.write("bot.json", &answers(&["interacts_with_people"], &[]));
        let c = fx.json(&["classify", &bot, "--answers", &f]);
        assert_eq!(c["result"]["risk_class"], "limited", "{c}");
        assert_eq!(c["result"]["transparency"], json!(["Art. 50(1)"]));
        assert!(!provisions(&c, "reasons").is_empty());

        let f = fx.write("spam.json", &answers(&[], &[]));
        let c = fx.json(&["classify", &spam, "--answers", &f]);
        assert_eq!(c["result"]["risk_class"], "minimal", "{c}");
        assert!(
            !provisions(&c, "reasons").is_empty(),
            "minimal risk also says why"
        );
        assert_eq!(provisions(&c, "obligations"), ["Art. 4"]);

        // The stored classification is shown again without answers.
        let again = fx.json(&["classify", &cv]);
        assert_eq!(again["result"]["risk_class"], "high_risk");

        // An unknown question is refused naming it, and nothing is written.
        let before = fx.head();
        let mut bad = answers(&[], &[]);
        bad["mind_reading"] = json!(true);
        let f = fx.write("bad.json", &bad);
        fx.run(&["classify", &spam, "--answers", &f], true)
            .refused("answers.mind_reading");
        assert_eq!(fx.head(), before);
    }
}

#[test]
fn impact_harm_risk_treatment_soa_approval_drift_and_diff() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let cv = fx.add_cv_screening();
        fx.add_system("Customer chatbot", "Answers customer questions", &[]);
        fx.add_system("Spam filter", "Filters inbound e-mail", &[]);

        // An impact assessment whose fairness harm (likely 3, severity 4 = high) lies above the appetite.
        let ia = json!({
            "system_id": cv,
            "title": "CV screening impact assessment",
            "affected": [{"name": "Applicants with career breaks", "kind": "group", "vulnerable": true}],
            "impacts": [
                {"area": "fairness", "nature": "harm", "description": "Career breaks push candidates down the ranking.",
                 "affected": ["Applicants with career breaks"], "severity": 4, "likelihood": 3,
                 "reversibility": "partly_reversible", "measures": "Adverse-impact analysis."},
                {"area": "economic", "nature": "benefit", "description": "Faster answers to applicants.",
                 "severity": 2, "likelihood": 4}
            ],
            "triggers": ["model_change", "incident"],
            "next_review": "2027-06-30"
        });
        let f = fx.write("ia.json", &ia);
        let a = fx.json(&["impact", "add", "--file", &f]);
        let risk = a["impacts"][0]["risk_id"]
            .as_str()
            .expect("harm raised a risk")
            .to_string();
        assert_eq!(a["impacts"][1]["risk_id"], "", "a benefit raises no risk");
        let r = fx.json(&["risk", "show", &risk]);
        assert_eq!(r["risk"]["system_ids"], json!([cv]));
        assert_eq!(r["risk"]["assessments"][0]["levels"]["inherent"], "high");
        assert_eq!(r["risk"]["raised_from"], json!([format!("{}#0", id(&a))]));

        // The register filters by system in the database: the other systems have no risks.
        let chatbot = fx.json(&["system", "list", "--search", "chatbot"])[0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let of_cv = fx.json(&["risk", "list", "--system", &cv]);
        assert_eq!(of_cv.as_array().unwrap().len(), 1);
        assert_eq!(of_cv[0]["id"], risk.as_str());
        assert_eq!(fx.json(&["risk", "list", "--system", &chatbot]), json!([]));

        // A plan that modifies the risk, with the flags of `rest`.
        let modify = |rest: &[&'static str]| {
            let mut args = vec!["treatment", "add", "--risk", &risk, "--option", "modify"];
            args.extend(rest);
            args
        };

        // Bad input is refused naming the field, and nothing is written.
        let before = fx.head();
        fx.run(&["risk", "assess", &risk, "--inherent", "6:1"], true)
            .refused("assessment.inherent.likelihood");
        // An assessment's other parts need its inherent score, for a re-assessment and for a new risk alike.
        fx.run(&["risk", "assess", &risk, "--note", "why"], true)
            .refused("inherent");
        let untitled = [
            "risk", "add", "--title", "Untitled", "--system", &cv, "--note", "x",
        ];
        fx.run(&untitled, true).refused("inherent");
        fx.run(&modify(&["--control", "A.99.9"]), true)
            .refused("controls[0]");
        fx.run(
            &["control", "set", "A.10.4", "--status", "not_applicable"],
            true,
        )
        .refused("justification");
        fx.run(&["soa", "approve", "--by", " ", "--role", "CEO"], true)
            .refused("approved_by");
        let stale = fx.run(
            &[
                "risk",
                "update",
                &risk,
                "--owner",
                "Someone",
                "--if-version",
                "0",
            ],
            true,
        );
        // A stale version is refused as a conflict.
        assert_refused(&stale, "conflict", "changed by someone else");
        assert_eq!(
            fx.head(),
            before,
            "refused commands leave the store unchanged"
        );

        // Treat the risk with Annex A controls: the SoA shows them applicable with the risk as the reason.
        let plan = fx.json(&modify(&[
            "--control",
            "A.6.2.4",
            "--control",
            "A.7.4",
            "--task",
            "Quarterly adverse-impact analysis|People Analytics|2027-03-31",
        ]));
        assert_eq!(plan["controls"], json!(["A.6.2.4", "A.7.4"]));
        let soa = fx.json(&["soa", "show"]);
        for c in ["A.6.2.4", "A.7.4"] {
            let l = line(&soa, c);
            assert_eq!(l["applicable"], true, "{c}: {l}");
            assert!(
                l["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["kind"] == "risk" && x["reference"] == risk.as_str()),
                "{c} gives the risk as its reason: {l}"
            );
        }
        // Every other control is undecided, so approval is refused naming them.
        let run = fx.run(
            &["soa", "approve", "--by", "Ada Lane", "--role", "CEO"],
            true,
        );
        run.refused("entries[A.2.2]");

        // Decide every other control: applicable with a business reason, or excluded with a justification.
        for e in soa["entries"].as_array().unwrap() {
            let c = e["control"].as_str().unwrap();
            if c == "A.6.2.4" || c == "A.7.4" {
                continue;
            }
            let args: Vec<&str> = if c == "A.10.4" {
                vec![
                    "control",
                    "set",
                    c,
                    "--status",
                    "not_applicable",
                    "--justification",
                    "We supply no AI to customers.",
                ]
            } else {
                vec![
                    "control",
                    "set",
                    c,
                    "--status",
                    "planned",
                    "--reason",
                    "business:AI policy",
                ]
            };
            fx.json(&args);
        }
        fx.json(&[
            "control",
            "set",
            "A.6.2.4",
            "--status",
            "partial",
            "--owner",
            "Model Validation",
        ]);
        let v1 = fx.json(&[
            "soa", "approve", "--by", "Ada Lane", "--role", "CEO", "--note", "first",
        ]);
        assert_eq!(v1["number"], 1);
        assert_eq!(v1["summary"]["excluded"], 1);
        assert_eq!(v1["risks"][0]["id"], risk.as_str());
        assert_eq!(
            fx.run(&["soa", "show", "--check"], true).code,
            0,
            "no drift right after approval"
        );

        // Changing the risk after approval shows drift (and `--check` fails).
        fx.json(&[
            "risk",
            "assess",
            &risk,
            "--inherent",
            "3:4",
            "--current",
            "2:4",
            "--residual",
            "2:2",
        ]);
        let soa = fx.json(&["soa", "show"]);
        assert_eq!(soa["approved_version"], 1);
        let drift = soa["drift"].as_array().unwrap();
        assert!(
            drift
                .iter()
                .any(|c| c["subject"] == "risk" && c["reference"] == risk.as_str()),
            "{drift:?}"
        );
        assert_eq!(fx.run(&["soa", "show", "--check"], true).code, 1);

        // A second approval, then the diff names exactly what changed.
        fx.json(&["control", "set", "A.6.2.4", "--status", "implemented"]);
        let v2 = fx.json(&["soa", "approve", "--by", "Ada Lane", "--role", "CEO"]);
        assert_eq!(v2["number"], 2);
        let diff = fx.json(&["soa", "diff", "1", "2"]);
        let changes = diff.as_array().unwrap();
        assert_eq!(changes.len(), 2, "{diff}");
        let control = changes.iter().find(|c| c["subject"] == "control").unwrap();
        assert_eq!(control["reference"], "A.6.2.4");
        assert_eq!(
            control["fields"],
            json!([{"field": "status", "before": "partial", "after": "implemented"}])
        );
        let r = changes.iter().find(|c| c["subject"] == "risk").unwrap();
        let fields: Vec<&str> = r["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["version", "residual_level"], "{r}");
        assert_eq!(fx.json(&["soa", "diff", "2"]), json!([]), "live matches v2");

        // The whole history is intact.
        assert_eq!(fx.run(&["verify"], false).code, 0);
    }
}

#[test]
fn interested_party_requirements_give_their_controls_a_reason() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let party = fx.add_party("Works council", "employee");
        // The same requirement, addressed by `control`.
        let require = |control| {
            [
                "party",
                "require",
                &party,
                "--text",
                "Be consulted on AI at work",
                "--source",
                "legal",
                "--addressed",
                "--control",
                control,
            ]
        };
        let before = fx.head();
        fx.run(&require("A.99.1"), true)
            .refused("requirements[0].controls[0]");
        assert_eq!(fx.head(), before, "nothing written");
        fx.json(&require("A.3.3"));
        let soa = fx.json(&["soa", "show"]);
        let l = line(&soa, "A.3.3");
        assert_eq!(l["applicable"], true, "{l}");
        assert_eq!(l["reasons"][0]["kind"], "interested_party");
        assert_eq!(l["reasons"][0]["reference"], party.as_str());
        assert_eq!(
            l["reasons"][0]["label"],
            "Works council: Be consulted on AI at work"
        );
    }
}
