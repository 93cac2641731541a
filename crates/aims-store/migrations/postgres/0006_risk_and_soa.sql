-- aims schema, version 6: AI risk management, control implementations, the Statement of Applicability,
-- AI system impact assessments and EU AI Act classifications. Every table is an organization record table:
-- each write is logged in the hash-chained change log and checked by `aims verify`. Nested parts (scales,
-- assessments, tasks, reasons, impacts) are canonical JSON text.

CREATE TABLE risk_methods (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    number BIGINT NOT NULL,
    name TEXT NOT NULL,
    likelihood TEXT NOT NULL,
    impact TEXT NOT NULL,
    levels TEXT NOT NULL,
    matrix TEXT NOT NULL,
    impact_dimensions TEXT NOT NULL,
    appetite TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE UNIQUE INDEX risk_methods_org_number ON risk_methods (org_id, number);

CREATE TABLE risks (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    system_ids TEXT NOT NULL,
    sources TEXT NOT NULL,
    objectives TEXT NOT NULL,
    owner TEXT NOT NULL,
    review_date TEXT NOT NULL,
    status TEXT NOT NULL,
    raised_from TEXT NOT NULL,
    assessments TEXT NOT NULL
);
CREATE INDEX risks_org ON risks (org_id, id COLLATE "C");

CREATE TABLE treatments (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    risk_id TEXT NOT NULL,
    option TEXT NOT NULL,
    description TEXT NOT NULL,
    controls TEXT NOT NULL,
    tasks TEXT NOT NULL,
    status TEXT NOT NULL,
    acceptance TEXT NOT NULL
);
CREATE INDEX treatments_org ON treatments (org_id, id COLLATE "C");
CREATE INDEX treatments_org_risk ON treatments (org_id, risk_id COLLATE "C");

CREATE TABLE control_implementations (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    control TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    owner TEXT NOT NULL,
    description TEXT NOT NULL,
    justification TEXT NOT NULL,
    reasons TEXT NOT NULL,
    inherited TEXT NOT NULL,
    evidence TEXT NOT NULL,
    target_date TEXT NOT NULL
);
CREATE UNIQUE INDEX control_implementations_org_control ON control_implementations (org_id, control);
CREATE INDEX control_implementations_org ON control_implementations (org_id, id COLLATE "C");

CREATE TABLE impact_assessments (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    system_id TEXT NOT NULL,
    system_version TEXT NOT NULL,
    template TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    scope TEXT NOT NULL,
    system_info TEXT NOT NULL,
    data_info TEXT NOT NULL,
    model_info TEXT NOT NULL,
    deployment_context TEXT NOT NULL,
    affected TEXT NOT NULL,
    impacts TEXT NOT NULL,
    human_oversight TEXT NOT NULL,
    answers TEXT NOT NULL,
    triggers TEXT NOT NULL,
    next_review TEXT NOT NULL,
    approval TEXT NOT NULL
);
CREATE INDEX impact_assessments_org ON impact_assessments (org_id, id COLLATE "C");
CREATE INDEX impact_assessments_org_system ON impact_assessments (org_id, system_id COLLATE "C");

CREATE TABLE soa_versions (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    number BIGINT NOT NULL,
    approved_by TEXT NOT NULL,
    approver_role TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    note TEXT NOT NULL,
    summary TEXT NOT NULL,
    entries TEXT NOT NULL,
    risks TEXT NOT NULL
);
CREATE UNIQUE INDEX soa_versions_org_number ON soa_versions (org_id, number);

CREATE TABLE classifications (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    system_id TEXT NOT NULL,
    role TEXT NOT NULL,
    questionnaire_version BIGINT NOT NULL,
    answers TEXT NOT NULL,
    result TEXT NOT NULL,
    assessor TEXT NOT NULL
);
CREATE UNIQUE INDEX classifications_org_system ON classifications (org_id, system_id);
