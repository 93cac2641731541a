//! Command-line grammar of risk management: `aims risk`, `aims treatment`, `aims control`, `aims impact`,
//! `aims classify` and `aims soa`.

use crate::args::{Change, Wording};
use aims_app::RecordId;
use clap::{Args, Subcommand};
use std::marker::PhantomData;
use std::path::PathBuf;

/// `aims risk ...`: the risk register and the risk method.
#[derive(Debug, Subcommand)]
pub enum RiskCmd {
    /// Add a risk, optionally with its first assessment (--inherent, --current, --residual).
    Add(RiskFields),
    /// List the risk register.
    List {
        /// Only risks of this AI system (id).
        #[arg(long)]
        system: Option<String>,
        /// Only risks with this status: open, treating, accepted, closed.
        #[arg(long)]
        status: Option<String>,
        /// Text in title, description or owner.
        #[arg(long)]
        search: Option<String>,
    },
    /// Show one risk with its assessments and treatment plans.
    Show {
        /// Risk id.
        id: RecordId,
    },
    /// Change a risk's register fields (only the fields given change; assessments are never rewritten).
    Update(Change<RiskFields>),
    /// Add a dated re-assessment, scored with the current risk method.
    Assess {
        /// Risk id.
        id: RecordId,
        /// The scores and notes.
        #[command(flatten)]
        scores: ScoreArgs,
        /// Refuse the change unless the risk is still at this version.
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// Change history of a risk.
    History {
        /// Risk id.
        id: RecordId,
    },
    /// The risk method: scales, matrix, levels, appetite (versioned).
    #[command(subcommand)]
    Method(MethodCmd),
}

/// `aims risk method ...`.
#[derive(Debug, Subcommand)]
pub enum MethodCmd {
    /// Show the current risk method with its matrix.
    Show,
    /// Save a new version of the method from a JSON or TOML file (same shape as `show --format json`).
    Set {
        /// The method file.
        #[arg(long)]
        file: PathBuf,
    },
    /// List the saved versions.
    Versions,
}

/// Fields of a risk given as flags; each serializes under the name of the field it sets (`input::Flags`).
#[derive(Debug, Args, serde::Serialize)]
pub struct RiskFields {
    /// JSON or TOML file with any fields of the risk.
    #[serde(skip)]
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Short statement of the risk.
    #[arg(long)]
    pub title: Option<String>,
    /// Cause, event and consequence.
    #[arg(long)]
    pub description: Option<String>,
    /// AI system the risk concerns (id); repeat for several.
    #[serde(rename = "system_ids")]
    #[arg(long = "system")]
    pub systems: Vec<String>,
    /// Risk source: an Annex C.3 id (C.3.4) or custom:NAME; repeat for several.
    #[arg(long = "source")]
    pub sources: Vec<String>,
    /// Annex C.2 objective the risk threatens (C.2.5); repeat for several.
    #[arg(long = "objective")]
    pub objectives: Vec<String>,
    /// Risk owner.
    #[arg(long)]
    pub owner: Option<String>,
    /// Next review date (YYYY-MM-DD).
    #[arg(long)]
    pub review_date: Option<String>,
    /// Status: open, treating, accepted, closed.
    #[arg(long)]
    pub status: Option<String>,
    /// First assessment (only with `add`, and only with --inherent).
    #[serde(skip)]
    #[command(flatten)]
    pub scores: ScoreArgs,
}

impl Wording for RiskFields {
    const ID: &'static str = "Risk id";
    const IF_VERSION: &'static str = "Refuse the change unless the risk is still at this version";
}

/// Scores and notes of an assessment: a re-assessment, or the first one of a new risk (which has none without
/// --inherent).
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Inherent score as LIKELIHOOD:IMPACT (e.g. 4:4).
    #[arg(long)]
    pub inherent: Option<String>,
    /// Current score as LIKELIHOOD:IMPACT (defaults to the inherent score).
    #[arg(long)]
    pub current: Option<String>,
    /// Residual score as LIKELIHOOD:IMPACT (defaults to the current score).
    #[arg(long)]
    pub residual: Option<String>,
    /// Day of the assessment (YYYY-MM-DD, default today).
    #[arg(long)]
    pub date: Option<String>,
    /// Who assessed (default the acting user).
    #[arg(long)]
    pub assessor: Option<String>,
    /// Impact dimension considered; repeat for several.
    #[arg(long = "dimension")]
    pub dimensions: Vec<String>,
    /// Reasoning behind the scores.
    #[arg(long)]
    pub note: Option<String>,
}

