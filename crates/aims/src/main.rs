//! The `aims` binary: command-line interface over the aims use cases. Exit codes: 0 ok, 1 a check failed (or the
//! operation failed inside aims), 2 bad usage or bad input. Nothing prompts: secrets come from the environment.

mod args;
mod args_record;
mod args_risk;
mod cmd_admin;
mod cmd_catalog;
mod cmd_context;
mod cmd_control;
mod cmd_impact;
mod cmd_import;
mod cmd_record;
mod cmd_risk;
mod cmd_serve;
mod cmd_system;
mod cmd_token;
mod input;
mod out;

use aims_app::{Actor, App, AppError};
use args::{Cli, Command};
use clap::Parser;
use out::Format;

/// How a command ended, mapped to the process exit code.
pub enum Outcome {
    /// Everything fine.
    Ok,
    /// A check ran and failed (verify found a problem).
    CheckFailed,
}

impl Outcome {
    /// How a check ended: `Ok` when it passed, `CheckFailed` (exit 1) when not.
    pub fn of_check(passed: bool) -> Outcome {
        if passed {
            Outcome::Ok
        } else {
            Outcome::CheckFailed
        }
    }
}

/// An error with the exit code it should produce.
pub struct Failure {
    /// Exit code.
    pub code: i32,
    /// Short machine-readable code.
    pub kind: &'static str,
    /// The message for people.
    pub message: String,
    /// Field details, when the input was invalid.
    pub details: serde_json::Value,
}

