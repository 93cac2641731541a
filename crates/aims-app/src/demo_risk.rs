//! Risk management in the demo organization: EU AI Act classifications of Northwind's systems, impact
//! assessments whose harms raise register risks, more risks entered by hand, treatment plans with Annex A
//! controls, a decision for every Annex A control plus two of Northwind's own, and two approved versions of the
//! Statement of Applicability — followed by one re-assessment, so the SoA page shows drift.
//!
//! Like the rest of the demo, every record goes through the use cases, attributed to the person who would enter
//! it. People named here who are not users (the CEO, the Chief Risk Officer) are invented.

use crate::{Actor, App, AppError};
use aims_domain::classification::{Answer, Answers};
use aims_domain::controls::{ControlImplementation, InclusionReason, Inheritance};
use aims_domain::impact::{AffectedParty, Impact, ImpactAssessment};
use aims_domain::risk::{
    Acceptance, AssessedLevels, Risk, RiskAssessment, Score, Treatment, TreatmentTask,
};
use aims_domain::soa::SoaApproval;
use std::collections::BTreeMap;

/// Ids of the demo AI systems that risk management refers to.
#[derive(Debug, Clone)]
pub struct SystemIds {
    /// Credit scoring (consumer loans), provided by Northwind.
    pub credit: String,
    /// CV screening assistant, deployed by Northwind.
    pub cv: String,
    /// Customer-support assistant, provided by Northwind.
    pub support: String,
    /// Transaction fraud detection, developed by Northwind.
    pub fraud: String,
    /// GitHub Copilot, deployed.
    pub github: String,
    /// Microsoft 365 Copilot, deployed.
    pub m365: String,
    /// E-mail spam and phishing filter, used.
    pub spam: String,
}

/// The demo people who enter risk-management records.
pub struct People<'a> {
    /// Maria Keller, Head of AI Governance (manager role): approvals.
    pub manager: &'a Actor,
    /// Daan Visser, ML engineer (contributor role): risks and assessments.
    pub engineer: &'a Actor,
}

const CEO: &str = "Katrin Vogel";
const CRO: &str = "Tobias Brandt";

/// Seeds risk management for the demo organization.
pub async fn seed(
    app: &App,
    people: &People<'_>,
    org: &str,
    sys: &SystemIds,
    microsoft: &str,
) -> Result<(), AppError> {
    classify_all(app, people.manager, org, sys).await?;
    let raised = seed_impacts(app, people, org, sys).await?;
    let risks = seed_risks(app, people.engineer, org, sys).await?;
    seed_controls(app, people.manager, org, microsoft).await?;
    seed_treatments(app, people, org, &raised, &risks).await?;

    let v1 = SoaApproval {
        approved_by: CEO.into(),
        approver_role: "Chief Executive Officer".into(),
        note: "First Statement of Applicability, approved together with the 2026 risk treatment plan ahead of the \
               Stage 1 audit."
            .into(),
    };
    app.approve_soa(people.manager, org, v1).await?;
    let mut validation = control(
        "A.6.2.4",
        "implemented",
        "Head of Model Validation",
        "Independent validation of every new model version against documented acceptance criteria, \
         including fairness metrics per protected group; results signed off before deployment.",
    );
    validation.evidence =
        vec!["https://wiki.northwind-lending.example/model-validation/standard".into()];
    app.set_control(people.manager, org, validation, None)
        .await?;
    let v2 = SoaApproval {
        approved_by: CEO.into(),
        approver_role: "Chief Executive Officer".into(),
        note: "Model validation standard in force; A.6.2.4 now implemented.".into(),
    };
    app.approve_soa(people.manager, org, v2).await?;

    // After approval, the fraud team re-assesses its drift risk: the live SoA now differs from version 2.
    let fraud = &risks[1];
    let a = assessment(
        "2026-11-20",
        "Daan Visser",
        (4, 3),
        (3, 3),
        (2, 3),
        "New mule-account pattern seen in October; monitoring caught it within two days.",
    );
    app.assess_risk(people.engineer, org, fraud, None, a)
        .await?;
    Ok(())
}

