//! The endpoints of risk management, controls, the Statement of Applicability, impact assessments and EU AI Act
//! classification: (method, path template). Shared by `api` (the OpenAPI document lists exactly its endpoints and
//! these) and `api_risk` (which tests these in depth).

/// Every risk, control, SoA, impact and classification endpoint of the API.
pub const RISK_ENDPOINTS: &[(&str, &str)] = &[
    ("GET", "/api/v1/risk-method"),
    ("POST", "/api/v1/risk-method"),
    ("GET", "/api/v1/risk-method/versions"),
    ("GET", "/api/v1/risks"),
    ("POST", "/api/v1/risks"),
    ("GET", "/api/v1/risks/{id}"),
    ("PUT", "/api/v1/risks/{id}"),
    ("POST", "/api/v1/risks/{id}/assessments"),
    ("GET", "/api/v1/treatments"),
    ("POST", "/api/v1/treatments"),
    ("GET", "/api/v1/treatments/{id}"),
    ("PUT", "/api/v1/treatments/{id}"),
    ("POST", "/api/v1/treatments/{id}/acceptance"),
    ("GET", "/api/v1/controls"),
    ("GET", "/api/v1/controls/{control}"),
    ("PUT", "/api/v1/controls/{control}"),
    ("GET", "/api/v1/soa"),
    ("GET", "/api/v1/soa/versions"),
    ("POST", "/api/v1/soa/versions"),
    ("GET", "/api/v1/soa/versions/{number}"),
    ("GET", "/api/v1/soa/diff"),
    ("GET", "/api/v1/impact-assessments"),
    ("POST", "/api/v1/impact-assessments"),
    ("GET", "/api/v1/impact-assessments/{id}"),
    ("PUT", "/api/v1/impact-assessments/{id}"),
    ("POST", "/api/v1/impact-assessments/{id}/approval"),
    ("GET", "/api/v1/impact-templates"),
    ("GET", "/api/v1/classification-questionnaire"),
    ("GET", "/api/v1/ai-systems/{id}/classification"),
    ("PUT", "/api/v1/ai-systems/{id}/classification"),
    ("GET", "/api/v1/classifications"),
];
