//! Ctrl-C (and SIGTERM): a shared flag every loop checks, so commands finish cleanly
//! (a recording is flushed and closed, a simulator leaves its pages as the game would).

use anyhow::Context;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set when the user asked the program to stop.
#[derive(Clone, Debug)]
pub(crate) struct Stop(Arc<AtomicBool>);

impl Stop {
    /// Installs the Ctrl-C / termination handler.
    pub(crate) fn install() -> anyhow::Result<Self> {
        let flag = Arc::new(AtomicBool::new(false));
        let handler_flag = Arc::clone(&flag);
        ctrlc::set_handler(move || handler_flag.store(true, Ordering::SeqCst))
            .context("cannot install the Ctrl-C handler")?;
        Ok(Self(flag))
    }

    /// A flag only [`Stop::request`] sets (the Windows service's stop control does).
    #[cfg(windows)]
    pub(crate) fn new() -> Self {
        Self(Arc::new(AtomicBool::new(false)))
    }

    pub(crate) fn requested(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    pub(crate) fn request(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub(crate) fn flag(&self) -> &AtomicBool {
        &self.0
    }
}
