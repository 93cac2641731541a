//! Command-line grammar: `aims <noun> <verb>`, global options for the store, the organization and the format.

use crate::args_record::{KitFields as Fields, KitNoun, RecordCmd};
use crate::out::Format;
use aims_app::RecordId;
use aims_domain::context::{InterestedParty, Supplier};
use aims_domain::inventory::AiSystem;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// aims — an AI management system for ISO/IEC 42001:2023.
#[derive(Debug, Parser)]
#[command(name = "aims", version, about, propagate_version = true)]
pub struct Cli {
    /// The store: a SQLite file path (default aims.db in the working directory) or a postgres:// URL.
    #[arg(
        long,
        global = true,
        env = "AIMS_DATABASE_URL",
        default_value = "aims.db",
        hide_env_values = true
    )]
    pub database: String,
    /// Organization to act on (slug or id); may be left out when the store holds only one.
    #[arg(long, global = true, env = "AIMS_ORG")]
    pub org: Option<String>,
    /// Output format of read commands.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new store with a first organization and its admin user.
    Init(InitArgs),
    /// Apply pending schema migrations and load the catalogue, then exit.
    Migrate,
    /// Run the web application (and, with --demo, create the demo organization in an empty store).
    Serve(ServeArgs),
    /// Browse the framework catalogue (ISO/IEC 42001, NIST AI RMF, EU AI Act) and its crosswalks.
    #[command(subcommand)]
    Catalog(CatalogCmd),
    /// Organizations of this installation and their profile (4.1).
    #[command(subcommand)]
    Org(OrgCmd),
    /// Users and their roles in the organization.
    #[command(subcommand)]
    User(UserCmd),
    /// The AIMS scope statement, versioned (4.3).
    #[command(subcommand)]
    Scope(ScopeCmd),
    /// The nouns of the kit record types without subcommands of their own: `issue`, `field`, ...
    #[command(flatten)]
    Kit(KitNoun),
    /// Interested parties and their requirements (4.2).
    #[command(subcommand)]
    Party(RecordCmd<InterestedParty, PartyExtra>),
    /// Suppliers of AI systems, models, data and services, with their certificates.
    #[command(subcommand)]
    Supplier(RecordCmd<Supplier, SupplierExtra>),
    /// The AI system inventory.
    #[command(subcommand)]
    System(SystemCmd),
    /// Show the change history of any record: `aims history ai_system ID`.
    History(HistoryArgs),
    /// Check that the change log is unbroken and every record matches it (all chains, or --org's); exit 1 when not.
    Verify(VerifyArgs),
    /// Write the whole store, change log included, to a backup file.
    Backup(BackupArgs),
    /// Restore a backup file into a new, empty store (SQLite or PostgreSQL).
    Restore(RestoreArgs),
    /// Personal API tokens for scripts calling /api/v1 (the token is shown once, at creation).
    #[command(subcommand)]
    Token(TokenCmd),
    /// The AI risk register, re-assessments and the risk method (6.1.2, 8.2).
    #[command(subcommand)]
    Risk(crate::args_risk::RiskCmd),
    /// Risk treatment plans and residual-risk acceptance (6.1.3, 8.3).
    #[command(subcommand)]
    Treatment(crate::args_risk::TreatmentCmd),
    /// How the organization implements Annex A and its own controls.
    #[command(subcommand)]
    Control(crate::args_risk::ControlCmd),
    /// AI system impact assessments (6.1.4, 8.4), including the EU AI Act Art. 27 template.
    #[command(subcommand)]
    Impact(crate::args_risk::ImpactCmd),
    /// Classify an AI system under the EU AI Act, or show its classification.
    Classify(crate::args_risk::ClassifyArgs),
    /// The Statement of Applicability: computed, approved versions, diff and drift.
    #[command(subcommand)]
    Soa(crate::args_risk::SoaCmd),
}