fn answers(yes: &[&str], areas: &[&str]) -> Answers {
    const YES_NO: &[&str] = &[
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
    ];
    const EXCEPTION: &[&str] = &[
        "narrow_procedural_task",
        "improves_completed_human_activity",
        "detects_decision_patterns",
        "preparatory_task",
        "profiles_natural_persons",
        "public_body_or_public_service",
        "credit_scoring_or_insurance_pricing",
    ];
    let mut m = BTreeMap::new();
    for q in YES_NO {
        m.insert(q.to_string(), Answer::YesNo(yes.contains(q)));
    }
    m.insert(
        "annex_iii_areas".to_string(),
        Answer::Choices(areas.iter().map(|a| a.to_string()).collect()),
    );
    if !areas.is_empty() {
        for q in EXCEPTION {
            m.insert(q.to_string(), Answer::YesNo(yes.contains(q)));
        }
    }
    Answers(m)
}

async fn classify_all(app: &App, who: &Actor, org: &str, s: &SystemIds) -> Result<(), AppError> {
    let runs: [(&str, Answers); 7] = [
        (
            &s.credit,
            answers(
                &[
                    "profiles_natural_persons",
                    "credit_scoring_or_insurance_pricing",
                ],
                &["Annex III(5)"],
            ),
        ),
        (
            &s.cv,
            answers(&["profiles_natural_persons"], &["Annex III(4)"]),
        ),
        (
            &s.support,
            answers(
                &["interacts_with_people", "generates_synthetic_content"],
                &[],
            ),
        ),
        // Fraud detection is carved out of the Annex III credit-worthiness use case.
        (&s.fraud, answers(&[], &[])),
        (&s.github, answers(&[], &[])),
        (&s.m365, answers(&[], &[])),
        (&s.spam, answers(&[], &[])),
    ];
    for (id, a) in runs {
        app.classify_system(who, org, id, None, a).await?;
    }
    Ok(())
}

