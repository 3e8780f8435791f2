//! [`Checkpoints`]: where each running session stands, so that a restarted tracker can
//! compare it with the game's pages and carry the session on.

use std::future::Future;

use pitwall_core::model::{Checkpoint, SessionId};

use crate::error::Result;

/// Session checkpoints for restarted trackers.
pub trait Checkpoints: Send + Sync {
    /// Stores where a running session stands (replacing its previous checkpoint), so that a
    /// restarted tracker can carry on with it.
    fn save_checkpoint(&self, checkpoint: &Checkpoint) -> impl Future<Output = Result<()>> + Send;

    /// Forgets a session's checkpoint: the game ended the session, nothing carries it on.
    fn drop_checkpoint(&self, session: SessionId) -> impl Future<Output = Result<()>> + Send;

    /// The most recent checkpoint of any session.
    fn last_checkpoint(&self) -> impl Future<Output = Result<Option<Checkpoint>>> + Send;
}