/// API token commands.
#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Create a token for a user in the organization (--org); prints the token once.
    Create {
        /// Email of the user the token acts as (with their role in the organization).
        #[arg(long)]
        user: String,
        /// Name that says what the token is for ("CI pipeline").
        #[arg(long)]
        name: String,
        /// Days until it expires: 1 to 365.
        #[arg(long)]
        days: Option<i64>,
    },
    /// List a user's tokens in every organization (never the tokens themselves).
    List {
        /// Email of the user.
        #[arg(long)]
        user: String,
    },
    /// Revoke a token by id; requests with it are refused from then on.
    Revoke {
        /// Token id (from `aims token list`).
        id: RecordId,
    },
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "AIMS_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Create the store if needed and fill an empty one with the demo organization.
    #[arg(long)]
    pub demo: bool,
    /// Mark cookies Secure (set this when aims is served over TLS, e.g. behind a reverse proxy).
    #[arg(long, env = "AIMS_SECURE_COOKIES")]
    pub secure_cookies: bool,
}

/// Options of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Name of the first organization.
    #[arg(long, default_value = "My organization")]
    pub org_name: String,
    /// Slug of the first organization (derived from the name when left out).
    #[arg(long)]
    pub org_slug: Option<String>,
    /// Email of the first admin user.
    #[arg(long, default_value = "admin@example.com")]
    pub admin_email: String,
    /// Display name of the first admin user.
    #[arg(long, default_value = "Administrator")]
    pub admin_name: String,
    /// Read the admin password from this environment variable instead of generating one.
    #[arg(long, default_value = "AIMS_ADMIN_PASSWORD")]
    pub password_env: String,
}

/// Catalogue commands.
#[derive(Debug, Subcommand)]
pub enum CatalogCmd {
    /// List the frameworks.
    Frameworks,
    /// List a framework's requirements (clauses, articles, subcategories).
    Requirements(FrameworkArg),
    /// List a framework's controls (ISO/IEC 42001 Annex A).
    Controls(FrameworkArg),
    /// List every item of a framework, of one kind or all.
    Items {
        /// Framework id.
        #[arg(long)]
        framework: String,
        /// Only items of this kind.
        #[arg(long)]
        kind: Option<String>,
    },
    /// Show one item with its guidance.
    Show(ItemArg),
    /// Show what an item maps to in the other frameworks.
    Map(ItemArg),
}

/// A framework id.
#[derive(Debug, Args)]
pub struct FrameworkArg {
    /// Framework id: iso42001, nist-ai-rmf or eu-ai-act.
    #[arg(long)]
    pub framework: String,
}

/// An item ref, optionally qualified by framework.
#[derive(Debug, Args)]
pub struct ItemArg {
    /// Item identifier, e.g. A.6.2.4, "GOVERN 1.1", "Art. 27".
    pub id: String,
    /// Framework of the item (needed only when the id exists in several).
    #[arg(long)]
    pub framework: Option<String>,
}

/// Organization commands.
#[derive(Debug, Subcommand)]
pub enum OrgCmd {
    /// List organizations.
    List,
    /// Show the organization profile.
    Show,
    /// Create another organization.
    Add {
        /// Name.
        #[arg(long)]
        name: String,
        /// Slug (derived from the name when left out).
        #[arg(long)]
        slug: Option<String>,
        /// Email of an existing user who becomes its admin.
        #[arg(long)]
        admin: Option<String>,
    },
    /// Change the organization profile (only the given fields change).
    Update(OrgUpdate),
    /// Show the profile's change history.
    History,
    /// Import an organization document (JSON, see docs/import.md) into the organization, or a new one.
    Import(crate::cmd_import::ImportArgs),
}

