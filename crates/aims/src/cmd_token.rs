//! `aims token ...`: personal API tokens for scripts, created by the operator for a member of an organization.
//! The token is printed once; only its SHA-256 is kept.

use crate::args::TokenCmd;
use crate::out::{self, Format};
use crate::{CmdResult, Ctx, Outcome};
use aims_app::tokens::TokenView;

fn row(t: &TokenView) -> Vec<String> {
    vec![
        t.id.clone(),
        t.name.clone(),
        t.prefix.clone(),
        t.org_id.clone(),
        t.created_at.clone(),
        t.expires_at.clone(),
        t.last_used_at.clone().unwrap_or_default(),
        t.status.clone(),
    ]
}

/// `aims token ...`.
pub async fn run(ctx: &Ctx, c: TokenCmd) -> CmdResult {
    match c {
        TokenCmd::Create { user, name, days } => {
            let org = ctx.org_id().await?;
            let t = ctx
                .app
                .create_token(&ctx.actor, &org, &user, &name, days)
                .await?;
            if ctx.format == Format::Json {
                out::json(&t)?;
            } else {
                println!("Created API token '{}' (id {})", t.info.name, t.info.id);
                println!("Expires: {}", t.info.expires_at);
                println!("Token:   {}", t.token);
                println!(
                    "(shown once; it is stored only as a SHA-256 hash — send it as `Authorization: Bearer TOKEN`)"
                );
            }
        }
        TokenCmd::List { user } => {
            let list = ctx.app.tokens(&ctx.actor, &user, None).await?;
            if ctx.format == Format::Json {
                out::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list.iter().map(row).collect();
                out::table(
                    &[
                        "id",
                        "name",
                        "prefix",
                        "organization",
                        "created",
                        "expires",
                        "last used",
                        "status",
                    ],
                    &rows,
                );
            }
        }
        TokenCmd::Revoke { id } => {
            let t = ctx.app.revoke_token(&ctx.actor, &id).await?;
            if ctx.format == Format::Json {
                out::json(&t)?;
            } else {
                println!("Revoked API token '{}' (id {})", t.name, t.id);
            }
        }
    }
    Ok(Outcome::Ok)
}