fn party(name: &str, kind: &str, vulnerable: bool, note: &str) -> AffectedParty {
    AffectedParty {
        name: name.into(),
        kind: kind.into(),
        vulnerable,
        note: note.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn impact(
    area: &str,
    nature: &str,
    description: &str,
    affected: &[&str],
    (likelihood, severity): (i64, i64),
    reversibility: &str,
    measures: &str,
    controls: &[&str],
) -> Impact {
    Impact {
        area: area.into(),
        nature: nature.into(),
        description: description.into(),
        affected: affected.iter().map(|a| a.to_string()).collect(),
        severity,
        likelihood,
        reversibility: reversibility.into(),
        measures: measures.into(),
        controls: controls.iter().map(|c| c.to_string()).collect(),
        risk_id: String::new(),
    }
}

fn approval(by: &str, role: &str, date: &str, rationale: &str) -> Acceptance {
    Acceptance {
        by: by.into(),
        role: role.into(),
        date: date.into(),
        rationale: rationale.into(),
        recorded_by: String::new(),
    }
}

/// Ids of the risks raised from impact assessments: (CV screening fairness, credit scoring fairness).
struct Raised {
    cv: String,
    credit: String,
}

async fn seed_impacts(
    app: &App,
    people: &People<'_>,
    org: &str,
    s: &SystemIds,
) -> Result<Raised, AppError> {
    let cv = ImpactAssessment {
        system_id: s.cv.clone(),
        system_version: "Hireloom Match 2.4 pilot".into(),
        template: "default".into(),
        title: "CV screening assistant — pilot impact assessment".into(),
        status: "draft".into(),
        scope: "The pilot in the Lisbon and Utrecht hiring teams for customer-service and operations roles, from \
                CV intake to the recruiter's shortlist. Interviews and offers are out of scope."
            .into(),
        system_info: "Ranks applications by match to the job requirements and summarises each CV; recruiters see \
                      the ranking and the summary, never an automatic rejection."
            .into(),
        data_info: "CVs and application forms of candidates; job requirement profiles written by hiring managers. \
                    The vendor's model was trained on its own multi-client data; no Northwind data trains it."
            .into(),
        model_info: "Vendor-supplied embedding and ranking model with a large language model for summaries; \
                     explanations limited to matched requirements."
            .into(),
        deployment_context: "Portugal and the Netherlands; English, Portuguese and Dutch CVs; around 4,000 \
                             applications a year."
            .into(),
        affected: vec![
            party(
                "Job applicants",
                "individuals",
                false,
                "Ranking decides whose CV a recruiter reads first.",
            ),
            party(
                "Applicants with career breaks or foreign qualifications",
                "group",
                true,
                "Often carers, older workers and migrants.",
            ),
            party("Recruiters", "individuals", false, "May over-rely on the ranking."),
        ],
        impacts: vec![
            impact(
                "fairness",
                "harm",
                "Ranking pushes down candidates with career breaks or non-EU qualifications, so they are \
                 shortlisted less often than equally suitable candidates.",
                &["Applicants with career breaks or foreign qualifications"],
                (3, 4),
                "partly_reversible",
                "Quarterly adverse-impact analysis of shortlists; recruiters review the full list for roles \
                 with few applicants; requirement profiles reviewed for proxies.",
                &["A.5.4", "A.7.4", "A.6.2.4"],
            ),
            impact(
                "economic",
                "benefit",
                "Recruiters answer applicants faster; time to first contact expected to fall from 9 to 4 \
                 working days.",
                &["Job applicants"],
                (4, 2),
                "reversible",
                "Measure time to first contact during the pilot.",
                &[],
            ),
            impact(
                "privacy",
                "harm",
                "CV summaries may repeat sensitive data candidates included (health, family status).",
                &["Job applicants"],
                (2, 2),
                "reversible",
                "Summary prompt excludes special categories; spot checks of 50 summaries a month.",
                &["A.7.4"],
            ),
        ],
        human_oversight: "Recruiters decide every shortlist; the ranking can be switched off per vacancy; \
                          recruiters were trained on automation bias."
            .into(),
        answers: BTreeMap::from([
            (
                "decision".to_string(),
                "Go with conditions: pilot only, adverse-impact analysis each quarter, decision on roll-out \
                 after two quarters. Decided by the AI governance board."
                    .to_string(),
            ),
            (
                "communication".to_string(),
                "The job portal tells applicants that software helps sort applications and that a recruiter \
                 reads every shortlisted CV; applicants can ask for a manual review."
                    .to_string(),
            ),
        ]),
        triggers: vec!["model_change".into(), "new_use".into(), "incident".into()],
        next_review: "2027-03-31".into(),
        approval: None,
    };
    let cv = app.create_impact(people.engineer, org, cv).await?;
    let cv_risk = cv.data.impacts[0].risk_id.clone();
    app.approve_impact(
        people.manager,
        org,
        &cv.id,
        None,
        approval(
            "Maria Keller",
            "Head of AI Governance",
            "2026-09-15",
            "Pilot approved with the conditions in the decision; fairness risk tracked in the register.",
        ),
    )
    .await?;

    let credit = ImpactAssessment {
        system_id: s.credit.clone(),
        system_version: "4.3.0".into(),
        template: "eu-fria".into(),
        title: "Credit scoring 4.3 — fundamental rights impact assessment".into(),
        status: "draft".into(),
        scope: "Use of the credit score in consumer loan decisions and pricing in Germany and the Netherlands."
            .into(),
        system_info: "Gradient-boosted model estimating 12-month default probability; the score feeds the credit \
                      decision rules and risk-based pricing."
            .into(),
        data_info: String::new(),
        model_info: String::new(),
        deployment_context: "Loan origination in the web and app channels; underwriters handle referrals.".into(),
        affected: vec![
            party("Loan applicants", "individuals", false, "Decision and price depend on the score."),
            party(
                "Thin-file applicants",
                "group",
                true,
                "Young adults and recent migrants with little credit history.",
            ),
        ],
        impacts: vec![
            impact(
                "fairness",
                "harm",
                "Thin-file applicants are refused or priced higher more often than their repayment ability \
                 warrants.",
                &["Thin-file applicants"],
                (3, 4),
                "partly_reversible",
                "Alternative data with consent (account history); referral to an underwriter instead of \
                 automatic refusal below the cut-off.",
                &["A.6.2.4", "A.7.4", "A.9.2"],
            ),
            impact(
                "human_rights",
                "harm",
                "Applicants cannot understand or contest a refusal.",
                &["Loan applicants"],
                (2, 3),
                "reversible",
                "Reason codes in every refusal letter; right to human review.",
                &["A.8.2"],
            ),
        ],
        human_oversight: "Underwriters review every referral and may override the score with a recorded reason."
            .into(),
        answers: BTreeMap::from([
            (
                "deployer_processes".to_string(),
                "Consumer loan origination and annual repricing of revolving credit.".to_string(),
            ),
            (
                "period_and_frequency".to_string(),
                "Continuous; about 60,000 applications a year.".to_string(),
            ),
            (
                "measures_if_risks_materialise".to_string(),
                "Complaints go to the customer care team with a 15-day answer target; model issues escalate to \
                 the model risk committee."
                    .to_string(),
            ),
            (
                "authority_notification".to_string(),
                "To be notified to the market surveillance authority before the Annex III duties apply."
                    .to_string(),
            ),
        ]),
        triggers: vec!["model_change".into(), "data_change".into(), "scheduled".into()],
        next_review: "2027-06-30".into(),
        approval: None,
    };
    let credit = app.create_impact(people.engineer, org, credit).await?;
    Ok(Raised {
        cv: cv_risk,
        credit: credit.data.impacts[0].risk_id.clone(),
    })
}

fn assessment(
    date: &str,
    assessor: &str,
    inherent: (i64, i64),
    current: (i64, i64),
    residual: (i64, i64),
    note: &str,
) -> RiskAssessment {
    let s = |(likelihood, impact): (i64, i64)| Score { likelihood, impact };
    RiskAssessment {
        date: date.into(),
        assessor: assessor.into(),
        method_version: 0,
        inherent: s(inherent),
        current: s(current),
        residual: s(residual),
        levels: AssessedLevels::default(),
        dimensions: vec!["individuals".into(), "organization".into()],
        note: note.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn risk(
    title: &str,
    description: &str,
    systems: &[&String],
    sources: &[&str],
    objectives: &[&str],
    owner: &str,
    review: &str,
    a: RiskAssessment,
) -> Risk {
    Risk {
        title: title.into(),
        description: description.into(),
        system_ids: systems.iter().map(|s| s.to_string()).collect(),
        sources: sources.iter().map(|s| s.to_string()).collect(),
        objectives: objectives.iter().map(|s| s.to_string()).collect(),
        owner: owner.into(),
        review_date: review.into(),
        status: "open".into(),
        raised_from: vec![],
        assessments: vec![a],
    }
}

/// Risks entered by hand: (support, fraud, github, m365).
async fn seed_risks(
    app: &App,
    who: &Actor,
    org: &str,
    s: &SystemIds,
) -> Result<Vec<String>, AppError> {
    let list = [
        risk(
            "Support assistant states wrong loan terms",
            "The assistant answers from outdated or misread help content, customers act on wrong interest or \
             fee information, and Northwind breaches consumer-credit information duties.",
            &[&s.support],
            &["C.3.2", "C.3.4"],
            &["C.2.8", "C.2.11"],
            "Head of Customer Service",
            "2027-02-28",
            assessment(
                "2026-08-12",
                "Daan Visser",
                (4, 4),
                (3, 3),
                (2, 3),
                "Answers grounded in approved content only; weekly sample review.",
            ),
        ),
        risk(
            "Fraud model misses new fraud patterns",
            "Fraud patterns shift faster than the model is retrained, so fraud losses rise and genuine \
             payments are held more often.",
            &[&s.fraud],
            &["C.3.6", "C.3.4"],
            &["C.2.8", "C.2.6"],
            "Head of Fraud Prevention",
            "2027-01-31",
            assessment(
                "2026-07-01",
                "Daan Visser",
                (4, 3),
                (3, 3),
                (2, 2),
                "Drift monitoring live; monthly retraining planned.",
            ),
        ),
        risk(
            "Coding assistant introduces insecure or licence-restricted code",
            "Developers accept suggestions with vulnerabilities or code matching public repositories under \
             restrictive licences.",
            &[&s.github],
            &["C.3.3", "C.3.7"],
            &["C.2.10"],
            "Head of Engineering",
            "2027-03-31",
            assessment(
                "2026-06-20",
                "Daan Visser",
                (3, 3),
                (2, 3),
                (2, 2),
                "Duplicate-detection filter on; code review mandatory.",
            ),
        ),
        risk(
            "Copilot surfaces confidential documents to the wrong staff",
            "Over-broad SharePoint permissions let Microsoft 365 Copilot summarise HR or credit files for staff \
             who should not see them.",
            &[&s.m365],
            &["C.3.1"],
            &["C.2.7", "C.2.10"],
            "Chief Information Security Officer",
            "2027-01-15",
            assessment(
                "2026-10-02",
                "Daan Visser",
                (3, 4),
                (2, 4),
                (2, 2),
                "Permission clean-up of HR and credit sites before roll-out.",
            ),
        ),
    ];
    let mut ids = Vec::new();
    for r in list {
        ids.push(app.create_risk(who, org, r).await?.id);
    }
    Ok(ids)
}

fn task(title: &str, owner: &str, due: &str, status: &str) -> TreatmentTask {
    TreatmentTask {
        title: title.into(),
        owner: owner.into(),
        due: due.into(),
        status: status.into(),
    }
}

fn plan(
    risk_id: &str,
    description: &str,
    controls: &[&str],
    tasks: Vec<TreatmentTask>,
    status: &str,
) -> Treatment {
    Treatment {
        risk_id: risk_id.into(),
        option: "modify".into(),
        description: description.into(),
        controls: controls.iter().map(|c| c.to_string()).collect(),
        tasks,
        status: status.into(),
        acceptance: None,
    }
}

async fn seed_treatments(
    app: &App,
    people: &People<'_>,
    org: &str,
    raised: &Raised,
    risks: &[String],
) -> Result<(), AppError> {
    let e = people.engineer;
    app.create_treatment(
        e,
        org,
        plan(
            &raised.cv,
            "Measure and correct adverse impact of the ranking before any roll-out beyond the pilot.",
            &["A.5.4", "A.7.4", "A.6.2.4", "A.10.3"],
            vec![
                task("Quarterly adverse-impact analysis of shortlists", "People Analytics", "2026-12-31", "open"),
                task("Obtain the vendor's bias audit report", "Procurement", "2026-11-15", "done"),
                task("Review job requirement profiles for proxies", "Talent Acquisition", "2027-01-31", "open"),
            ],
            "in_progress",
        ),
    )
    .await?;
    let credit = app
        .create_treatment(
            e,
            org,
            plan(
                &raised.credit,
                "Reduce unwarranted refusals of thin-file applicants and give every refused applicant a way \
                 to a human review.",
                &["A.6.2.4", "A.7.4", "A.9.2", "A.8.2"],
                vec![
                    task("Add consented account-history features", "Risk Analytics", "2026-10-31", "done"),
                    task("Route refusals below the cut-off to underwriters", "Credit Operations", "2026-09-30", "done"),
                ],
                "completed",
            ),
        )
        .await?;
    // The plan is done: the risk owner re-assesses before the residual risk is put up for acceptance.
    // Dated today: the risk was raised from the impact assessment today, and assessments stay in date order.
    let reassessed = assessment(
        &crate::today(),
        "Daan Visser",
        (3, 4),
        (2, 3),
        (2, 3),
        "Consented account-history features and the underwriter referral route are live; refusals of thin-file \
         applicants fell from 41 % to 29 % in the October cohort.",
    );
    app.assess_risk(e, org, &raised.credit, None, reassessed)
        .await?;
    app.accept_treatment(
        people.manager,
        org,
        &credit.id,
        None,
        approval(
            CRO,
            "Chief Risk Officer",
            "2026-11-05",
            "Residual risk medium after the referral route; within appetite for a monitored model with human \
             review of every refusal.",
        ),
    )
    .await?;
    let plans = [
        (
            "Ground answers in approved help content and review a weekly sample.",
            vec!["A.6.2.4", "A.6.2.6", "A.8.2"],
            vec![task(
                "Weekly review of 100 conversations",
                "Customer Service QA",
                "2026-12-31",
                "open",
            )],
        ),
        (
            "Monitor drift daily and retrain monthly.",
            vec!["A.6.2.6", "A.7.4"],
            vec![task(
                "Automate monthly retraining pipeline",
                "Fraud Analytics",
                "2027-01-31",
                "open",
            )],
        ),
        (
            "Keep duplicate detection on and require review of AI-assisted code.",
            vec!["A.9.2", "A.10.3"],
            vec![task(
                "Add Copilot guidance to the secure coding standard",
                "Head of Engineering",
                "2026-12-15",
                "open",
            )],
        ),
        (
            "Clean up permissions before roll-out and limit Copilot to cleaned sites.",
            vec!["A.9.4", "NW-2"],
            vec![task(
                "Permission review of HR and credit sites",
                "IT Operations",
                "2026-12-01",
                "open",
            )],
        ),
    ];
    for (risk_id, (description, controls, tasks)) in risks.iter().zip(plans) {
        app.create_treatment(
            e,
            org,
            plan(risk_id, description, &controls, tasks, "in_progress"),
        )
        .await?;
    }
    Ok(())
}

fn control(id: &str, status: &str, owner: &str, description: &str) -> ControlImplementation {
    ControlImplementation {
        control: id.into(),
        title: String::new(),
        status: status.into(),
        owner: owner.into(),
        description: description.into(),
        justification: String::new(),
        reasons: vec![],
        inherited: None,
        evidence: vec![],
        target_date: String::new(),
    }
}

fn reason(kind: &str, reference: &str, note: &str) -> InclusionReason {
    InclusionReason {
        kind: kind.into(),
        reference: reference.into(),
        note: note.into(),
    }
}

/// A decision for every Annex A control, and Northwind's own controls.
async fn seed_controls(app: &App, who: &Actor, org: &str, microsoft: &str) -> Result<(), AppError> {
    const GOV: &str = "Head of AI Governance";
    let decisions: &[(&str, &str, &str, &str)] = &[
        (
            "A.2.2",
            "implemented",
            GOV,
            "AI policy approved by the management board in March 2026.",
        ),
        (
            "A.2.3",
            "implemented",
            GOV,
            "Policy aligned with the model risk, data protection and information security policies.",
        ),
        (
            "A.2.4",
            "planned",
            GOV,
            "First annual review scheduled for March 2027.",
        ),
        (
            "A.3.2",
            "implemented",
            GOV,
            "RACI for AI roles in the AI governance charter.",
        ),
        (
            "A.3.3",
            "implemented",
            "Compliance Officer",
            "AI concerns can be raised through the whistleblowing channel and the AI governance mailbox.",
        ),
        (
            "A.4.2",
            "partial",
            GOV,
            "Resources recorded in the AI system inventory; compute and tooling records incomplete for two systems.",
        ),
        (
            "A.4.3",
            "implemented",
            "Chief Data Officer",
            "Data resources recorded per system with provenance and categories.",
        ),
        (
            "A.4.4",
            "partial",
            "Head of Engineering",
            "Tooling recorded for in-house systems only.",
        ),
        (
            "A.4.5",
            "implemented",
            "Head of Engineering",
            "Compute recorded per system; cloud regions fixed by contract.",
        ),
        (
            "A.4.6",
            "partial",
            "HR Business Partner",
            "Competence matrix for data science; training plan for recruiters pending.",
        ),
        (
            "A.5.2",
            "implemented",
            GOV,
            "Impact assessment procedure in aims, with the default and the Art. 27 templates.",
        ),
        (
            "A.5.3",
            "implemented",
            GOV,
            "Assessments kept in aims with approvals and review dates.",
        ),
        (
            "A.5.4",
            "implemented",
            GOV,
            "Impacts on individuals and vulnerable groups assessed for every high-risk system.",
        ),
        (
            "A.5.5",
            "partial",
            GOV,
            "Societal impacts covered for credit scoring; not yet for the support assistant.",
        ),
        (
            "A.6.1.2",
            "implemented",
            "Head of Data Science",
            "Responsible development objectives in the model development standard.",
        ),
        (
            "A.6.1.3",
            "implemented",
            "Head of Data Science",
            "Design reviews with fairness, explainability and oversight checkpoints.",
        ),
        (
            "A.6.2.2",
            "implemented",
            "Head of Data Science",
            "Requirements template covers purpose, performance, fairness and oversight.",
        ),
        (
            "A.6.2.3",
            "partial",
            "Head of Data Science",
            "Design records complete for credit scoring and fraud detection.",
        ),
        (
            "A.6.2.4",
            "partial",
            "Head of Model Validation",
            "Validation by the independent model validation team; fairness metrics being added.",
        ),
        (
            "A.6.2.5",
            "implemented",
            "Head of Engineering",
            "Release checklist with sign-off by the system owner.",
        ),
        (
            "A.6.2.6",
            "implemented",
            "Head of Engineering",
            "Performance and drift monitoring dashboards with alerting.",
        ),
        (
            "A.6.2.7",
            "partial",
            "Head of Data Science",
            "Technical documentation complete for credit scoring; others in progress.",
        ),
        (
            "A.6.2.8",
            "implemented",
            "Head of Engineering",
            "Decision logs kept for 7 years for credit and fraud systems.",
        ),
        (
            "A.7.2",
            "implemented",
            "Chief Data Officer",
            "Data requirements defined per model in the development standard.",
        ),
        (
            "A.7.3",
            "implemented",
            "Chief Data Officer",
            "Bureau data acquired under data supply contracts with permitted-use clauses.",
        ),
        (
            "A.7.4",
            "partial",
            "Chief Data Officer",
            "Data quality rules for credit data; representativeness checks being added.",
        ),
        (
            "A.7.5",
            "implemented",
            "Chief Data Officer",
            "Lineage recorded in the data catalogue.",
        ),
        (
            "A.7.6",
            "implemented",
            "Head of Data Science",
            "Preparation steps versioned with the training pipelines.",
        ),
        (
            "A.8.2",
            "implemented",
            "Head of Customer Service",
            "Customer information on AI use in product pages, refusal letters and the chat.",
        ),
        (
            "A.8.3",
            "planned",
            "Compliance Officer",
            "External reporting channel for AI harms to be added to the website.",
        ),
        (
            "A.8.4",
            "implemented",
            "Chief Information Security Officer",
            "AI incidents handled by the incident management process with AI-specific categories.",
        ),
        (
            "A.8.5",
            "implemented",
            "Compliance Officer",
            "Information for regulators and auditors kept in the AIMS.",
        ),
        (
            "A.9.2",
            "implemented",
            GOV,
            "Acceptable-use rules for AI tools in the staff handbook.",
        ),
        (
            "A.9.3",
            "implemented",
            GOV,
            "Responsible-use objectives in the AI policy.",
        ),
        (
            "A.9.4",
            "partial",
            GOV,
            "Intended use defined per system; checks of actual use planned.",
        ),
        (
            "A.10.2",
            "implemented",
            "Head of Procurement",
            "Responsibilities with suppliers set out in contracts and the RACI.",
        ),
        (
            "A.10.3",
            "partial",
            "Head of Procurement",
            "AI supplier due diligence questionnaire; certificates verified yearly.",
        ),
        (
            "A.10.4",
            "implemented",
            "Head of Lending Products",
            "Obligations to customers reflected in product terms and information.",
        ),
    ];
    for (id, status, owner, description) in decisions {
        let mut c = control(id, status, owner, description);
        c.reasons = vec![reason(
            "business",
            "AI policy 2026",
            "Part of the AIMS baseline adopted with the AI policy.",
        )];
        if *status == "planned" || *status == "partial" {
            c.target_date = "2027-03-31".into();
        }
        app.set_control(who, org, c, None).await?;
    }
    let mut own = control(
        "NW-1",
        "implemented",
        "Chief Risk Officer",
        "Model risk management framework: model inventory, tiering, independent validation and annual review \
         for every model used in credit decisions.",
    );
    own.title = "Model risk management framework".into();
    own.reasons = vec![reason(
        "legal",
        "EBA Guidelines on loan origination and monitoring (EBA/GL/2020/06)",
        "Supervisory expectation for models used in credit decisions.",
    )];
    app.set_control(who, org, own, None).await?;
    let mut inherited = control(
        "NW-2",
        "implemented",
        "Chief Information Security Officer",
        "Operation, monitoring and incident handling of the Microsoft 365 Copilot service are provided by \
         Microsoft; Northwind keeps tenant configuration and permissions.",
    );
    inherited.title = "Operation of the Microsoft 365 Copilot service".into();
    inherited.reasons = vec![reason(
        "contractual",
        "Microsoft enterprise agreement",
        "Service operation is the supplier's responsibility under the agreement.",
    )];
    inherited.inherited = Some(Inheritance {
        supplier_id: microsoft.into(),
        certificate_id: "ISO/IEC 42001:2023".into(),
        note: "Relies on the supplier's stated ISO/IEC 42001 certification, to be verified at the yearly supplier review."
            .into(),
    });
    app.set_control(who, org, inherited, None).await?;
    Ok(())
}