/// Profile fields of `org update`; each serializes under the name of the profile field it sets (`input::Flags`).
#[derive(Debug, Args, serde::Serialize)]
pub struct OrgUpdate {
    /// JSON or TOML file with profile fields.
    #[serde(skip)]
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Display name.
    #[arg(long)]
    pub name: Option<String>,
    /// Slug.
    #[arg(long)]
    pub slug: Option<String>,
    /// Registered legal name.
    #[arg(long)]
    pub legal_name: Option<String>,
    /// Sector.
    #[arg(long)]
    pub sector: Option<String>,
    /// Size band or head count.
    #[arg(long)]
    pub size: Option<String>,
    /// Jurisdiction (repeatable; replaces the list).
    #[arg(long = "jurisdiction")]
    pub jurisdictions: Vec<String>,
    /// AI role the organization plays (repeatable; replaces the list): provider, developer, deployer, importer,
    /// distributor, user.
    #[arg(long = "ai-role")]
    pub ai_roles: Vec<String>,
    /// Description.
    #[arg(long)]
    pub description: Option<String>,
    /// Web site.
    #[arg(long)]
    pub website: Option<String>,
    /// Refuse the change unless the profile is still at this version.
    #[serde(skip)]
    #[arg(long)]
    pub if_version: Option<i64>,
}

/// User commands.
#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add a user to the organization with a role (creating the user when new).
    Add {
        /// Email.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Role: admin, manager, contributor, auditor or viewer.
        #[arg(long)]
        role: String,
        /// Environment variable holding the password (generated and printed once when unset).
        #[arg(long, default_value = "AIMS_USER_PASSWORD")]
        password_env: String,
    },
    /// List the organization's members.
    List,
    /// Give a member another role (the organization keeps at least one admin).
    Role {
        /// The member's email.
        email: String,
        /// The new role: admin, manager, contributor, auditor or viewer.
        #[arg(long)]
        role: String,
    },
    /// Remove a member from the organization; the user keeps their other memberships.
    Remove {
        /// The member's email.
        email: String,
    },
}

