//! What every signed-in page shows around its content: the user, the organization switcher, the navigation and
//! the CSRF token for the forms in the header.

use crate::assets;
use aims_app::auth::Session;

/// An organization the user can switch to.
pub struct OrgChoice {
    /// Organization id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether it is the current one.
    pub current: bool,
}

/// Layout data of a signed-in page.
pub struct Chrome {
    /// Signed-in user's name.
    pub user_name: String,
    /// Signed-in user's email.
    pub user_email: String,
    /// Role in the current organization.
    pub role: String,
    /// Current organization's name.
    pub org_name: String,
    /// Organizations for the switcher.
    pub orgs: Vec<OrgChoice>,
    /// CSRF token for forms.
    pub csrf: String,
    /// Navigation key of the current section (dashboard, systems, impacts, risks, soa, context, catalog, account).
    pub section: &'static str,
    /// Whether the role may change records.
    pub can_write: bool,
    /// Whether the role may approve on behalf of management (SoA, residual risk, impact assessments).
    pub can_approve: bool,
    /// Whether the role administers the organization (its members), so that the navigation offers the users page.
    pub can_administer: bool,
}

impl Chrome {
    /// Builds the layout data; organization names come from the store.
    pub async fn new(app: &aims_app::App, s: &Session, section: &'static str) -> Chrome {
        let orgs = app.organizations().await.unwrap_or_default();
        let choices: Vec<OrgChoice> = s
            .memberships
            .iter()
            .map(|(id, _)| OrgChoice {
                id: id.to_string(),
                name: orgs
                    .iter()
                    .find(|o| o.id.as_str() == id.as_str())
                    .map_or_else(|| id.to_string(), |o| o.data.name.clone()),
                current: *id == s.org_id,
            })
            .collect();
        Chrome {
            user_name: s.user.display_name.clone(),
            user_email: s.user.email.clone(),
            role: s.role.to_string(),
            org_name: choices
                .iter()
                .find(|c| c.current)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            orgs: choices,
            csrf: s.csrf_token.clone(),
            section,
            can_write: s.actor().require(aims_app::Permission::Write).is_ok(),
            can_approve: s.actor().require(aims_app::Permission::Approve).is_ok(),
            can_administer: s.actor().require(aims_app::Permission::Administer).is_ok(),
        }
    }

    /// Stylesheet URL.
    pub fn css(&self) -> String {
        assets::css_url()
    }
    /// htmx URL.
    pub fn htmx(&self) -> String {
        assets::htmx_url()
    }
    /// Behaviour script URL.
    pub fn app_js(&self) -> String {
        assets::app_js_url()
    }
}

/// Asset URLs for pages without a session (sign-in, errors).
pub fn css() -> String {
    assets::css_url()
}
