//! `aims serve`: the web application over the store, optionally with the demo organization.

use crate::args::ServeArgs;
use crate::{CmdResult, Ctx, Outcome, bad_input};
use aims_app::demo::{DEMO_PASSWORD, DemoInfo, existing_demo, seed_demo};
use aims_web::AppState;
use std::sync::Arc;

/// Structured logs on standard error: `AIMS_LOG` filters (default `info`), `AIMS_LOG_FORMAT=json` for JSON lines.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("AIMS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if std::env::var("AIMS_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

fn print_users(info: &DemoInfo) {
    for u in &info.users {
        println!("  {:<12} {}", u.role, u.email);
    }
}

/// Starts the server and runs until Ctrl-C or SIGTERM.
pub async fn run(ctx: &Ctx, a: ServeArgs) -> CmdResult {
    init_logging();
    let started = std::time::Instant::now();
    // With --demo: the demo just created, or the one an earlier start created (to say how to sign in again).
    let demo = if a.demo {
        match seed_demo(&ctx.app).await? {
            Some(created) => Some((created, true)),
            None => existing_demo(&ctx.app).await?.map(|d| (d, false)),
        }
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(&a.bind)
        .await
        .map_err(|e| bad_input("bind", format!("cannot listen on {}: {e}", a.bind)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| bad_input("bind", e.to_string()))?;
    println!(
        "aims is serving {} on http://{addr}/ (ready in {} ms)",
        ctx.app.describe(),
        started.elapsed().as_millis()
    );
    match &demo {
        Some((info, true)) => {
            println!("Demo organization: {}", info.organization.data.name);
            println!("Sign in with any of these users, password {DEMO_PASSWORD}");
            print_users(info);
        }
        Some((info, false)) => {
            println!(
                "The demo organization {} is already in this store. Sign in again with its users, password \
                 {DEMO_PASSWORD} unless it was changed:",
                info.organization.data.name
            );
            print_users(info);
        }
        None if a.demo => println!(
            "The store already holds organizations; the demo was not added. Sign in with your users."
        ),
        None => {}
    }
    println!("Press Ctrl-C to stop.");
    let state = AppState {
        app: ctx.app.clone(),
        secure_cookies: a.secure_cookies,
        metrics: Arc::new(Default::default()),
    };
    aims_web::serve(state, listener)
        .await
        .map_err(|e| bad_input("bind", format!("server stopped: {e}")))?;
    Ok(Outcome::Ok)
}
