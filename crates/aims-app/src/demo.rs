//! The demo organization behind `aims serve --demo`: a fictional mid-size EU lender, Northwind Lending, with users
//! for every role, a scope statement, context, suppliers, custom fields and an AI system inventory.
//!
//! It exists so that someone trying aims sees a realistic, filled-in AIMS instead of empty screens. Everything is
//! created through the application's own use cases, so each record is validated exactly like user input and lands
//! in the hash-chained change log, and the changes are attributed to the demo people who would make them in real
//! life. Names, addresses and companies other than GitHub and Microsoft are invented; e-mail and web addresses use
//! the reserved `.example` top-level domain.

use crate::orgs::InitInput;
use crate::{Actor, App, AppError, Stored};
use aims_domain::context::{
    Certification, ContextIssue, InterestedParty, Organization, PartyRequirement, Supplier,
};
use aims_domain::inventory::{
    AiSystem, Component, Compute, CustomFieldDef, DataResource, ModelInfo, PersonRole, Tool,
};
use aims_domain::vocab::{
    AiRole, AutomationLevel, ComponentKind, ComputeLocation, CustomFieldKind, DataCategory,
    HumanOversight, IssueKind, LifecycleStage, MemberRole, RequirementSource,
};
use serde_json::json;
use std::collections::BTreeMap;

/// Password of every demo user (documented in the README; the demo is for trying aims, never for real data).
pub const DEMO_PASSWORD: &str = "demo-aims-2026!";

/// Mail domain of the demo organization (reserved `.example` domain, so no real mailbox can be reached).
const DOMAIN: &str = "northwind-lending.example";

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

/// The people of the demo organization: (local part of the email, display name, role). The first is the admin
/// created by `init`.
const PEOPLE: &[(&str, &str, MemberRole)] = &[
    ("admin", "Jonas Albrecht", MemberRole::Admin),
    ("maria.keller", "Maria Keller", MemberRole::Manager),
    ("daan.visser", "Daan Visser", MemberRole::Contributor),
    ("elif.aydin", "Elif Aydın", MemberRole::Auditor),
    ("henrik.lindqvist", "Henrik Lindqvist", MemberRole::Viewer),
];

fn email(local: &str) -> String {
    format!("{local}@{DOMAIN}")
}

