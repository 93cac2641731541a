//! Response types of the API that have no home below it: records with their system fields, pages of records, and
//! the few bodies that add a field to what a use case returns (the verification report's `intact`, the SoA's
//! `has_drift`). Everything else the API sends (catalogue rows, history entries, templates, the questionnaire) is
//! the use case's own type, described where it is defined; so the OpenAPI document describes the real bodies.

use aims_app::Stored;
use aims_app::catalogue::MappingRow;
use aims_app::integrity::VerifyReport;
use aims_app::soa::SoaView;
use aims_domain::classification::{Answers, ClassificationRecord};
use aims_domain::context::{Organization, ScopeVersion};
use aims_domain::controls::ControlImplementation;
use aims_domain::risk::{Risk, RiskMethod};
use aims_domain::soa::{SoaChange, SoaVersion};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares the documented shape of `Stored<T>` (system fields plus the flattened data) and, given a page's
/// name, of a page of them (a type whose list the kit serves gets its page from the kit).
macro_rules! stored {
    ($stored:ident, $t:ty, $what:literal) => {
        #[doc = concat!("A stored ", $what, ": id, version and timestamps beside the data fields.")]
        #[derive(Serialize, ToSchema)]
        #[allow(dead_code)]
        pub struct $stored {
            /// Record id (UUIDv7).
            id: String,
            /// Version for optimistic concurrency; also the `ETag`. Send it back in `If-Match` to change the record.
            version: i64,
            /// Creation time, RFC 3339 UTC.
            created_at: String,
            /// Last change, RFC 3339 UTC.
            updated_at: String,
            /// The record's data.
            #[serde(flatten)]
            data: $t,
        }
    };
    ($stored:ident, $page:ident, $t:ty, $what:literal) => {
        stored!($stored, $t, $what);

        #[doc = concat!("A page of ", $what, " records.")]
        #[derive(Serialize, ToSchema)]
        #[allow(dead_code)]
        pub struct $page {
            /// The records of this page.
            pub items: Vec<$stored>,
            /// Cursor of the next page (pass it as `cursor`); `null` on the last page.
            pub next_cursor: Option<String>,
        }
    };
}

stored!(
    StoredScopeVersion,
    ScopeVersionPage,
    ScopeVersion,
    "scope statement version"
);
stored!(
    StoredOrganization,
    OrganizationPage,
    Organization,
    "organization"
);

stored!(
    StoredRiskMethod,
    RiskMethodPage,
    RiskMethod,
    "risk method version"
);
stored!(StoredRisk, RiskPage, Risk, "risk");
stored!(
    StoredControlImplementation,
    ControlImplementationPage,
    ControlImplementation,
    "control implementation"
);
stored!(
    StoredSoaVersion,
    SoaVersionPage,
    SoaVersion,
    "approved Statement of Applicability version"
);
stored!(
    StoredClassificationRecord,
    ClassificationRecordPage,
    ClassificationRecord,
    "EU AI Act classification"
);

/// A page of the AI system list: summaries, not full records.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct AiSystemSummaryPage {
    /// The systems of this page.
    items: Vec<aims_domain::inventory::AiSystemSummary>,
    /// Cursor of the next page; absent or null on the last page.
    next_cursor: Option<String>,
}

/// A page of records as the API sends it (`T` is a `Stored<…>` whose documented shape is one of the above).
#[derive(Serialize)]
pub struct Page<T> {
    /// The records of this page.
    pub items: Vec<T>,
    /// Cursor of the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// The scope statement as it stands.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct ScopeState {
    /// The version in force, if one was approved.
    approved: Option<StoredScopeVersion>,
    /// The draft awaiting approval, if any.
    draft: Option<StoredScopeVersion>,
}

/// A draft of the scope statement: replaces the pending draft, or starts the next version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeDraftInput {
    /// The scope statement itself.
    pub statement: String,
    /// Units, sites, activities and AI systems the AIMS covers.
    #[serde(default)]
    pub boundaries: String,
    /// What is left out, and why.
    #[serde(default)]
    pub exclusions: String,
}

/// Approving the pending draft of the scope statement.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeApprovalInput {
    /// Remarks recorded with the approval.
    #[serde(default)]
    pub note: String,
}

/// The result of verifying the organization's change log and records: the report and whether it is clean.
#[derive(Serialize, ToSchema)]
pub struct VerifyResult {
    /// True when the chain is unbroken and every record matches its latest entry.
    pub intact: bool,
    /// The chain verified with its head, what was checked, and the problems found (empty when intact).
    #[serde(flatten)]
    pub report: VerifyReport,
}

impl From<VerifyReport> for VerifyResult {
    fn from(report: VerifyReport) -> Self {
        VerifyResult {
            intact: report.intact(),
            report,
        }
    }
}

/// A control implementation with the requirements of other frameworks it also answers through the crosswalks.
#[derive(Serialize, ToSchema)]
pub struct StoredControlDetail {
    /// Record id (UUIDv7).
    pub id: String,
    /// Version for optimistic concurrency; also the `ETag`. Send it back in `If-Match` to change the record.
    pub version: i64,
    /// Creation time, RFC 3339 UTC.
    pub created_at: String,
    /// Last change, RFC 3339 UTC.
    pub updated_at: String,
    /// The implementation.
    #[serde(flatten)]
    pub data: ControlImplementation,
    /// Requirements of other frameworks this control maps to ("this also covers NIST AI RMF MANAGE 1.1").
    pub also_covers: Vec<MappingRow>,
}

/// Taking `Stored<T>` apart field by field also keeps the compiler honest that the documented record shape (see
/// `stored!`) is the one `Stored<T>` serialises: a field added there fails to build here.
impl From<aims_app::controls::ControlView> for StoredControlDetail {
    fn from(v: aims_app::controls::ControlView) -> Self {
        let Stored {
            id,
            version,
            created_at,
            updated_at,
            data,
        } = v.implementation;
        StoredControlDetail {
            id: id.into(),
            version,
            created_at,
            updated_at,
            data,
            also_covers: v.also_covers,
        }
    }
}

/// The Statement of Applicability computed from the live records, compared with the latest approved version.
#[derive(Serialize, ToSchema)]
pub struct SoaState {
    /// The lines (only those matching the filters), counts, treatment plan, approved version, drift and hints.
    #[serde(flatten)]
    pub view: SoaView,
    /// True when the live state no longer matches the approved version or an exclusion needs another look.
    pub has_drift: bool,
}

/// What changed between two states of the Statement of Applicability.
#[derive(Serialize, ToSchema)]
pub struct SoaDiff {
    /// The older approved version.
    pub from: i64,
    /// The newer approved version; `null` for the live state.
    pub to: Option<i64>,
    /// Changed control lines first, then changed risks of the treatment plan.
    pub changes: Vec<SoaChange>,
}

/// Answers to the EU AI Act classification questionnaire for one AI system.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyInput {
    /// The organization's role for the system (`provider`, `developer`, `deployer`, `importer`, `distributor`,
    /// `user`); the role recorded on the AI system when left out.
    #[serde(default)]
    pub role: Option<String>,
    /// Answers by question id: `true`/`false` for yes/no questions, a list of option values for choice questions
    /// (see `GET /api/v1/classification-questionnaire`).
    pub answers: Answers,
}
