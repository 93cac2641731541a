-- aims schema, version 1: organizations, users, AIMS context, AI system inventory, change log, catalogue.
-- Kept in lockstep with the PostgreSQL migration of the same number (a test compares the two schemas).

CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    legal_name TEXT NOT NULL,
    sector TEXT NOT NULL,
    size TEXT NOT NULL,
    jurisdictions TEXT NOT NULL,
    description TEXT NOT NULL,
    ai_roles TEXT NOT NULL,
    website TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX organizations_slug ON organizations (slug);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL CHECK (disabled IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE memberships (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    role TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX memberships_org_user ON memberships (org_id, user_id);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE scope_versions (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    number INTEGER NOT NULL,
    status TEXT NOT NULL,
    statement TEXT NOT NULL,
    boundaries TEXT NOT NULL,
    exclusions TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    approval_note TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX scope_versions_org_number ON scope_versions (org_id, number);

CREATE TABLE context_issues (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    climate_related INTEGER NOT NULL CHECK (climate_related IN (0, 1))
) STRICT;
CREATE INDEX context_issues_org ON context_issues (org_id, id);

CREATE TABLE interested_parties (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    requirements TEXT NOT NULL
) STRICT;
CREATE INDEX interested_parties_org ON interested_parties (org_id, id);

CREATE TABLE suppliers (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    website TEXT NOT NULL,
    contact TEXT NOT NULL,
    certifications TEXT NOT NULL
) STRICT;
CREATE INDEX suppliers_org ON suppliers (org_id, id);

CREATE TABLE custom_fields (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    choices TEXT NOT NULL,
    required INTEGER NOT NULL CHECK (required IN (0, 1)),
    description TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX custom_fields_org_key ON custom_fields (org_id, key);

CREATE TABLE ai_systems (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    intended_use TEXT NOT NULL,
    foreseeable_misuse TEXT NOT NULL,
    owner TEXT NOT NULL,
    business_unit TEXT NOT NULL,
    lifecycle_stage TEXT NOT NULL,
    org_role TEXT NOT NULL,
    in_scope INTEGER NOT NULL CHECK (in_scope IN (0, 1)),
    automation_level TEXT NOT NULL,
    human_oversight TEXT NOT NULL,
    oversight_notes TEXT NOT NULL,
    affected_parties TEXT NOT NULL,
    data_resources TEXT NOT NULL,
    models TEXT NOT NULL,
    tooling TEXT NOT NULL,
    compute TEXT NOT NULL,
    people TEXT NOT NULL,
    components TEXT NOT NULL,
    custom_fields TEXT NOT NULL,
    retired_on TEXT NOT NULL,
    retired_reason TEXT NOT NULL
) STRICT;
CREATE INDEX ai_systems_org_id ON ai_systems (org_id, id);
CREATE INDEX ai_systems_org_name ON ai_systems (org_id, name, id);
CREATE INDEX ai_systems_org_stage ON ai_systems (org_id, lifecycle_stage, id);

CREATE TABLE change_log (
    org_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (org_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX change_log_record ON change_log (org_id, record_type, record_id, seq);

CREATE TABLE chain_heads (
    org_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE catalog_frameworks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    publisher TEXT NOT NULL,
    version TEXT NOT NULL,
    pack_version INTEGER NOT NULL,
    source TEXT NOT NULL,
    description TEXT NOT NULL,
    pack_sha256 TEXT NOT NULL
) STRICT;

CREATE TABLE catalog_items (
    framework_id TEXT NOT NULL,
    ref TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    parent TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    documented_information TEXT NOT NULL,
    details TEXT NOT NULL,
    PRIMARY KEY (framework_id, ref)
) STRICT;
CREATE INDEX catalog_items_position ON catalog_items (framework_id, position);

CREATE TABLE catalog_crosswalks (
    id TEXT PRIMARY KEY,
    from_framework TEXT NOT NULL,
    to_framework TEXT NOT NULL,
    pack_version INTEGER NOT NULL,
    source TEXT NOT NULL,
    description TEXT NOT NULL,
    pack_sha256 TEXT NOT NULL
) STRICT;

CREATE TABLE catalog_mappings (
    crosswalk_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    from_ref TEXT NOT NULL,
    to_ref TEXT NOT NULL,
    relation TEXT NOT NULL,
    source TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (crosswalk_id, from_ref, to_ref)
) STRICT;
CREATE INDEX catalog_mappings_to ON catalog_mappings (to_ref);
CREATE INDEX catalog_mappings_from ON catalog_mappings (from_ref);