/// Creates the demo organization when the store holds no organization; returns None (and changes nothing)
/// otherwise.
///
/// Each step is its own use case and transaction (as when a person enters the data), so a storage failure half
/// way leaves a partly filled demo organization behind; the demo is meant for a throw-away store.
pub async fn seed_demo(app: &App) -> Result<Option<DemoInfo>, AppError> {
    if !app.organizations().await?.is_empty() {
        return Ok(None);
    }
    let operator = Actor::operator("demo");
    let init = app
        .init(
            &operator,
            InitInput {
                org_name: "Northwind Lending".into(),
                org_slug: Some("northwind".into()),
                admin_email: email(PEOPLE[0].0),
                admin_name: PEOPLE[0].1.into(),
                admin_password: Some(DEMO_PASSWORD.into()),
            },
        )
        .await;
    let init = match init {
        Ok(i) => i,
        // Someone initialised the store between the check and `init`: leave their organization alone.
        Err(AppError::Conflict(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let org_id = init.organization.id.clone();
    let organization = app
        .update_org(
            &operator,
            &org_id,
            Some(init.organization.version),
            profile(),
        )
        .await?;

    let mut users = vec![DemoUser {
        email: init.admin_email.clone(),
        role: MemberRole::Admin.as_str().into(),
    }];
    for (local, name, role) in &PEOPLE[1..] {
        let m = app
            .add_member(
                &operator,
                &org_id,
                &email(local),
                name,
                DEMO_PASSWORD,
                *role,
            )
            .await?;
        users.push(DemoUser {
            email: m.user.email,
            role: m.role,
        });
    }

    let manager = Actor::member(&email("maria.keller"), MemberRole::Manager);
    let engineer = Actor::member(&email("daan.visser"), MemberRole::Contributor);

    seed_scope(app, &manager, &org_id).await?;
    for issue in issues() {
        app.create_record(&manager, &org_id, issue).await?;
    }
    for party in parties() {
        app.create_record(&manager, &org_id, party).await?;
    }
    let suppliers = seed_suppliers(app, &manager, &org_id).await?;
    for field in custom_fields() {
        app.create_record(&operator, &org_id, field).await?;
    }
    let systems = seed_systems(app, &manager, &engineer, &org_id, &suppliers).await?;
    crate::demo_risk::seed(
        app,
        &crate::demo_risk::People {
            manager: &manager,
            engineer: &engineer,
        },
        &org_id,
        &systems,
        &suppliers.microsoft,
    )
    .await?;

    Ok(Some(DemoInfo {
        organization,
        users,
    }))
}

fn profile() -> Organization {
    Organization {
        name: "Northwind Lending".into(),
        slug: "northwind".into(),
        legal_name: "Northwind Lending AG".into(),
        sector: "Financial services (consumer and SME lending)".into(),
        size: "About 1,200 employees".into(),
        jurisdictions: vec![
            "European Union".into(),
            "Germany".into(),
            "Netherlands".into(),
        ],
        description: "Fictional mid-size lender licensed as a credit institution in Germany, with its head office \
            in Frankfurt am Main and a branch in Amsterdam. Offers unsecured consumer loans, working-capital lines \
            for small and medium-sized enterprises and car financing, online and through partner platforms. \
            Develops its own credit-scoring and fraud models, provides an AI customer-support assistant and uses \
            third-party AI services for software development, office work and recruiting. This organization is \
            demo data created by `aims serve --demo`."
            .into(),
        ai_roles: vec![
            AiRole::Provider.as_str().into(),
            AiRole::Developer.as_str().into(),
            AiRole::Deployer.as_str().into(),
        ],
        website: format!("https://www.{DOMAIN}"),
    }
}

/// Version 1 approved by the AIMS owner, then a version 2 draft (the leasing unit joins the scope) awaiting
/// approval, so the scope page shows both states.
async fn seed_scope(app: &App, manager: &Actor, org: &str) -> Result<(), AppError> {
    let exclusions = "Standard AI features built into commodity software that Northwind does not configure beyond \
        basic settings (for example the spam and phishing filter of the e-mail service). They are managed under the \
        information security management system and reassessed at every annual scope review.";
    app.scope_draft(
        manager,
        org,
        "The AI management system of Northwind Lending AG covers the development, provision and use of AI \
         systems that support consumer and SME lending, customer service, financial crime prevention, recruiting \
         and internal productivity, at the Frankfurt head office and the Amsterdam branch.",
        "Units: Retail Lending, SME Lending, Risk Analytics, Model Validation, Customer Service, Financial Crime \
         Prevention, Human Resources, IT & Engineering. AI systems: every system in the inventory marked as in \
         scope. Interfaces: suppliers of AI services, models and data, as listed in the supplier register.",
        exclusions,
        None,
    )
    .await?;
    app.scope_approve(
        manager,
        org,
        "Approved after review in the AI steering committee; the Management Board was informed.",
    )
    .await?;
    app.scope_draft(
        manager,
        org,
        "The AI management system of Northwind Lending AG covers the development, provision and use of AI \
         systems that support consumer and SME lending, car leasing, customer service, financial crime \
         prevention, recruiting and internal productivity, at the Frankfurt head office, the Amsterdam branch and \
         the Rotterdam office of Northwind Auto Leasing.",
        "Units: Retail Lending, SME Lending, Northwind Auto Leasing (new: residual-value and lessee scoring), Risk \
         Analytics, Model Validation, Customer Service, Financial Crime Prevention, Human Resources, IT & \
         Engineering. AI systems: every system in the inventory marked as in scope. Interfaces: suppliers of AI \
         services, models and data, as listed in the supplier register.",
        exclusions,
        None,
    )
    .await?;
    Ok(())
}

fn issue(
    kind: IssueKind,
    title: &str,
    category: &str,
    climate: bool,
    description: &str,
) -> ContextIssue {
    ContextIssue {
        kind: kind.as_str().into(),
        title: title.into(),
        description: description.into(),
        category: category.into(),
        climate_related: climate,
    }
}

fn issues() -> Vec<ContextIssue> {
    vec![
        issue(
            IssueKind::External,
            "EU AI Act obligations for high-risk credit and recruiting systems",
            "legal",
            false,
            "Credit scoring of natural persons and the screening of job applications are high-risk uses listed in \
             Annex III of Regulation (EU) 2024/1689. As provider of the credit-scoring system Northwind needs a risk \
             management system, data governance, technical documentation, logging, human oversight and a conformity \
             assessment; as deployer of the CV screening assistant it must follow the instructions for use, assign \
             competent overseers and inform applicants and the works council. Under the Act's timeline these \
             obligations apply from August 2026; Legal tracks the proposals to postpone them.",
        ),
        issue(
            IssueKind::External,
            "GDPR and automated decisions about individuals",
            "legal",
            false,
            "Credit decisions, fraud holds and CV ranking process personal data and can amount to decisions based \
             solely on automated processing (Article 22 GDPR; the Court of Justice treated credit scores as such \
             decisions in case C-634/21). Data protection impact assessments, meaningful information about the \
             logic involved and a route to human review are needed for each of these systems.",
        ),
        issue(
            IssueKind::External,
            "Supervisory expectations on model risk",
            "regulatory",
            false,
            "BaFin and De Nederlandsche Bank expect lenders to govern the models used in credit decisions, following \
             the EBA Guidelines on loan origination and monitoring: independent validation, explainability, \
             monitoring and documented overrides. In the 2025 supervisory dialogue both signalled interest in \
             machine-learning models and generative AI, so the next inspection is likely to cover them.",
        ),
        issue(
            IssueKind::Internal,
            "Scarce ML engineering and model validation skills",
            "people",
            false,
            "Risk Analytics has four ML engineers and Model Validation two validators; both compete with technology \
             employers for staff, and the credit-scoring system depends heavily on one system owner. AI literacy in \
             the business units is uneven, although Article 4 of the AI Act requires a sufficient level for everyone \
             who operates or uses AI systems.",
        ),
        issue(
            IssueKind::External,
            "Concentration on a few foundation-model suppliers",
            "supply chain",
            false,
            "The customer-support assistant, GitHub Copilot and Microsoft 365 Copilot rely on large language models \
             from three suppliers, who change their models on their own schedule. The Digital Operational Resilience \
             Act (applicable since January 2025) requires managing ICT third-party and concentration risk, so exit \
             plans and re-testing after supplier model updates are needed.",
        ),
        issue(
            IssueKind::External,
            "Climate-related shifts in borrower risk and the energy use of AI",
            "environmental",
            true,
            "Floods and heat waves in the Rhine and Meuse regions and the energy transition change the risk of \
             borrowers and of financed cars in ways the historical training data does not show, so credit models \
             may under-estimate risk after such events and need climate scenarios in validation. Model training and \
             LLM inference also use energy; compute choices and their footprint feed the sustainability report.",
        ),
    ]
}

fn req(text: &str, source: RequirementSource, addressed: bool, how: &str) -> PartyRequirement {
    PartyRequirement {
        id: String::new(),
        text: text.into(),
        source: source.as_str().into(),
        addressed,
        how: how.into(),
        controls: vec![],
    }
}

fn party(
    name: &str,
    category: &str,
    description: &str,
    requirements: Vec<PartyRequirement>,
) -> InterestedParty {
    InterestedParty {
        name: name.into(),
        category: category.into(),
        description: description.into(),
        requirements,
    }
}

/// A requirement with the controls that answer it (reasons for those controls in the SoA).
fn answered_by(mut r: PartyRequirement, controls: &[&str]) -> PartyRequirement {
    r.controls = controls.iter().map(|c| c.to_string()).collect();
    r
}

fn parties() -> Vec<InterestedParty> {
    use RequirementSource::{Contractual, Legal, Regulatory, Societal, Voluntary};
    vec![
        party(
            "Loan applicants and borrowers",
            "customer",
            "About 310,000 consumers in Germany and the Netherlands who apply for or hold a Northwind loan; they are \
             the people most affected by the credit-scoring, fraud and chat systems.",
            vec![
                answered_by(
                    req(
                        "Get the main reasons for a declined application and be able to ask a person to review it.",
                        Legal,
                        true,
                        "Decline letters list the top reason codes from the credit-scoring system; every decline is \
                     decided by a credit analyst, and applicants can request a second review through customer \
                     service.",
                    ),
                    &["A.8.2", "A.9.3"],
                ),
                answered_by(
                    req(
                        "Be told when they are chatting with an AI system rather than a person.",
                        Legal,
                        true,
                        "The chat window labels the assistant as AI in its first message and offers a human agent at \
                     any time.",
                    ),
                    &["A.8.2"],
                ),
                answered_by(
                    req(
                        "Be treated fairly, without discrimination by age, sex or nationality.",
                        Societal,
                        true,
                        "Bias tests on approval rates and score calibration by age band, sex and nationality group \
                     are part of every model validation and of quarterly monitoring.",
                    ),
                    &["A.5.4", "A.7.4"],
                ),
            ],
        ),
        party(
            "Financial supervisors (BaFin, De Nederlandsche Bank)",
            "regulator",
            "Supervise Northwind as a credit institution in Germany and its Amsterdam branch, including the models \
             used in credit decisions and the outsourcing of ICT services.",
            vec![
                answered_by(
                    req(
                        "Validate credit models independently before use and at least annually, and document overrides.",
                        Regulatory,
                        true,
                        "Model Validation reports to the Chief Risk Officer and validates every new model version; \
                     override rates are reported monthly to the credit risk committee.",
                    ),
                    &["A.6.2.4"],
                ),
                req(
                    "Keep a complete register of ICT third-party arrangements, including AI services.",
                    Regulatory,
                    false,
                    "The register covers the cloud ML platform and Microsoft 365; GitHub Copilot and the recruiting \
                     vendor are being added in the current review cycle.",
                ),
            ],
        ),
        party(
            "Employees and the works council",
            "employee",
            "Around 1,200 employees, represented in Germany by the works council, who use AI tools at work and are \
             affected by AI in recruiting.",
            vec![
                req(
                    "Agree with the works council before introducing technical systems able to monitor employees' \
                     behaviour or performance.",
                    Legal,
                    true,
                    "A works agreement on Microsoft 365 Copilot and GitHub Copilot limits usage reporting to \
                     aggregate adoption figures; the CV screening assistant goes live only after a similar agreement.",
                ),
                req(
                    "Receive training to use AI tools competently and safely.",
                    Legal,
                    false,
                    "An AI literacy e-learning course is mandatory for Copilot licences; the role-specific training \
                     for credit analysts and recruiters is still being developed.",
                ),
            ],
        ),
        party(
            "Data protection supervisory authorities",
            "regulator",
            "The German and Dutch data protection authorities, which supervise Northwind's processing of customer, \
             applicant and employee data.",
            vec![
                req(
                    "Carry out a data protection impact assessment before high-risk processing such as credit scoring \
                     and CV screening.",
                    Legal,
                    true,
                    "DPIAs exist for credit scoring, fraud detection and the customer-support assistant; the DPIA for \
                     the CV screening assistant is part of its verification.",
                ),
                req(
                    "Keep the records of processing activities complete, including processing by AI systems.",
                    Legal,
                    false,
                    "Entries for the CV screening assistant and Microsoft 365 Copilot are being drafted by the data \
                     protection officer.",
                ),
            ],
        ),
        party(
            "Enterprise customers and partner platforms",
            "customer",
            "SME borrowers and the comparison and car-dealer platforms that distribute Northwind loans; several ask \
             for evidence of responsible AI in their due diligence.",
            vec![
                req(
                    "Disclose where AI is used in servicing their accounts and answer AI due-diligence questionnaires.",
                    Contractual,
                    true,
                    "The standard partner agreement has an AI annex listing the AI systems involved; the AIMS owner \
                     answers questionnaires from the AI inventory.",
                ),
                req(
                    "Show independent assurance of the AI management system.",
                    Contractual,
                    false,
                    "Certification against ISO/IEC 42001 is planned after the first full internal audit cycle.",
                ),
                req(
                    "Follow Northwind's published responsible AI principles.",
                    Voluntary,
                    true,
                    "The AI policy adopts the principles; the AI steering committee reviews adherence every year.",
                ),
            ],
        ),
    ]
}

/// Ids of the supplier records the AI systems refer to.
struct SupplierIds {
    github: String,
    microsoft: String,
    cloud: String,
    bureau: String,
    recruiting: String,
}

/// The neutral wording for a certificate the demo cannot check: no number or issuer is invented.
const STATED_42001: &str = "Supplier states ISO/IEC 42001 certification for this service; verify the certificate before relying on it.";

fn stated_certification(standard: &str, scope: &str) -> Certification {
    Certification {
        standard: standard.into(),
        certificate_id: String::new(),
        issuer: String::new(),
        valid_until: String::new(),
        scope: scope.into(),
    }
}

async fn seed_suppliers(app: &App, actor: &Actor, org: &str) -> Result<SupplierIds, AppError> {
    let add =
        |name: &str, description: &str, website: &str, contact: &str, certs: Vec<Certification>| {
            Supplier {
                name: name.into(),
                description: description.into(),
                website: website.into(),
                contact: contact.into(),
                certifications: certs,
            }
        };
    let github = add(
        "GitHub",
        "Provides GitHub Enterprise Cloud and GitHub Copilot Business, used by Northwind's engineering teams.",
        "https://github.com",
        "Enterprise account team through the GitHub support portal",
        vec![stated_certification("ISO/IEC 42001:2023", STATED_42001)],
    );
    let microsoft = add(
        "Microsoft",
        "Provides Microsoft 365 under the enterprise agreement, including Microsoft 365 Copilot and the spam and \
         phishing filtering of the e-mail service.",
        "https://www.microsoft.com",
        "Account team under the enterprise agreement",
        vec![stated_certification("ISO/IEC 42001:2023", STATED_42001)],
    );
    let cloud = add(
        "Cirrolake Cloud SE",
        "Fictional cloud provider: managed ML platform used for training and hosting Northwind's models, and the \
         hosted large language model behind the customer-support assistant, in its Frankfurt region.",
        "https://www.cirrolake.example",
        "account-management@cirrolake.example",
        vec![stated_certification(
            "ISO/IEC 27001:2022",
            "Supplier states certification of its EU cloud regions; a copy of the certificate was requested in \
             the 2026 supplier review.",
        )],
    );
    let bureau = add(
        "Kestrel Bureau Data GmbH",
        "Fictional credit reference agency supplying credit bureau attributes for applicants in Germany and the \
         Netherlands under a data supply contract.",
        "https://www.kestrel-bureau.example",
        "data-partnerships@kestrel-bureau.example",
        vec![],
    );
    let recruiting = add(
        "Hireloom Recruiting Software B.V.",
        "Fictional HR-tech vendor of the CV matching and summarisation service used in the CV screening \
         assistant pilot. Its AI Act deployer questionnaire has been received; its bias audit report has been \
         requested.",
        "https://www.hireloom.example",
        "customer-success@hireloom.example",
        vec![],
    );
    Ok(SupplierIds {
        github: app.create_record(actor, org, github).await?.id,
        microsoft: app.create_record(actor, org, microsoft).await?.id,
        cloud: app.create_record(actor, org, cloud).await?.id,
        bureau: app.create_record(actor, org, bureau).await?.id,
        recruiting: app.create_record(actor, org, recruiting).await?.id,
    })
}

fn custom_fields() -> Vec<CustomFieldDef> {
    vec![
        CustomFieldDef {
            key: "risk_tier".into(),
            label: "Internal risk tier".into(),
            kind: CustomFieldKind::Choice.as_str().into(),
            choices: vec!["low".into(), "medium".into(), "high".into()],
            required: false,
            description: "Northwind's own tier, set by the AI steering committee from impact and regulatory \
                exposure; decides how often the system is reviewed (high: quarterly, medium: twice a year, low: \
                yearly)."
                .into(),
        },
        CustomFieldDef {
            key: "model_card_url".into(),
            label: "Model card".into(),
            kind: CustomFieldKind::Text.as_str().into(),
            choices: vec![],
            required: false,
            description: "Link to the model card in the internal model registry, for systems Northwind builds."
                .into(),
        },
    ]
}

fn data(
    name: &str,
    category: DataCategory,
    provenance: &str,
    personal_data: bool,
    quality_notes: &str,
) -> DataResource {
    DataResource {
        id: String::new(),
        name: name.into(),
        category: category.as_str().into(),
        provenance: provenance.into(),
        personal_data,
        quality_notes: quality_notes.into(),
    }
}

fn model(name: &str, version: &str, kind: &str, provider: &str) -> ModelInfo {
    ModelInfo {
        id: String::new(),
        name: name.into(),
        version: version.into(),
        kind: kind.into(),
        provider: provider.into(),
    }
}

fn tool(name: &str, purpose: &str) -> Tool {
    Tool {
        name: name.into(),
        purpose: purpose.into(),
    }
}

fn compute(name: &str, location: ComputeLocation, notes: &str) -> Compute {
    Compute {
        name: name.into(),
        location: location.as_str().into(),
        notes: notes.into(),
    }
}

fn person(role: &str, assignee: &str, competences: &str) -> PersonRole {
    PersonRole {
        role: role.into(),
        assignee: assignee.into(),
        competences: competences.into(),
    }
}

fn component(name: &str, kind: ComponentKind, supplier_id: &str, version: &str) -> Component {
    Component {
        name: name.into(),
        kind: kind.into_str(),
        supplier_id: supplier_id.into(),
        version: version.into(),
    }
}

/// `as_str().to_string()` for the vocabularies, to keep the system definitions short.
trait IntoText {
    fn into_str(self) -> String;
}

macro_rules! into_text {
    ($($t:ty),*) => {$(impl IntoText for $t {
        fn into_str(self) -> String {
            self.as_str().to_string()
        }
    })*};
}
into_text!(
    AiRole,
    AutomationLevel,
    ComponentKind,
    HumanOversight,
    LifecycleStage
);

/// The common head of every demo system.
#[allow(clippy::too_many_arguments)]
fn system(
    name: &str,
    purpose: &str,
    intended_use: &str,
    foreseeable_misuse: &str,
    owner: &str,
    business_unit: &str,
    stage: LifecycleStage,
    role: AiRole,
) -> AiSystem {
    let mut s = AiSystem::new(name, purpose);
    s.intended_use = intended_use.into();
    s.foreseeable_misuse = foreseeable_misuse.into();
    s.owner = owner.into();
    s.business_unit = business_unit.into();
    s.lifecycle_stage = stage.into_str();
    s.org_role = role.into_str();
    s
}

fn oversee(s: &mut AiSystem, level: AutomationLevel, oversight: HumanOversight, notes: &str) {
    s.automation_level = level.into_str();
    s.human_oversight = oversight.into_str();
    s.oversight_notes = notes.into();
}

fn list(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn fields(risk_tier: &str, model_card: Option<&str>) -> BTreeMap<String, serde_json::Value> {
    let mut m = BTreeMap::new();
    m.insert("risk_tier".to_string(), json!(risk_tier));
    if let Some(slug) = model_card {
        m.insert(
            "model_card_url".to_string(),
            json!(format!("https://models.{DOMAIN}/cards/{slug}")),
        );
    }
    m
}

const IN_HOUSE: &str = "Northwind Lending (in-house)";

fn credit_scoring(sup: &SupplierIds) -> AiSystem {
    let mut s = system(
        "Credit scoring (consumer loans)",
        "Estimates the probability that a consumer loan applicant defaults within 12 months, to support the \
         credit decision and risk-based pricing. Developed in-house by Risk Analytics and provided by Northwind \
         under its own name.",
        "Scoring complete applications for unsecured consumer loans of up to EUR 50,000 from residents of Germany \
         and the Netherlands. Scores above the approval cut-off are approved automatically; applications that \
         would be declined or fall in the grey zone go to a credit analyst, who decides.",
        "Using the score for products or segments it was not built for (SME loans, car leasing); using it to \
         target marketing; declining without analyst review; reading the score as a judgement of a person's \
         character.",
        "Daan Visser (Risk Analytics)",
        "Retail Lending",
        LifecycleStage::Operation,
        AiRole::Provider,
    );
    oversee(
        &mut s,
        AutomationLevel::Partial,
        HumanOversight::InTheLoop,
        "Every decline and every grey-zone score is decided by a credit analyst, who sees the top reason codes and \
         may override the score. Credit Risk Control samples overrides monthly. Applicants can ask for a human \
         review of any decision.",
    );
    s.affected_parties = list(&[
        "Loan applicants",
        "Existing borrowers applying for top-up loans",
        "Credit analysts",
    ]);
    s.data_resources = vec![
        data(
            "Loan applications and repayment outcomes 2017–2024",
            DataCategory::Training,
            "Northwind's loan origination and servicing systems: applications and 12-month repayment outcomes, \
             extracted by Risk Analytics for the credit-risk purpose in the record of processing.",
            true,
            "Outcomes are known only for approved applications; reject inference corrects the selection bias. \
             Loans under the 2020–2021 payment moratoria are flagged and down-weighted. Missing values and \
             duplicates are checked at every extraction.",
        ),
        data(
            "Credit bureau attributes",
            DataCategory::Training,
            "Kestrel Bureau Data GmbH under the data supply contract; retrieved at application time and stored \
             with the application.",
            true,
            "Coverage is thinner for young applicants and people who recently moved to Germany or the \
             Netherlands; a thin-file indicator is a model input and its share is monitored.",
        ),
        data(
            "Out-of-time validation sample 2024 H2",
            DataCategory::Validation,
            "Applications from July to December 2024, held out of training.",
            true,
            "Used for discrimination (Gini) and calibration checks by Model Validation.",
        ),
        data(
            "Fairness test set",
            DataCategory::Test,
            "Stratified hold-out with age band, sex and nationality group, kept apart from model inputs with \
             restricted access.",
            true,
            "Used only for bias testing of approval rates and calibration; group sizes below 500 are reported \
             with confidence intervals.",
        ),
        data(
            "Live applications",
            DataCategory::Production,
            "Web, app and partner-platform applications, with bureau attributes retrieved at scoring time.",
            true,
            "Input drift (population stability index) is monitored weekly and alerts above 0.2.",
        ),
    ];
    s.models = vec![model(
        "NW-Retail-PD",
        "4.2.0",
        "gradient-boosted trees with monotonic constraints",
        IN_HOUSE,
    )];
    s.tooling = vec![
        tool("Python and LightGBM", "Model training"),
        tool("MLflow", "Experiment tracking and model registry"),
        tool("Fairlearn", "Bias metrics in validation and monitoring"),
        tool(
            "Reason-code service",
            "Top reasons per decision for analysts and decline letters",
        ),
    ];
    s.compute = vec![
        compute(
            "Cirrolake ML Platform (Frankfurt region)",
            ComputeLocation::Cloud,
            "CPU training jobs, about 40 node-hours per retraining; the data stays in the EU region.",
        ),
        compute(
            "Scoring service on the Kubernetes cluster",
            ComputeLocation::OnPremises,
            "Two replicas in the Frankfurt data centre; 99th-percentile latency under 150 ms.",
        ),
    ];
    s.people = vec![
        person(
            "System owner and ML engineer",
            "Daan Visser",
            "Credit risk modelling, ML engineering, AI Act provider obligations",
        ),
        person(
            "Model validator",
            "Model Validation team (independent of Risk Analytics)",
            "Statistical validation, fairness testing, EBA loan origination guidelines",
        ),
        person(
            "Human overseer",
            "Credit analysts, Retail Lending",
            "Credit policy, reading reason codes, override procedure (trained yearly)",
        ),
    ];
    s.components = vec![
        component(
            "Credit bureau attributes feed",
            ComponentKind::Dataset,
            &sup.bureau,
            "",
        ),
        component(
            "Cirrolake ML Platform",
            ComponentKind::Platform,
            &sup.cloud,
            "",
        ),
        component("LightGBM", ComponentKind::Library, "", "4.5.0"),
    ];
    s.custom_fields = fields("high", Some("nw-retail-pd"));
    s
}

fn cv_screening(sup: &SupplierIds) -> AiSystem {
    let mut s = system(
        "CV screening assistant",
        "Ranks incoming applications for advertised roles by how well they match the job requirements and \
         summarises each CV for the recruiter.",
        "Support for recruiters in Talent Acquisition for roles in Germany and the Netherlands. Recruiters review \
         every application whatever its rank; the ranking only orders the queue.",
        "Rejecting candidates automatically on their rank; screening current employees for promotion or \
         dismissal; inferring health, ethnicity or other protected characteristics from CVs.",
        "Head of Talent Acquisition",
        "Human Resources",
        LifecycleStage::Verification,
        AiRole::Deployer,
    );
    oversee(
        &mut s,
        AutomationLevel::Advisory,
        HumanOversight::InTheLoop,
        "Pilot on three vacancies with shadow ranking: recruiters screen as usual and compare their shortlist \
         with the ranking. Go-live needs a passed bias test, the DPIA and the works council's agreement.",
    );
    s.affected_parties = list(&["Job applicants", "Recruiters", "Hiring managers"]);
    s.data_resources = vec![
        data(
            "Vendor training data",
            DataCategory::Training,
            "Trained by Hireloom on its own data; Northwind has the vendor's data sheet, not the data.",
            true,
            "The vendor reports evaluation on EU job-market data; representativeness for Dutch-language CVs is to \
             be confirmed in verification.",
        ),
        data(
            "Pilot vacancies 2025 (pseudonymised)",
            DataCategory::Test,
            "Applications for three past vacancies with the recruiters' decisions, pseudonymised by HR.",
            true,
            "Small sample of about 600 applications; sex and age band were reconstructed only for bias testing, \
             as set out in the DPIA.",
        ),
        data(
            "Incoming applications",
            DataCategory::Production,
            "Applicant tracking system; applicants are informed in the privacy notice for applicants.",
            true,
            "CV formats vary widely; parsing failures are routed to manual screening.",
        ),
    ];
    s.models = vec![model(
        "Hireloom Match",
        "3.1",
        "transformer-based text matching and summarisation",
        "Hireloom Recruiting Software B.V.",
    )];
    s.tooling = vec![
        tool(
            "Hireloom recruiter console",
            "Reviewing ranks and CV summaries",
        ),
        tool(
            "Bias test workbook",
            "Comparing selection rates across groups in the pilot",
        ),
    ];
    s.compute = vec![compute(
        "Hireloom service (EU hosting)",
        ComputeLocation::Supplier,
        "Hosted by the vendor in the EU under the data processing agreement.",
    )];
    s.people = vec![
        person(
            "System owner",
            "Head of Talent Acquisition",
            "Recruiting practice, AI Act deployer duties",
        ),
        person(
            "Human overseers",
            "Recruiters, Talent Acquisition",
            "Structured screening, awareness of automation bias",
        ),
        person(
            "Privacy adviser",
            "Data protection officer",
            "DPIA, applicant rights",
        ),
    ];
    s.components = vec![component(
        "Hireloom Match service",
        ComponentKind::Service,
        &sup.recruiting,
        "3.1",
    )];
    s.custom_fields = fields("high", None);
    s
}

fn support_assistant(sup: &SupplierIds) -> AiSystem {
    let mut s = system(
        "Customer-support assistant",
        "Answers customer questions about loan products, repayments and account servicing in the web and app \
         chat, from approved help content, and hands over to a human agent.",
        "General product and servicing questions from customers and prospects in German, Dutch and English. It can \
         look up the status of the signed-in customer's own loan; it makes no credit decisions and gives no \
         financial advice.",
        "Asking it for personal financial advice or a credit decision; prompt injection to reveal other customers' \
         data or its instructions; relying on it for complaints or financial hardship without a human.",
        "Head of Customer Service",
        "Customer Service",
        LifecycleStage::Deployment,
        AiRole::Provider,
    );
    oversee(
        &mut s,
        AutomationLevel::High,
        HumanOversight::OnTheLoop,
        "Labelled as an AI assistant. Hands over to an agent on request, on complaints or hardship, and when \
         retrieval confidence is low. Agents review a daily sample of 50 conversations; a kill switch routes all \
         chats to agents.",
    );
    s.affected_parties = list(&["Customers and prospects", "Customer-service agents"]);
    s.data_resources = vec![
        data(
            "Approved help-centre articles",
            DataCategory::Production,
            "Written and approved by Customer Service and Legal; the only source the assistant answers from.",
            false,
            "Each article has an owner and a review date; outdated articles are withdrawn from retrieval.",
        ),
        data(
            "Evaluation question set",
            DataCategory::Test,
            "1,200 questions with reference answers written by service agents from anonymised real questions.",
            false,
            "Covers the three languages and the top 40 contact reasons; refreshed every quarter.",
        ),
        data(
            "Red-team prompts",
            DataCategory::Test,
            "Adversarial prompts written by the security team (prompt injection, data extraction, advice seeking).",
            false,
            "Run before every release and after every supplier model update.",
        ),
        data(
            "Chat transcripts",
            DataCategory::Production,
            "Conversations in the web and app chat.",
            true,
            "Personal data is redacted before logging; transcripts are kept 90 days for quality review, then \
             deleted.",
        ),
    ];
    s.models = vec![
        model(
            "Cirrolake Converse",
            "2025-10",
            "large language model, hosted and instruction-tuned",
            "Cirrolake Cloud SE",
        ),
        model(
            "Cirrolake Embed",
            "2",
            "multilingual text embedding model",
            "Cirrolake Cloud SE",
        ),
    ];
    s.tooling = vec![
        tool(
            "Retrieval pipeline (in-house)",
            "Chunking, retrieval and citation of help articles",
        ),
        tool(
            "Guardrails",
            "Redaction of personal data and topic restrictions on input and output",
        ),
        tool(
            "Conversation review dashboard",
            "Sampling and rating conversations",
        ),
    ];
    s.compute = vec![
        compute(
            "Cirrolake model hosting (Frankfurt region)",
            ComputeLocation::Supplier,
            "Model inference by the supplier in the EU; no customer data used for the supplier's training.",
        ),
        compute(
            "Chat orchestration service",
            ComputeLocation::Cloud,
            "Runs on the Cirrolake ML Platform next to the retrieval index.",
        ),
    ];
    s.people = vec![
        person(
            "Product owner",
            "Customer Service Digital team",
            "Service processes, conversation design",
        ),
        person(
            "ML engineer",
            "Daan Visser",
            "Retrieval-augmented generation, LLM evaluation",
        ),
        person(
            "Conversation reviewers",
            "Customer-service agents",
            "Quality review, escalation rules",
        ),
    ];
    s.components = vec![
        component(
            "Cirrolake Converse",
            ComponentKind::Model,
            &sup.cloud,
            "2025-10",
        ),
        component(
            "Cirrolake ML Platform",
            ComponentKind::Platform,
            &sup.cloud,
            "",
        ),
    ];
    s.custom_fields = fields("medium", Some("support-assistant"));
    s
}

fn fraud_detection(sup: &SupplierIds) -> AiSystem {
    let mut s = system(
        "Transaction fraud detection",
        "Scores outgoing card and instant-payment transactions on Northwind accounts for fraud in real time and \
         holds suspicious ones for review.",
        "Real-time screening of outgoing payments from Northwind current and credit-line accounts; Financial Crime \
         analysts release or confirm every hold, usually within minutes.",
        "Using fraud scores in credit decisions, or to close accounts without an investigation; profiling \
         customers for marketing.",
        "Head of Financial Crime Prevention",
        "Financial Crime Prevention",
        LifecycleStage::Operation,
        AiRole::Developer,
    );
    oversee(
        &mut s,
        AutomationLevel::High,
        HumanOversight::OnTheLoop,
        "The system holds transactions on its own; analysts review every hold and release false positives. Hold \
         and false-positive rates are monitored daily, with alerts on drift.",
    );
    s.affected_parties = list(&["Account holders", "Payees and merchants", "Fraud analysts"]);
    s.data_resources = vec![
        data(
            "Labelled transactions 2022–2025",
            DataCategory::Training,
            "Core banking transactions joined with confirmed fraud cases and chargebacks.",
            true,
            "Fraud labels arrive weeks late, so training uses a 60-day maturity window. Strong class imbalance \
             (about 0.1 % fraud).",
        ),
        data(
            "Rolling validation window",
            DataCategory::Validation,
            "The most recent three mature months, held out of training.",
            true,
            "Precision at the hold threshold is the release criterion.",
        ),
        data(
            "Live transaction stream",
            DataCategory::Production,
            "Payment events from the core banking system.",
            true,
            "Schema changes are caught by contract tests on the event stream.",
        ),
    ];
    s.models = vec![
        model("NW-Fraud-GBM", "2.7.1", "gradient-boosted trees", IN_HOUSE),
        model("Fraud rule set", "R-2025-11", "expert rules", IN_HOUSE),
    ];
    s.tooling = vec![
        tool("Python and XGBoost", "Model training"),
        tool("Apache Kafka", "Event streaming to the scoring service"),
        tool("Case management system", "Analyst review of holds"),
    ];
    s.compute = vec![
        compute(
            "Real-time scoring cluster",
            ComputeLocation::OnPremises,
            "Frankfurt data centre, active-active; 99th-percentile latency under 50 ms.",
        ),
        compute(
            "Cirrolake ML Platform (Frankfurt region)",
            ComputeLocation::Cloud,
            "Monthly retraining on GPU instances.",
        ),
    ];
    s.people = vec![
        person(
            "System owner",
            "Head of Financial Crime Prevention",
            "Fraud typologies, payment regulation",
        ),
        person(
            "ML engineer",
            "Daan Visser",
            "Imbalanced classification, streaming systems",
        ),
        person(
            "Human overseers",
            "Fraud analysts, Financial Crime Operations",
            "Investigation procedure, customer contact scripts",
        ),
    ];
    s.components = vec![component(
        "Cirrolake ML Platform",
        ComponentKind::Platform,
        &sup.cloud,
        "",
    )];
    s.custom_fields = fields("medium", Some("nw-fraud-gbm"));
    s
}

fn github_copilot(sup: &SupplierIds) -> AiSystem {
    let mut s = system(
        "GitHub Copilot",
        "AI coding assistant used by Northwind's developers in their editors for code completion, chat and \
         pull-request summaries.",
        "Internal software development on Northwind repositories by trained engineers, with the organization's \
         policy settings (suggestions matching public code blocked, content exclusions for sensitive \
         repositories).",
        "Pasting customer data or secrets into prompts; merging generated code without review; writing credit or \
         fraud model logic with it without the usual validation.",
        "Head of Engineering",
        "IT & Engineering",
        LifecycleStage::Operation,
        AiRole::Deployer,
    );
    oversee(
        &mut s,
        AutomationLevel::Advisory,
        HumanOversight::InTheLoop,
        "The developer accepts or rejects every suggestion; all changes go through code review and the CI security \
         scans.",
    );
    s.affected_parties = list(&[
        "Software developers",
        "Customers, indirectly through the software",
    ]);
    s.data_resources = vec![data(
        "Prompts and code context",
        DataCategory::Production,
        "Code context from Northwind repositories sent to the service while developers work.",
        false,
        "Customer data is excluded by policy; repositories holding credentials or model data are excluded from \
         Copilot.",
    )];
    s.models = vec![model(
        "GitHub Copilot models",
        "as provided by the service",
        "large language models managed by the supplier",
        "GitHub",
    )];
    s.tooling = vec![tool(
        "Editor extensions (VS Code, JetBrains)",
        "Access to Copilot",
    )];
    s.compute = vec![compute(
        "GitHub Copilot service",
        ComputeLocation::Supplier,
        "Operated by GitHub; Northwind runs no compute for it.",
    )];
    s.people = vec![
        person(
            "Service owner",
            "Head of Engineering",
            "Secure development policy",
        ),
        person(
            "Developers",
            "Engineering teams (about 180 people)",
            "Secure coding; mandatory Copilot usage training",
        ),
    ];
    s.components = vec![component(
        "GitHub Copilot Business",
        ComponentKind::Service,
        &sup.github,
        "",
    )];
    s.custom_fields = fields("low", None);
    s
}

fn m365_copilot(sup: &SupplierIds) -> AiSystem {
    let mut s = system(
        "Microsoft 365 Copilot",
        "Generative AI assistant in Outlook, Teams, Word, Excel and PowerPoint for drafting, summarising and \
         finding organizational content.",
        "Office work by employees licensed after training: drafting, summarising meetings and documents, and \
         finding internal information the user already has access to.",
        "Using it for credit, HR or other decisions about individuals; summarising meetings without the \
         participants knowing; assessing employees' performance from usage data (excluded by the works \
         agreement); over-sharing through badly set permissions.",
        "Head of Digital Workplace",
        "IT & Engineering",
        LifecycleStage::Operation,
        AiRole::Deployer,
    );
    oversee(
        &mut s,
        AutomationLevel::Advisory,
        HumanOversight::InTheLoop,
        "Users review all output before use. Rolled out in waves after a clean-up of SharePoint permissions; usage \
         reporting is limited to aggregate adoption figures, as agreed with the works council.",
    );
    s.affected_parties = list(&[
        "Employees",
        "Customers and business partners named in documents and e-mails",
    ]);
    s.data_resources = vec![data(
        "Microsoft 365 tenant content",
        DataCategory::Production,
        "E-mails, chats, files and meetings in Northwind's tenant, reached with the signed-in user's permissions.",
        true,
        "Results depend on permission hygiene; sites holding customer files were reviewed for over-sharing before \
         the rollout.",
    )];
    s.models = vec![model(
        "Microsoft 365 Copilot",
        "as provided by the service",
        "large language models managed by the supplier",
        "Microsoft",
    )];
    s.tooling = vec![tool(
        "Sensitivity labels",
        "Classify and protect confidential content Copilot could reach",
    )];
    s.compute = vec![compute(
        "Microsoft 365 service (EU Data Boundary)",
        ComputeLocation::Supplier,
        "Processed by Microsoft within its EU Data Boundary, as contracted.",
    )];
    s.people = vec![
        person(
            "Service owner",
            "Head of Digital Workplace",
            "Microsoft 365 administration, information protection",
        ),
        person(
            "Copilot champions",
            "One per department",
            "Prompting practice, usage guideline",
        ),
        person(
            "Works council liaison",
            "HR Employee Relations",
            "Works agreement on AI tools",
        ),
    ];
    s.components = vec![component(
        "Microsoft 365 Copilot",
        ComponentKind::Service,
        &sup.microsoft,
        "",
    )];
    s.custom_fields = fields("low", None);
    s
}

fn spam_filter(sup: &SupplierIds) -> AiSystem {
    let mut s = system(
        "E-mail spam and phishing filter",
        "Classifies inbound e-mail as spam, phishing or legitimate within the managed e-mail service.",
        "Protecting employee mailboxes with the supplier's built-in filtering and Northwind's allow and block \
         lists.",
        "Treating a quarantined message as evidence against its sender without review.",
        "IT Security",
        "IT & Engineering",
        LifecycleStage::Operation,
        AiRole::User,
    );
    s.in_scope = false;
    oversee(
        &mut s,
        AutomationLevel::Full,
        HumanOversight::OnTheLoop,
        "Out of the AIMS scope: a standard feature of the e-mail service that Northwind configures only through \
         allow and block lists; managed under the information security management system and reassessed at every \
         annual scope review. IT Security reviews reported false positives in quarantine.",
    );
    s.affected_parties = list(&["Employees", "External senders"]);
    s.data_resources = vec![data(
        "Inbound e-mail",
        DataCategory::Production,
        "All e-mail received by Northwind mailboxes, processed by the e-mail service.",
        true,
        "Filtering quality is the supplier's; false positives are reported by employees.",
    )];
    s.models = vec![model(
        "Built-in filtering models",
        "as provided by the service",
        "classification models managed by the supplier",
        "Microsoft",
    )];
    s.compute = vec![compute(
        "Microsoft 365 service (EU Data Boundary)",
        ComputeLocation::Supplier,
        "Part of the e-mail service.",
    )];
    s.people = vec![person(
        "Service owner",
        "IT Security",
        "E-mail security administration",
    )];
    s.components = vec![component(
        "E-mail protection of Microsoft 365",
        ComponentKind::Service,
        &sup.microsoft,
        "",
    )];
    s.custom_fields = fields("low", None);
    s
}

fn collections_prioritiser() -> AiSystem {
    let mut s = system(
        "Collections prioritiser (legacy)",
        "Ranked overdue accounts for the collections team by expected recovery, using a rule set with a logistic \
         regression score.",
        "Ordering the daily work queue of collections agents for accounts 1 to 90 days overdue.",
        "Deciding on legal action or debt sale from the rank alone.",
        "Head of Collections",
        "Retail Lending",
        LifecycleStage::Operation,
        AiRole::Developer,
    );
    oversee(
        &mut s,
        AutomationLevel::Advisory,
        HumanOversight::InTheLoop,
        "Agents worked the queue in rank order but chose how to contact each borrower; supervisors could \
         re-prioritise accounts.",
    );
    s.affected_parties = list(&["Borrowers in arrears", "Collections agents"]);
    s.data_resources = vec![
        data(
            "Collections outcomes 2015–2019",
            DataCategory::Training,
            "Collections system: contact history and recoveries on overdue accounts.",
            true,
            "Not refreshed since 2019; the 2024 model review documented performance drift.",
        ),
        data(
            "Daily overdue accounts",
            DataCategory::Production,
            "Nightly extract from the core banking system.",
            true,
            "",
        ),
    ];
    s.models = vec![model(
        "COLL-PRIO",
        "1.9",
        "expert rules with a logistic regression score",
        IN_HOUSE,
    )];
    s.compute = vec![compute(
        "Nightly batch on the core banking host",
        ComputeLocation::OnPremises,
        "",
    )];
    s.people = vec![person(
        "System owner",
        "Head of Collections",
        "Collections strategy",
    )];
    s.custom_fields = fields("medium", None);
    s
}

/// The inventory, added by the people who would add each system; then one model update and one retirement so
/// that histories show more than a creation.
async fn seed_systems(
    app: &App,
    manager: &Actor,
    engineer: &Actor,
    org: &str,
    sup: &SupplierIds,
) -> Result<crate::demo_risk::SystemIds, AppError> {
    let credit = app.add_system(engineer, org, credit_scoring(sup)).await?;
    let cv = app.add_system(manager, org, cv_screening(sup)).await?;
    let support = app
        .add_system(engineer, org, support_assistant(sup))
        .await?;
    let fraud = app.add_system(engineer, org, fraud_detection(sup)).await?;
    let github = app.add_system(manager, org, github_copilot(sup)).await?;
    let m365 = app.add_system(manager, org, m365_copilot(sup)).await?;
    let spam = app.add_system(manager, org, spam_filter(sup)).await?;
    let legacy = app
        .add_system(manager, org, collections_prioritiser())
        .await?;

    app.update_system(engineer, org, &credit.id, Some(credit.version), |s| {
        if let Some(m) = s.models.first_mut() {
            m.version = "4.3.0".into();
        }
        if let Some(d) = s
            .data_resources
            .iter_mut()
            .find(|d| d.category == DataCategory::Validation.as_str())
        {
            d.name = "Out-of-time validation sample 2025 H1".into();
            d.provenance = "Applications from January to June 2025, held out of training.".into();
        }
        Ok(())
    })
    .await?;
    app.retire_system(
        manager,
        org,
        &legacy.id,
        "2025-06-30",
        "Replaced by the standard queue of the core banking platform's collections module (no AI): the 2024 \
         model review found the score no longer ranked recovery better than days past due. Model and data \
         archived under the retention schedule.",
    )
    .await?;
    Ok(crate::demo_risk::SystemIds {
        credit: credit.id,
        cv: cv.id,
        support: support.id,
        fraud: fraud.id,
        github: github.id,
        m365: m365.id,
        spam: spam.id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::SystemFilter;
    use aims_store::spec::AI_SYSTEMS;
    use aims_store::testing::{TestDb, backends};

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
            let org = info.organization.id.as_str();
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
            let report = app.verify(&Actor::operator("test"), None).await.unwrap();
            assert!(report.intact(), "{backend:?}: {:?}", report.problems);
        }
    }
}