impl Failure {
    /// Turns an input failure back into field errors (for code that must report through a use case).
    pub fn into_validation(self) -> aims_domain::ValidationError {
        let mut v = aims_domain::ValidationError::default();
        if let Some(items) = self.details.as_array() {
            for item in items {
                let field = item
                    .get("field")
                    .and_then(|f| f.as_str())
                    .unwrap_or("input");
                let message = item
                    .get("message")
                    .and_then(|m| m.as_str())
                    .unwrap_or(&self.message);
                v.push(field, message);
            }
        }
        if v.errors.is_empty() {
            v.push("input", self.message);
        }
        v
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        let code = if e.is_input_error() { 2 } else { 1 };
        let (kind, details) = match &e {
            AppError::Invalid(v) => (
                "invalid_input",
                serde_json::to_value(&v.errors).unwrap_or_default(),
            ),
            AppError::NotFound(_) => ("not_found", serde_json::Value::Null),
            AppError::Forbidden(_) => ("forbidden", serde_json::Value::Null),
            AppError::Conflict(_) | AppError::Stale(_) => ("conflict", serde_json::Value::Null),
            AppError::Store(_) => (
                if code == 2 {
                    "store_unusable"
                } else {
                    "internal"
                },
                serde_json::Value::Null,
            ),
        };
        Failure {
            code,
            kind,
            message: e.to_string(),
            details,
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        match e.downcast::<AppError>() {
            Ok(app) => app.into(),
            Err(e) => Failure {
                code: 2,
                kind: "invalid_input",
                message: format!("{e:#}"),
                details: serde_json::Value::Null,
            },
        }
    }
}

/// Shorthand for command results.
pub type CmdResult = Result<Outcome, Failure>;

/// Builds an input failure naming the field.
pub fn bad_input(field: &str, message: impl Into<String>) -> Failure {
    AppError::Invalid(aims_domain::ValidationError::one(field, message)).into()
}

/// The actor for changes made from this command line: `AIMS_ACTOR`, else `cli:` and the login name.
pub fn operator() -> Actor {
    match std::env::var("AIMS_ACTOR") {
        Ok(a) if !a.trim().is_empty() => Actor {
            label: a.trim().to_string(),
            role: None,
        },
        _ => Actor::operator(
            &std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .unwrap_or_else(|_| "operator".into()),
        ),
    }
}

/// Context shared by the command handlers.
pub struct Ctx {
    /// The application over the opened store.
    pub app: App,
    /// Output format.
    pub format: Format,
    /// Organization selector from `--org`.
    pub org: Option<String>,
    /// Who acts.
    pub actor: Actor,
}

impl Ctx {
    /// The id of the organization to act on.
    pub async fn org_id(&self) -> Result<aims_app::OrgId, Failure> {
        Ok(self.app.resolve_org(self.org.as_deref()).await?.org_id())
    }
}

async fn run(cli: Cli) -> CmdResult {
    // The catalogue is built-in content: it is read without opening (or needing) a store.
    if let Command::Catalog(c) = &cli.command {
        return cmd_catalog::run(cli.format, c);
    }
    let creates = match &cli.command {
        Command::Init(_) | Command::Restore(_) => true,
        Command::Serve(a) => a.demo,
        Command::Org(args::OrgCmd::Import(a)) => a.new,
        _ => false,
    };
    let app = if creates {
        App::open_or_create(&cli.database).await?
    } else {
        App::open(&cli.database).await?
    };
    let ctx = Ctx {
        app,
        format: cli.format,
        org: cli.org.clone(),
        actor: operator(),
    };
    let result = match cli.command {
        Command::Init(a) => cmd_admin::init(&ctx, a).await,
        Command::Migrate => {
            println!("schema up to date on {}", ctx.app.describe());
            Ok(Outcome::Ok)
        }
        Command::Serve(a) => cmd_serve::run(&ctx, a).await,
        Command::Catalog(c) => cmd_catalog::run(ctx.format, &c),
        Command::Org(c) => cmd_admin::org(&ctx, c).await,
        Command::User(c) => cmd_admin::user(&ctx, c).await,
        Command::Scope(c) => cmd_context::scope(&ctx, c).await,
        Command::Kit(k) => k.run(&ctx).await,
        Command::Party(c) => cmd_context::amending(&ctx, c).await,
        Command::Supplier(c) => cmd_context::amending(&ctx, c).await,
        Command::System(c) => cmd_system::run(&ctx, c).await,
        Command::History(a) => {
            let org = ctx.org_id().await?;
            cmd_admin::print_history(&ctx, &org, &a.record_type, &a.id).await
        }
        Command::Verify(_) => cmd_admin::verify(&ctx).await,
        Command::Backup(a) => cmd_admin::backup(&ctx, a).await,
        Command::Restore(a) => cmd_admin::restore(&ctx, a).await,
        Command::Token(c) => cmd_token::run(&ctx, c).await,
        Command::Risk(c) => cmd_risk::risk(&ctx, c).await,
        Command::Treatment(c) => cmd_risk::treatment(&ctx, c).await,
        Command::Control(c) => cmd_control::control(&ctx, c).await,
        Command::Impact(c) => cmd_impact::impact(&ctx, c).await,
        Command::Classify(a) => cmd_impact::classify(&ctx, a).await,
        Command::Soa(c) => cmd_control::soa(&ctx, c).await,
    };
    ctx.app.close().await;
    result
}

fn main() {
    // Writing to a closed pipe (`aims catalog controls ... | head`) should end the process quietly, as other
    // command-line tools do, instead of reporting an error.
    // SAFETY: called before any other thread exists; restores the default disposition of one signal.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Password hashing (Argon2id) takes 19 MiB per hash. A fixed mmap threshold makes such blocks go back to the
    // system when freed; glibc's adaptive threshold would otherwise keep them in the heap for good.
    // SAFETY: called before any other thread exists; only changes an allocator tuning parameter.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
    let cli = Cli::parse();
    let format = cli.format;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    let code = match runtime.block_on(run(cli)) {
        Ok(Outcome::Ok) => 0,
        Ok(Outcome::CheckFailed) => 1,
        Err(f) => {
            if format == Format::Json {
                let body = serde_json::json!({"error": {"code": f.kind, "message": f.message, "details": f.details}});
                eprintln!("{body}");
            } else {
                eprintln!("error: {}", f.message);
            }
            f.code
        }
    };
    std::process::exit(code);
}
