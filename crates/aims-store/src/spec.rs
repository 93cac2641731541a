//! The tables of the store, described once. Generic code (record writes, verify, backup, restore) reads these
//! descriptions; a test checks that the migrated schema of both databases matches them column for column.

use crate::value::{Column, Kind};

/// What a table holds, which decides how generic code treats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// Organization records: every write is logged, every row is checked by `verify`.
    Record,
    /// The change log itself.
    Log,
    /// Chain heads (one row per organization chain).
    Head,
    /// Framework catalogue content, loaded from the content packs.
    Catalog,
    /// Security state (sessions, sign-in throttling): not logged, not backed up.
    Ephemeral,
    /// The content of each record version the change log names (for history with changes): backed up with the
    /// log, not itself logged.
    Versions,
}

/// One table.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// Table name in both databases.
    pub name: &'static str,
    /// Record type name as it appears in the change log (`ai_system`); empty for non-record tables.
    pub record_type: &'static str,
    /// What the table holds.
    pub kind: TableKind,
    /// Every column, in the order used for reads, writes and canonical hashing.
    pub columns: &'static [Column],
}

impl TableSpec {
    /// Position of a column, if the table has it.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Comma-separated column list for SELECT and INSERT.
    pub fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The values the database derives from this table's stored columns (see [`Derived`]); empty for most.
    pub fn derived(&self) -> &'static [Derived] {
        match self.name {
            "risks" => RISK_DERIVED,
            "interested_parties" => PARTY_DERIVED,
            "impact_assessments" => IMPACT_DERIVED,
            _ => &[],
        }
    }

    /// The data columns of a record table: every column after the system columns.
    pub fn data_columns(&self) -> &'static [Column] {
        if self.kind == TableKind::Record {
            &self.columns[SYSTEM_COLUMNS..]
        } else {
            self.columns
        }
    }
}

/// A value computed by the database from a record's stored columns when it is read, never stored itself: list
/// filters, orders and aggregate queries name it like a column, so a register can be filtered, sorted and
/// counted by a field that lives inside a JSON column (a risk's latest scores) without reading every record.
/// The SQL is fixed text of this file, one expression per backend; no caller text reaches it.
#[derive(Debug, Clone, Copy)]
pub struct Derived {
    /// Name used in queries in place of a column name.
    pub name: &'static str,
    /// Kind of the value (`OptInt` where a record may have none).
    pub kind: Kind,
    /// The expression on SQLite.
    pub sqlite: &'static str,
    /// The expression on PostgreSQL (JSON columns are text there too, cast to `jsonb` to be read).
    pub postgres: &'static str,
}

/// The latest assessment of a risk is the last element of its `assessments` array (kept in date order).
const RISK_DERIVED: &[Derived] = &[
    Derived {
        name: "inherent_likelihood",
        kind: Kind::OptInt,
        sqlite: "json_extract(assessments, '$[#-1].inherent.likelihood')",
        postgres: "(assessments::jsonb -> -1 -> 'inherent' ->> 'likelihood')::bigint",
    },
    Derived {
        name: "inherent_impact",
        kind: Kind::OptInt,
        sqlite: "json_extract(assessments, '$[#-1].inherent.impact')",
        postgres: "(assessments::jsonb -> -1 -> 'inherent' ->> 'impact')::bigint",
    },
    Derived {
        name: "residual_likelihood",
        kind: Kind::OptInt,
        sqlite: "json_extract(assessments, '$[#-1].residual.likelihood')",
        postgres: "(assessments::jsonb -> -1 -> 'residual' ->> 'likelihood')::bigint",
    },
    Derived {
        name: "residual_impact",
        kind: Kind::OptInt,
        sqlite: "json_extract(assessments, '$[#-1].residual.impact')",
        postgres: "(assessments::jsonb -> -1 -> 'residual' ->> 'impact')::bigint",
    },
    Derived {
        name: "inherent_level",
        kind: Kind::Text,
        sqlite: "COALESCE(json_extract(assessments, '$[#-1].levels.inherent'), '')",
        postgres: "COALESCE(assessments::jsonb -> -1 -> 'levels' ->> 'inherent', '')",
    },
    Derived {
        name: "residual_level",
        kind: Kind::Text,
        sqlite: "COALESCE(json_extract(assessments, '$[#-1].levels.residual'), '')",
        postgres: "COALESCE(assessments::jsonb -> -1 -> 'levels' ->> 'residual', '')",
    },
];

