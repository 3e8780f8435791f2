//! `pitwall tui`: the terminal UI over the store and the live feed of a running `pitwall run`.

use std::io::IsTerminal as _;

use crate::cli::TuiArgs;

pub(crate) fn run(args: TuiArgs) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() {
        anyhow::bail!("pitwall tui needs an interactive terminal (its output is redirected)");
    }
    super::block_on(async move {
        let store = super::store::open_existing_store(&args.store).await?;
        let options = pitwall_tui::Options {
            live_url: args.live,
            theme: pitwall_tui::theme::Theme::from_env(),
        };
        let result = pitwall_tui::run(store.clone(), options).await;
        pitwall_store::Store::close(&store).await;
        Ok(result?)
    })
}
