//! The store's interface: every read and write the tracker, the API and the UIs need, in
//! domain terms, in focused parts. A caller bounds on the part it uses; [`Store`] is all of
//! them (and [`Store::close`]). Both backends implement every part;
//! [`AnyStore`](crate::AnyStore) picks one at run time and dispatches statically.
//!
//! | Trait | What it is for |
//! |---|---|
//! | [`SessionWrites`] | Sessions and laps as the detector or an import delivers them. |
//! | [`Reads`] | Sessions, laps and records for the API, the dashboard, the TUI and export. |
//! | [`Tokens`] | API tokens, stored as hashes. |
//! | [`Outbox`] | The upload queue the writes fill when asked to ([`Upload::Queue`]). |
//! | [`Checkpoints`] | Where a running session stands, for a restarted tracker. |
//!
//! # Exactly once
//! Writes are keyed by the detector's ids and are idempotent: storing the same session or lap
//! again (a retry, a replayed recording) changes nothing and reports that it was not new. The
//! first write of an id wins; a later write with other content is ignored. A write is durable
//! when its future resolves.
//!
//! # What counts
//! Personal bests, best sectors, PB progression and leaderboards only consider *counting*
//! laps, as [`pitwall_core::stats`] does: valid, neither out-lap nor in-lap, and timed (a time
//! above zero; a sector time of zero counts as unknown). Ties go to the earlier lap.

mod checkpoints;
mod outbox;
mod reads;
mod sessions;
mod tokens;

use std::future::Future;

pub use checkpoints::Checkpoints;
pub use outbox::Outbox;
pub use reads::Reads;
pub use sessions::SessionWrites;
pub use tokens::Tokens;

/// Storage for sessions, laps, API tokens, the upload outbox and checkpoints: every part of
/// the interface. See the module docs for the guarantees.
pub trait Store: SessionWrites + Reads + Tokens + Outbox + Checkpoints {
    /// Closes the connections, waiting for those in use.
    fn close(&self) -> impl Future<Output = ()> + Send;
}
