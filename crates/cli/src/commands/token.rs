//! `pitwall token create | revoke`: API tokens bound to a driver. A new token is printed
//! once on stdout; the store keeps only its SHA-256 hash, so it cannot be shown again.

use std::io::Read as _;

use anyhow::{Context as _, bail};
use pitwall_server::token;
use pitwall_store::{Store as _, Tokens as _};

use super::{block_on, store::open_store};
use crate::cli::{TokenArgs, TokenCommand, TokenCreateArgs, TokenRevokeArgs};

pub(crate) fn run(args: TokenArgs) -> anyhow::Result<()> {
    match args.command {
        TokenCommand::Create(args) => block_on(create(args)),
        TokenCommand::Revoke(args) => block_on(revoke(args)),
    }
}

async fn create(args: TokenCreateArgs) -> anyhow::Result<()> {
    let driver = args.driver.trim();
    if driver.is_empty() {
        bail!("--driver must name a driver (as the game has the name)");
    }
    let store = open_store(&args.store).await?;
    let new = token::generate()?;
    store
        .create_token(driver, &token::hash(&new), now_ms())
        .await
        .context("cannot store the token")?;
    store.close().await;
    println!("{new}");
    eprintln!(
        "token for {driver:?} created; keep it now, it is not shown again \
         (send it as Authorization: Bearer <token>)"
    );
    Ok(())
}

async fn revoke(args: TokenRevokeArgs) -> anyhow::Result<()> {
    let text = if args.token == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the token from stdin")?;
        text
    } else {
        args.token
    };
    let text = text.trim();
    if !token::looks_valid(text) {
        bail!("that is not a pitwall token (pw_ and 64 hexadecimal digits)");
    }
    // A token can only be revoked where it was created: never make a new, empty store.
    let store = super::store::open_existing_store(&args.store).await?;
    let revoked = store
        .revoke_token(&token::hash(text), now_ms())
        .await
        .context("cannot revoke the token")?;
    store.close().await;
    if revoked {
        eprintln!("token revoked");
        Ok(())
    } else {
        bail!("no active token matches (unknown, or already revoked)")
    }
}

/// Now, in ms since the epoch.
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