/// Scope commands.
#[derive(Debug, Subcommand)]
pub enum ScopeCmd {
    /// Show the approved scope statement and any pending draft.
    Show,
    /// Write the draft scope statement (creates the next version, or edits the pending draft).
    Draft {
        /// The scope statement.
        #[arg(long)]
        statement: String,
        /// Units, sites, activities and AI systems covered.
        #[arg(long, default_value = "")]
        boundaries: String,
        /// What is left out, and why.
        #[arg(long, default_value = "")]
        exclusions: String,
        /// Refuse unless the pending draft is still at this version.
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// Approve the pending draft; the previous approved version is kept as superseded.
    Approve {
        /// Remark recorded with the approval.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// List every version.
    Versions,
    /// Show the change history of one version.
    History {
        /// Scope version id.
        id: RecordId,
    },
}

/// How the help of a shared argument struct names the record it acts on ("Risk id"; without a closing period,
/// as clap shows a one-line doc comment).
pub trait Wording {
    /// Help of the record id.
    const ID: &'static str;
    /// Help of `--if-version`.
    const IF_VERSION: &'static str;
}

/// `NOUN update ID [FIELDS] [--if-version N]`: the arguments the hand-written updates share, worded by the
/// fields `F`.
#[derive(Debug, Args)]
pub struct Change<F: Args + Wording> {
    /// Record id.
    #[arg(help = F::ID)]
    pub id: RecordId,
    /// Fields to change.
    #[command(flatten)]
    pub fields: F,
    /// Refuse the change unless the record is still at this version.
    #[arg(long, help = F::IF_VERSION)]
    pub if_version: Option<i64>,
}

/// An id argument.
#[derive(Debug, Args)]
pub struct IdArg {
    /// Record id.
    pub id: RecordId,
}

/// The subcommands of `aims party` beside the generic ones.
#[derive(Debug, Subcommand)]
pub enum PartyExtra {
    /// Add a requirement to a party.
    Require {
        /// Party id.
        id: RecordId,
        /// The requirement.
        #[arg(long)]
        text: String,
        /// legal, regulatory, contractual, societal or voluntary.
        #[arg(long)]
        source: String,
        /// Whether the AIMS addresses it: true or false.
        #[arg(long)]
        addressed: bool,
        /// How it is addressed, or why not.
        #[arg(long, default_value = "")]
        how: String,
        /// Control that answers it (A.5.4 or an own control id); repeat for several. Each becomes a reason
        /// to include the control in the Statement of Applicability.
        #[arg(long = "control")]
        controls: Vec<String>,
    },
}

/// The subcommands of `aims supplier` beside the generic ones.
#[derive(Debug, Subcommand)]
pub enum SupplierExtra {
    /// Record a certificate the supplier holds.
    Certify {
        /// Supplier id.
        id: RecordId,
        /// Standard, e.g. "ISO/IEC 42001:2023".
        #[arg(long)]
        standard: String,
        /// Certificate number.
        #[arg(long, default_value = "")]
        certificate_id: String,
        /// Certification body.
        #[arg(long, default_value = "")]
        issuer: String,
        /// Last day of validity, YYYY-MM-DD.
        #[arg(long, default_value = "")]
        valid_until: String,
        /// Scope stated on the certificate.
        #[arg(long, default_value = "")]
        scope: String,
    },
}

/// AI system commands.
#[derive(Debug, Subcommand)]
pub enum SystemCmd {
    /// Add an AI system (flags, or a JSON/TOML file with any field; flags win).
    Add(Fields<AiSystem>),
    /// Import many AI systems from a file: a JSON array, JSON Lines (.jsonl), or TOML with [[systems]] tables.
    /// All are checked first and written together, or none is.
    Import {
        /// The file.
        file: PathBuf,
    },
    /// List AI systems.
    List(SystemListArgs),
    /// Show one AI system with every section.
    Show(IdArg),
    /// Change an AI system (only the given fields change).
    Update(Change<Fields<AiSystem>>),
    /// Retire an AI system (life-cycle stage `retired`, with date and reason).
    Retire {
        /// System id.
        id: RecordId,
        /// Why it is retired.
        #[arg(long)]
        reason: String,
        /// Retirement date, YYYY-MM-DD (today when left out).
        #[arg(long)]
        on: Option<String>,
    },
    /// Show the change history of an AI system.
    History(IdArg),
}

impl Wording for Fields<AiSystem> {
    const ID: &'static str = "System id";
    const IF_VERSION: &'static str = "Refuse unless the system is still at this version";
}

/// Filters of `system list`.
#[derive(Debug, Args)]
pub struct SystemListArgs {
    /// Only this life-cycle stage.
    #[arg(long)]
    pub stage: Option<String>,
    /// Only systems where the organization has this role.
    #[arg(long)]
    pub role: Option<String>,
    /// Only systems in (true) or out of (false) the AIMS scope.
    #[arg(long)]
    pub in_scope: Option<bool>,
    /// Text to look for in name, purpose, owner and business unit.
    #[arg(long)]
    pub search: Option<String>,
    /// Sort by: name, lifecycle_stage, owner, business_unit, created.
    #[arg(long, default_value = "name")]
    pub sort: String,
    /// Reverse the order.
    #[arg(long)]
    pub desc: bool,
    /// At most this many systems.
    #[arg(long)]
    pub limit: Option<i64>,
}

/// Arguments of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Record type: organization, scope_version, context_issue, interested_party, supplier, custom_field,
    /// ai_system, membership.
    pub record_type: String,
    /// Record id.
    pub id: RecordId,
}

/// Arguments of `verify`: the whole store, or only the chain of `--org` when it is given.
#[derive(Debug, Args)]
pub struct VerifyArgs {}

/// Arguments of `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// File to write (refused when it exists).
    pub file: PathBuf,
}

/// Arguments of `restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// Backup file to read.
    pub file: PathBuf,
}