/// `aims treatment ...`: risk treatment plans.
#[derive(Debug, Subcommand)]
pub enum TreatmentCmd {
    /// Create a treatment plan for a risk.
    Add(TreatmentFields),
    /// List treatment plans.
    List {
        /// Only plans of this risk (id).
        #[arg(long)]
        risk: Option<String>,
    },
    /// Show one plan.
    Show {
        /// Plan id.
        id: RecordId,
    },
    /// Change a plan (only the fields given change).
    Update(Change<TreatmentFields>),
    /// Record acceptance of the residual risk by a named person (needs the approve permission).
    Accept(SignOff<PlanAcceptance>),
    /// Change history of a plan.
    History {
        /// Plan id.
        id: RecordId,
    },
}

/// Fields of a treatment plan given as flags; each serializes under the name of the field it sets
/// (`input::Flags`), but for the tasks, which are parsed.
#[derive(Debug, Args, serde::Serialize)]
pub struct TreatmentFields {
    /// JSON or TOML file with any fields of the plan (tasks, controls, ...).
    #[serde(skip)]
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// The risk treated (id).
    #[serde(rename = "risk_id")]
    #[arg(long)]
    pub risk: Option<String>,
    /// Option: modify, avoid, share, retain.
    #[arg(long)]
    pub option: Option<String>,
    /// The plan in a few sentences.
    #[arg(long)]
    pub description: Option<String>,
    /// Control chosen (A.6.2.4 or an own control id); repeat for several.
    #[arg(long = "control")]
    pub controls: Vec<String>,
    /// Task as "TITLE|OWNER|DUE" (owner and due optional); repeat for several.
    #[serde(skip)]
    #[arg(long = "task")]
    pub tasks: Vec<String>,
    /// Status: planned, in_progress, completed.
    #[arg(long)]
    pub status: Option<String>,
}

impl Wording for TreatmentFields {
    const ID: &'static str = "Plan id";
    const IF_VERSION: &'static str = "Refuse the change unless the plan is still at this version";
}

/// How the help of a sign-off names what is signed off ("Person who accepts"; without a closing period, as clap
/// shows a one-line doc comment).
pub trait SignOffWording {
    /// Help of the record id.
    const ID: &'static str;
    /// Help of `--by`.
    const BY: &'static str;
    /// Help of `--rationale`.
    const RATIONALE: &'static str;
    /// Help of `--date`.
    const DATE: &'static str;
}

/// A named person's sign-off of a record (a plan's residual risk, an impact assessment), worded by `W`.
#[derive(Debug, Args)]
pub struct SignOff<W: SignOffWording + Send + Sync + 'static> {
    /// Record id.
    #[arg(help = W::ID)]
    pub id: RecordId,
    /// Person who signs off.
    #[arg(long, help = W::BY)]
    pub by: String,
    /// Their role.
    #[arg(long)]
    pub role: String,
    /// Why.
    #[arg(long, help = W::RATIONALE)]
    pub rationale: String,
    /// Day of the sign-off.
    #[arg(long, help = W::DATE)]
    pub date: Option<String>,
    #[arg(skip)]
    wording: PhantomData<fn() -> W>,
}

/// The wording of `treatment accept`.
#[derive(Debug)]
pub enum PlanAcceptance {}

impl SignOffWording for PlanAcceptance {
    const ID: &'static str = "Plan id";
    const BY: &'static str = "Person who accepts";
    const RATIONALE: &'static str = "Why the residual risk is acceptable";
    const DATE: &'static str = "Day of acceptance (YYYY-MM-DD, default today)";
}

/// The wording of `impact approve`.
#[derive(Debug)]
pub enum ImpactApproval {}

impl SignOffWording for ImpactApproval {
    const ID: &'static str = "Assessment id";
    const BY: &'static str = "Person who approves";
    const RATIONALE: &'static str = "Why the assessment is approved (conditions, if any)";
    const DATE: &'static str = "Day of approval (YYYY-MM-DD, default today)";
}