/// The name of the AI system an impact assessment is about, read from the same organization's inventory.
const IMPACT_DERIVED: &[Derived] = &[Derived {
    name: "system_name",
    kind: Kind::Text,
    sqlite: "COALESCE((SELECT s.name FROM ai_systems s WHERE s.id = impact_assessments.system_id \
             AND s.org_id = impact_assessments.org_id), '')",
    postgres: "COALESCE((SELECT s.name FROM ai_systems s WHERE s.id = impact_assessments.system_id \
               AND s.org_id = impact_assessments.org_id), '')",
}];

/// How many of an interested party's requirements are not addressed yet.
const PARTY_DERIVED: &[Derived] = &[Derived {
    name: "requirements_open",
    kind: Kind::Int,
    sqlite: "(SELECT COUNT(*) FROM json_each(requirements) \
             WHERE json_extract(json_each.value, '$.addressed') = 0)",
    postgres: "(SELECT COUNT(*) FROM jsonb_array_elements(requirements::jsonb) AS r(v) \
               WHERE r.v ->> 'addressed' = 'false')",
}];

/// Number of system columns every record table starts with: id, org_id, version, created_at, updated_at.
pub const SYSTEM_COLUMNS: usize = 5;

/// A column of the given name and kind: the tables below, and reads of a few columns or of computed values.
pub(crate) const fn c(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

macro_rules! record_table {
    ($const:ident, $table:literal, $rtype:literal, [$($col:expr),* $(,)?]) => {
        #[doc = concat!("Records of type `", $rtype, "` in table `", $table, "`.")]
        pub const $const: TableSpec = TableSpec {
            name: $table,
            record_type: $rtype,
            kind: TableKind::Record,
            columns: &[
                c("id", Kind::Text),
                c("org_id", Kind::Text),
                c("version", Kind::Int),
                c("created_at", Kind::Int),
                c("updated_at", Kind::Int),
                $($col),*
            ],
        };
    };
}

use Kind::{Bool, Int, Json, OptInt, Text};

record_table!(
    ORGANIZATIONS,
    "organizations",
    "organization",
    [
        c("name", Text),
        c("slug", Text),
        c("legal_name", Text),
        c("sector", Text),
        c("size", Text),
        c("jurisdictions", Json),
        c("description", Text),
        c("ai_roles", Json),
        c("website", Text),
    ]
);

record_table!(
    USERS,
    "users",
    "user",
    [
        c("email", Text),
        c("display_name", Text),
        c("password_hash", Text),
        c("disabled", Bool),
    ]
);

record_table!(
    MEMBERSHIPS,
    "memberships",
    "membership",
    [c("user_id", Text), c("role", Text),]
);

record_table!(
    SCOPE_VERSIONS,
    "scope_versions",
    "scope_version",
    [
        c("number", Int),
        c("status", Text),
        c("statement", Text),
        c("boundaries", Text),
        c("exclusions", Text),
        c("approved_by", Text),
        c("approved_at", Text),
        c("approval_note", Text),
    ]
);

record_table!(
    CONTEXT_ISSUES,
    "context_issues",
    "context_issue",
    [
        c("kind", Text),
        c("title", Text),
        c("description", Text),
        c("category", Text),
        c("climate_related", Bool),
    ]
);

record_table!(
    INTERESTED_PARTIES,
    "interested_parties",
    "interested_party",
    [
        c("name", Text),
        c("category", Text),
        c("description", Text),
        c("requirements", Json),
    ]
);

record_table!(
    SUPPLIERS,
    "suppliers",
    "supplier",
    [
        c("name", Text),
        c("description", Text),
        c("website", Text),
        c("contact", Text),
        c("certifications", Json),
    ]
);

record_table!(
    CUSTOM_FIELDS,
    "custom_fields",
    "custom_field",
    [
        c("key", Text),
        c("label", Text),
        c("kind", Text),
        c("choices", Json),
        c("required", Bool),
        c("description", Text),
    ]
);

record_table!(
    AI_SYSTEMS,
    "ai_systems",
    "ai_system",
    [
        c("name", Text),
        c("purpose", Text),
        c("intended_use", Text),
        c("foreseeable_misuse", Text),
        c("owner", Text),
        c("business_unit", Text),
        c("lifecycle_stage", Text),
        c("org_role", Text),
        c("in_scope", Bool),
        c("automation_level", Text),
        c("human_oversight", Text),
        c("oversight_notes", Text),
        c("affected_parties", Json),
        c("data_resources", Json),
        c("models", Json),
        c("tooling", Json),
        c("compute", Json),
        c("people", Json),
        c("components", Json),
        c("custom_fields", Json),
        c("retired_on", Text),
        c("retired_reason", Text),
    ]
);

record_table!(
    RISK_METHODS,
    "risk_methods",
    "risk_method",
    [
        c("number", Int),
        c("name", Text),
        c("likelihood", Json),
        c("impact", Json),
        c("levels", Json),
        c("matrix", Json),
        c("impact_dimensions", Json),
        c("appetite", Text),
        c("note", Text),
    ]
);

record_table!(
    RISKS,
    "risks",
    "risk",
    [
        c("title", Text),
        c("description", Text),
        c("system_ids", Json),
        c("sources", Json),
        c("objectives", Json),
        c("owner", Text),
        c("review_date", Text),
        c("status", Text),
        c("raised_from", Json),
        c("assessments", Json),
    ]
);

record_table!(
    TREATMENTS,
    "treatments",
    "treatment",
    [
        c("risk_id", Text),
        c("option", Text),
        c("description", Text),
        c("controls", Json),
        c("tasks", Json),
        c("status", Text),
        c("acceptance", Json),
    ]
);

record_table!(
    CONTROL_IMPLEMENTATIONS,
    "control_implementations",
    "control_implementation",
    [
        c("control", Text),
        c("title", Text),
        c("status", Text),
        c("owner", Text),
        c("description", Text),
        c("justification", Text),
        c("reasons", Json),
        c("inherited", Json),
        c("evidence", Json),
        c("target_date", Text),
    ]
);

record_table!(
    IMPACT_ASSESSMENTS,
    "impact_assessments",
    "impact_assessment",
    [
        c("system_id", Text),
        c("system_version", Text),
        c("template", Text),
        c("title", Text),
        c("status", Text),
        c("scope", Text),
        c("system_info", Text),
        c("data_info", Text),
        c("model_info", Text),
        c("deployment_context", Text),
        c("affected", Json),
        c("impacts", Json),
        c("human_oversight", Text),
        c("answers", Json),
        c("triggers", Json),
        c("next_review", Text),
        c("approval", Json),
    ]
);

record_table!(
    SOA_VERSIONS,
    "soa_versions",
    "soa_version",
    [
        c("number", Int),
        c("approved_by", Text),
        c("approver_role", Text),
        c("approved_at", Text),
        c("note", Text),
        c("summary", Json),
        c("entries", Json),
        c("risks", Json),
    ]
);

record_table!(
    CLASSIFICATIONS,
    "classifications",
    "classification",
    [
        c("system_id", Text),
        c("role", Text),
        c("questionnaire_version", Int),
        c("answers", Json),
        c("result", Json),
        c("assessor", Text),
    ]
);

/// The hash-chained change log.
pub const CHANGE_LOG: TableSpec = TableSpec {
    name: "change_log",
    record_type: "",
    kind: TableKind::Log,
    columns: &[
        c("org_id", Text),
        c("seq", Int),
        c("at", Int),
        c("actor", Text),
        c("action", Text),
        c("record_type", Text),
        c("record_id", Text),
        c("content_hash", Text),
        c("prev_hash", Text),
        c("hash", Text),
    ],
};

/// The content of each record version, keyed by its change-log entry.
pub const RECORD_VERSIONS: TableSpec = TableSpec {
    name: "record_versions",
    record_type: "",
    kind: TableKind::Versions,
    columns: &[c("org_id", Text), c("seq", Int), c("content", Text)],
};

/// The head (last sequence number and hash) of each chain.
pub const CHAIN_HEADS: TableSpec = TableSpec {
    name: "chain_heads",
    record_type: "",
    kind: TableKind::Head,
    columns: &[c("org_id", Text), c("seq", Int), c("hash", Text)],
};

/// Frameworks loaded from the content packs.
pub const CATALOG_FRAMEWORKS: TableSpec = TableSpec {
    name: "catalog_frameworks",
    record_type: "",
    kind: TableKind::Catalog,
    columns: &[
        c("id", Text),
        c("name", Text),
        c("title", Text),
        c("publisher", Text),
        c("version", Text),
        c("pack_version", Int),
        c("source", Text),
        c("description", Text),
        c("pack_sha256", Text),
    ],
};

/// Requirements, controls and other items of each framework.
pub const CATALOG_ITEMS: TableSpec = TableSpec {
    name: "catalog_items",
    record_type: "",
    kind: TableKind::Catalog,
    columns: &[
        c("framework_id", Text),
        c("ref", Text),
        c("position", Int),
        c("kind", Text),
        c("parent", Text),
        c("title", Text),
        c("description", Text),
        c("documented_information", Text),
        c("details", Json),
    ],
};

/// Crosswalks between frameworks.
pub const CATALOG_CROSSWALKS: TableSpec = TableSpec {
    name: "catalog_crosswalks",
    record_type: "",
    kind: TableKind::Catalog,
    columns: &[
        c("id", Text),
        c("from_framework", Text),
        c("to_framework", Text),
        c("pack_version", Int),
        c("source", Text),
        c("description", Text),
        c("pack_sha256", Text),
    ],
};

/// Individual mappings of each crosswalk.
pub const CATALOG_MAPPINGS: TableSpec = TableSpec {
    name: "catalog_mappings",
    record_type: "",
    kind: TableKind::Catalog,
    columns: &[
        c("crosswalk_id", Text),
        c("position", Int),
        c("from_ref", Text),
        c("to_ref", Text),
        c("relation", Text),
        c("source", Text),
        c("note", Text),
    ],
};

/// Sign-in sessions (only the SHA-256 of each session token is stored).
pub const SESSIONS: TableSpec = TableSpec {
    name: "sessions",
    record_type: "",
    kind: TableKind::Ephemeral,
    columns: &[
        c("token_hash", Text),
        c("user_id", Text),
        c("org_id", Text),
        c("csrf_token", Text),
        c("created_at", Int),
        c("last_seen_at", Int),
        c("expires_at", Int),
    ],
};

/// Failed sign-in counters and lock-outs, per email.
pub const LOGIN_THROTTLE: TableSpec = TableSpec {
    name: "login_throttle",
    record_type: "",
    kind: TableKind::Ephemeral,
    columns: &[
        c("email", Text),
        c("failures", Int),
        c("locked_until", Int),
        c("updated_at", Int),
    ],
};

/// Personal API tokens for scripts (only the SHA-256 of each token is stored).
pub const API_TOKENS: TableSpec = TableSpec {
    name: "api_tokens",
    record_type: "",
    kind: TableKind::Ephemeral,
    columns: &[
        c("id", Text),
        c("user_id", Text),
        c("org_id", Text),
        c("name", Text),
        c("token_hash", Text),
        c("prefix", Text),
        c("created_at", Int),
        c("expires_at", Int),
        c("last_used_at", OptInt),
        c("revoked_at", OptInt),
    ],
};

/// Declares the list of record tables and the list of every table from one list of names, so that a new record
/// table cannot be missing from either.
macro_rules! table_lists {
    (records: [$($record:ident),* $(,)?], others: [$($other:ident),* $(,)?] $(,)?) => {
        /// Every record table, in the order backup writes and restore reads them.
        pub const RECORD_TABLES: &[TableSpec] = &[$($record),*];

        /// Every table of the store.
        pub const ALL_TABLES: &[TableSpec] = &[$($record,)* $($other),*];
    };
}

table_lists!(
    records: [
        ORGANIZATIONS,
        USERS,
        MEMBERSHIPS,
        SCOPE_VERSIONS,
        CONTEXT_ISSUES,
        INTERESTED_PARTIES,
        SUPPLIERS,
        CUSTOM_FIELDS,
        AI_SYSTEMS,
        RISK_METHODS,
        RISKS,
        TREATMENTS,
        CONTROL_IMPLEMENTATIONS,
        IMPACT_ASSESSMENTS,
        SOA_VERSIONS,
        CLASSIFICATIONS,
    ],
    others: [
        CHANGE_LOG,
        RECORD_VERSIONS,
        CHAIN_HEADS,
        CATALOG_FRAMEWORKS,
        CATALOG_ITEMS,
        CATALOG_CROSSWALKS,
        CATALOG_MAPPINGS,
        SESSIONS,
        LOGIN_THROTTLE,
        API_TOKENS,
    ],
);

/// The record table for a change-log record type.
pub fn by_record_type(record_type: &str) -> Option<&'static TableSpec> {
    RECORD_TABLES.iter().find(|t| t.record_type == record_type)
}
