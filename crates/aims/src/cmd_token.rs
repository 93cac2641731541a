//! `aims token ...`: personal API tokens for scripts, created by the operator for a member of an organization.
//! The token is printed once; only its SHA-256 is kept.

use crate::args::TokenCmd;
use crate::cmd_record::done;
use crate::out;
use crate::{CmdResult, Ctx};
use aims_app::tokens::TokenView;

fn row(t: &TokenView) -> Vec<String> {
    vec![
        t.id.to_string(),
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
            let message = format!(
                "Created API token '{}' (id {})\nExpires: {}\nToken:   {}\n{}",
                t.info.name,
                t.info.id,
                t.info.expires_at,
                t.token,
                "(shown once; it is stored only as a SHA-256 hash — send it as `Authorization: Bearer TOKEN`)"
            );
            done(ctx, &t, message)
        }
        TokenCmd::List { user } => {
            let list = ctx.app.tokens(&ctx.actor, &user, None).await?;
            let headers = [
                "id",
                "name",
                "prefix",
                "organization",
                "created",
                "expires",
                "last used",
                "status",
            ];
            out::list(ctx.format, &list, &headers, row)
        }
        TokenCmd::Revoke { id } => {
            let t = ctx.app.revoke_token(&ctx.actor, &id).await?;
            done(
                ctx,
                &t,
                format!("Revoked API token '{}' (id {})", t.name, t.id),
            )
        }
    }
}