/// `aims control ...`: how the organization implements controls.
#[derive(Debug, Subcommand)]
pub enum ControlCmd {
    /// List the recorded implementations.
    List,
    /// Show one control's implementation and what it also covers in other frameworks.
    Show {
        /// Control id (A.6.2.4 or an own control id).
        control: String,
    },
    /// Record or change a control's implementation (only the fields given change).
    Set {
        /// Control id (A.6.2.4 or an own control id such as ORG-1).
        control: String,
        /// Fields.
        #[command(flatten)]
        fields: Box<ControlFields>,
        /// Refuse the change unless the implementation is still at this version.
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// Change history of a control's implementation.
    History {
        /// Control id.
        control: String,
    },
}

/// Fields of a control implementation given as flags; each serializes under the name of the field it sets
/// (`input::Flags`), but for the reasons and the supplier inherited from, which are parsed.
#[derive(Debug, Args, serde::Serialize)]
pub struct ControlFields {
    /// JSON or TOML file with any fields.
    #[serde(skip)]
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Title (required for the organization's own controls).
    #[arg(long)]
    pub title: Option<String>,
    /// Status: not_started, planned, partial, implemented, not_applicable (excluded).
    #[arg(long)]
    pub status: Option<String>,
    /// Owner.
    #[arg(long)]
    pub owner: Option<String>,
    /// How the control is met.
    #[arg(long)]
    pub description: Option<String>,
    /// Why the control is excluded (required with status not_applicable).
    #[arg(long)]
    pub justification: Option<String>,
    /// Reason to include as KIND:REFERENCE[:NOTE] (kind legal, contractual, interested_party, impact,
    /// business); repeat for several.
    #[serde(skip)]
    #[arg(long = "reason")]
    pub reasons: Vec<String>,
    /// Inherited from a certified supplier, as SUPPLIER_ID:CERTIFICATE_ID.
    #[serde(skip)]
    #[arg(long)]
    pub inherit: Option<String>,
    /// Evidence link; repeat for several.
    #[arg(long = "evidence")]
    pub evidence: Vec<String>,
    /// Target date (YYYY-MM-DD).
    #[arg(long)]
    pub target_date: Option<String>,
}

/// `aims impact ...`: AI system impact assessments.
#[derive(Debug, Subcommand)]
pub enum ImpactCmd {
    /// Start a draft assessment; harms above the risk appetite are added to the risk register.
    Add(ImpactFields),
    /// List assessments.
    List {
        /// Only assessments of this AI system (id).
        #[arg(long)]
        system: Option<String>,
    },
    /// Show one assessment.
    Show {
        /// Assessment id.
        id: RecordId,
    },
    /// Revise a draft (only the fields given change).
    Update(Change<ImpactFields>),
    /// Approve a draft (needs the approve permission); earlier approved assessments of the system are superseded.
    Approve(SignOff<ImpactApproval>),
    /// The templates an assessment can follow, with their sections and questions.
    Templates,
    /// Change history of an assessment.
    History {
        /// Assessment id.
        id: RecordId,
    },
}

/// Fields of an impact assessment given as flags (affected parties and impacts come from --file); each
/// serializes under the name of the field it sets (`input::Flags`).
#[derive(Debug, Args, serde::Serialize)]
pub struct ImpactFields {
    /// JSON or TOML file with any fields (affected, impacts, answers, ...).
    #[serde(skip)]
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// The AI system assessed (id).
    #[serde(rename = "system_id")]
    #[arg(long)]
    pub system: Option<String>,
    /// Title.
    #[arg(long)]
    pub title: Option<String>,
    /// Template: default or eu-fria.
    #[arg(long)]
    pub template: Option<String>,
    /// System version assessed.
    #[arg(long)]
    pub system_version: Option<String>,
    /// Next review date (YYYY-MM-DD).
    #[arg(long)]
    pub next_review: Option<String>,
}

impl Wording for ImpactFields {
    const ID: &'static str = "Assessment id";
    const IF_VERSION: &'static str =
        "Refuse the change unless the assessment is still at this version";
}

/// `aims classify SYSTEM`: EU AI Act classification.
#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// AI system id; leave out with --questions.
    pub system: Option<String>,
    /// JSON or TOML file of answers by question id.
    #[arg(long)]
    pub answers: Option<PathBuf>,
    /// One answer as ID=VALUE (yes, no, or comma-separated choices); repeat for several; overrides the file.
    #[arg(long = "answer")]
    pub answer: Vec<String>,
    /// Role to select obligations for (default: the organization's role recorded for the system).
    #[arg(long)]
    pub role: Option<String>,
    /// Print the questionnaire instead of classifying.
    #[arg(long)]
    pub questions: bool,
}

/// `aims soa ...`: the Statement of Applicability.
#[derive(Debug, Subcommand)]
pub enum SoaCmd {
    /// Show the Statement of Applicability computed from the live records, with drift from the approved version.
    Show {
        /// Only lines with this implementation status.
        #[arg(long)]
        status: Option<String>,
        /// Only applicable (true) or excluded (false) controls.
        #[arg(long)]
        applicable: Option<bool>,
        /// Exit 1 when a line has a problem or the live state drifted from the approved version.
        #[arg(long)]
        check: bool,
    },
    /// Approve the current SoA as a new numbered version, frozen with the treatment plan.
    Approve {
        /// Person who approves.
        #[arg(long)]
        by: String,
        /// Their role.
        #[arg(long)]
        role: String,
        /// Note on the approval.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// List the approved versions.
    Versions,
    /// What changed between two approved versions (or from one to the live state when TO is left out).
    Diff {
        /// Older version number.
        from: i64,
        /// Newer version number; the live state when left out.
        to: Option<i64>,
    },
}
