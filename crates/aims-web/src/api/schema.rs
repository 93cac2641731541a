//! Response types of the API that have no home in `aims-domain`: records with their system fields, pages of
//! records, the catalogue, history entries and the verification report. Each mirrors what the API actually
//! serialises, so the OpenAPI document describes the real bodies.

use aims_app::Stored;
use aims_domain::classification::{Answers, ClassificationRecord};
use aims_domain::context::{Organization, ScopeVersion};
use aims_domain::controls::ControlImplementation;
use aims_domain::impact::ImpactAssessment;
use aims_domain::inventory::AiSystem;
use aims_domain::risk::{Risk, RiskMethod, Treatment};
use aims_domain::soa::{
    ApplicabilityHint, RiskSnapshot, SoaChange, SoaEntry, SoaSummary, SoaVersion,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares the documented shape of `Stored<T>` (system fields plus the flattened data) and of a page of them.
macro_rules! stored {
    ($stored:ident, $page:ident, $t:ty, $what:literal) => {
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

stored!(StoredAiSystem, AiSystemPage, AiSystem, "AI system");
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
stored!(StoredTreatment, TreatmentPage, Treatment, "treatment plan");
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
    StoredImpactAssessment,
    ImpactAssessmentPage,
    ImpactAssessment,
    "impact assessment"
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

/// Retiring an AI system.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireInput {
    /// Why the system is retired.
    pub reason: String,
    /// Date of retirement (YYYY-MM-DD); today (UTC) when left out.
    #[serde(default)]
    pub on: Option<String>,
}

/// A framework of the catalogue.
#[derive(Serialize, ToSchema)]
pub struct Framework {
    /// Stable id (`iso42001`, `nist-ai-rmf`, `eu-ai-act`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Full title.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// Edition.
    pub version: String,
    /// Content pack version.
    pub pack_version: i64,
    /// Where the identifiers were checked.
    pub source: String,
    /// What it is.
    pub description: String,
    /// Number of items.
    pub items: i64,
}

impl From<aims_app::catalogue::FrameworkRow> for Framework {
    fn from(r: aims_app::catalogue::FrameworkRow) -> Self {
        Framework {
            id: r.id,
            name: r.name,
            title: r.title,
            publisher: r.publisher,
            version: r.version,
            pack_version: r.pack_version,
            source: r.source,
            description: r.description,
            items: r.items,
        }
    }
}

/// A clause, control, article or subcategory of a framework.
#[derive(Serialize, ToSchema)]
pub struct CatalogItem {
    /// Framework id.
    pub framework: String,
    /// Identifier inside the framework (`A.6.2.4`, `GOVERN 1.1`, `Art. 27`).
    #[serde(rename = "ref")]
    pub reference: String,
    /// Kind (`clause`, `control`, `article`, `subcategory`, …).
    pub kind: String,
    /// Identifier of the parent item; empty at the top.
    pub parent: String,
    /// Short title.
    pub title: String,
    /// What it asks for, in aims' own words.
    pub description: String,
    /// Documented-information duty.
    pub documented_information: String,
    /// Topics, evidence, records, guidance and the verify flag.
    pub details: serde_json::Value,
}

impl From<aims_app::catalogue::ItemRow> for CatalogItem {
    fn from(r: aims_app::catalogue::ItemRow) -> Self {
        CatalogItem {
            framework: r.framework,
            reference: r.reference,
            kind: r.kind,
            parent: r.parent,
            title: r.title,
            description: r.description,
            documented_information: r.documented_information,
            details: r.details,
        }
    }
}

/// What a catalogue item maps to in another framework.
#[derive(Serialize, ToSchema)]
pub struct Mapping {
    /// Crosswalk id.
    pub crosswalk: String,
    /// Framework of the other item.
    pub framework: String,
    /// The other item's identifier.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The other item's title.
    pub title: String,
    /// Relation (equivalent, subset, superset, related, …).
    pub relation: String,
    /// Source of the mapping.
    pub source: String,
    /// Note.
    pub note: String,
}

impl From<aims_app::catalogue::MappingRow> for Mapping {
    fn from(r: aims_app::catalogue::MappingRow) -> Self {
        Mapping {
            crosswalk: r.crosswalk,
            framework: r.framework,
            reference: r.reference,
            title: r.title,
            relation: r.relation,
            source: r.source,
            note: r.note,
        }
    }
}

/// One change of a record, from the hash-chained change log.
#[derive(Serialize, ToSchema)]
pub struct HistoryEntry {
    /// Position in the organization's chain.
    pub seq: i64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// `create`, `update` or `delete`.
    pub action: String,
    /// SHA-256 of the record's content after the change.
    pub content_hash: String,
    /// Hash of the entry.
    pub hash: String,
}

impl From<aims_app::integrity::HistoryEntry> for HistoryEntry {
    fn from(e: aims_app::integrity::HistoryEntry) -> Self {
        HistoryEntry {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            content_hash: e.content_hash,
            hash: e.hash,
        }
    }
}

/// The state of one change-log chain.
#[derive(Serialize, ToSchema)]
pub struct ChainSummary {
    /// Organization of the chain.
    pub org_id: String,
    /// Entries in the chain.
    pub entries: i64,
    /// Sequence number of the newest entry.
    pub head_seq: i64,
    /// Hash of the newest entry: record it to detect a rewritten history later.
    pub head_hash: String,
}

/// One problem found by verification.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    /// Chain it was found in.
    pub org_id: String,
    /// Entry concerned, if any.
    pub seq: Option<i64>,
    /// Record type concerned, if any.
    pub record_type: String,
    /// Record concerned, if any.
    pub record_id: String,
    /// What is wrong.
    pub message: String,
}

/// The result of verifying the organization's change log and records.
#[derive(Serialize, ToSchema)]
pub struct VerifyResult {
    /// True when the chain is unbroken and every record matches its latest entry.
    pub intact: bool,
    /// The chain verified, with its head.
    pub chains: Vec<ChainSummary>,
    /// Change-log entries checked.
    pub entries_checked: i64,
    /// Records checked.
    pub records_checked: i64,
    /// Problems found (empty when intact).
    pub problems: Vec<Problem>,
}

impl From<aims_app::integrity::VerifyReport> for VerifyResult {
    fn from(r: aims_app::integrity::VerifyReport) -> Self {
        VerifyResult {
            intact: r.intact(),
            chains: r
                .chains
                .into_iter()
                .map(|c| ChainSummary {
                    org_id: c.org_id,
                    entries: c.entries,
                    head_seq: c.head_seq,
                    head_hash: c.head_hash,
                })
                .collect(),
            entries_checked: r.entries_checked,
            records_checked: r.records_checked,
            problems: r
                .problems
                .into_iter()
                .map(|p| Problem {
                    org_id: p.org_id,
                    seq: p.seq,
                    record_type: p.record_type,
                    record_id: p.record_id,
                    message: p.message,
                })
                .collect(),
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
    pub also_covers: Vec<Mapping>,
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
            also_covers: v.also_covers.into_iter().map(Mapping::from).collect(),
        }
    }
}

/// The Statement of Applicability computed from the live records, compared with the latest approved version.
#[derive(Serialize, ToSchema)]
pub struct SoaState {
    /// One line per Annex A control, then the organization's own controls (only those matching the filters).
    pub entries: Vec<SoaEntry>,
    /// Counts over every line, whatever the filters.
    pub summary: SoaSummary,
    /// The treatment plan behind the lines: every risk a line refers to.
    pub risks: Vec<RiskSnapshot>,
    /// Number of the latest approved version; `null` when none was approved yet.
    pub approved_version: Option<i64>,
    /// What changed since the approved version (empty when there is none or nothing changed).
    pub drift: Vec<SoaChange>,
    /// Excluded controls that the organization's current AI systems make relevant.
    pub hints: Vec<ApplicabilityHint>,
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

/// A step of the guided impact-assessment form: one field of the assessment with its help text.
#[derive(Serialize, ToSchema)]
pub struct TemplateSection {
    /// Field of the assessment this step fills.
    pub field: String,
    /// Step title.
    pub title: String,
    /// What to write.
    pub help: String,
}

/// A question of a template beyond the assessment's own fields; its answer is kept under `answers` by id.
#[derive(Serialize, ToSchema)]
pub struct TemplateQuestion {
    /// Stable id, the key in the assessment's `answers`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// What to write.
    pub help: String,
    /// Legal provision the question answers; empty when none.
    pub provision: String,
}

/// An impact-assessment template (`default`, or `eu-fria` for the EU AI Act Art. 27 assessment).
#[derive(Serialize, ToSchema)]
pub struct ImpactTemplate {
    /// Stable id, the assessment's `template`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// When to use it.
    pub description: String,
    /// Provision the template implements; empty when none.
    pub provision: String,
    /// Steps of the guided form.
    pub sections: Vec<TemplateSection>,
    /// The template's own questions.
    pub questions: Vec<TemplateQuestion>,
}

/// Header of the classification questionnaire.
#[derive(Serialize, ToSchema)]
pub struct QuestionnaireInfo {
    /// Stable id.
    pub id: String,
    /// Framework whose provisions the questions cite (`eu-ai-act`).
    pub framework: String,
    /// Version of the content; a classification records the version it answered.
    pub version: i64,
    /// Title.
    pub title: String,
    /// What the questionnaire is for.
    pub description: String,
}

/// A section heading of the questionnaire.
#[derive(Serialize, ToSchema)]
pub struct QuestionnaireSection {
    /// Section id (`prohibited`, `product_safety`, `annex_iii`, `exception`, `fria`, `transparency`, `gpai`).
    pub id: String,
    /// Heading.
    pub title: String,
    /// What the section decides.
    pub help: String,
}

/// An option of a choice question.
#[derive(Serialize, ToSchema)]
pub struct QuestionOption {
    /// Value to send in the answers (`Annex III(4)`).
    pub value: String,
    /// Label for people.
    pub label: String,
    /// Provision cited when chosen; the question's provision when empty.
    pub provision: String,
    /// Reason recorded when chosen.
    pub reason: String,
    /// Choosing only such options does not lead to a fundamental rights impact assessment.
    pub excludes_fria: bool,
}

/// One question of the classification questionnaire.
#[derive(Serialize, ToSchema)]
pub struct QuestionnaireQuestion {
    /// Question id, the key of its answer.
    pub id: String,
    /// Section id.
    pub section: String,
    /// Provision the question is about.
    pub provision: String,
    /// `yes_no` (answer `true` or `false`) or `choice` (answer a list of option values).
    pub kind: String,
    /// The question.
    pub text: String,
    /// Help.
    pub help: String,
    /// Reason recorded when the answer is yes; empty for choice questions.
    pub reason: String,
    /// Special meaning inside the section (`overrides_exception`, `systemic_risk`); empty when none.
    pub effect: String,
    /// Options of a choice question (empty for yes/no questions).
    pub options: Vec<QuestionOption>,
}

/// One row of the obligations table.
#[derive(Serialize, ToSchema)]
pub struct QuestionnaireObligation {
    /// When the row applies (`always`, `prohibited`, `high_risk`, `exception`, `fria`, `gpai`, `gpai_systemic`,
    /// `transparency:<question id>`).
    pub applies_when: String,
    /// Organization roles the row binds.
    pub roles: Vec<String>,
    /// Provision.
    pub provision: String,
    /// What to do.
    pub note: String,
}

/// The EU AI Act classification questionnaire and its obligations table.
#[derive(Serialize, ToSchema)]
pub struct ClassificationQuestionnaire {
    /// Header.
    pub questionnaire: QuestionnaireInfo,
    /// Section headings, in order.
    pub sections: Vec<QuestionnaireSection>,
    /// Questions, in order.
    pub questions: Vec<QuestionnaireQuestion>,
    /// Obligations, in the order results list them.
    pub obligations: Vec<QuestionnaireObligation>,
}
