//! The collector's side of sessions across tracker restarts: the stored session offered to
//! the detector when the collector starts (the one with the latest checkpoint; ended at its
//! last activity if its tracker was killed, re-opened if the detector carries it on), and
//! the checkpoints stored as the session goes on.

use pitwall_core::Resume;
use pitwall_core::model::{Checkpoint, SessionId};
use pitwall_store::{Checkpoints as _, Reads as _, SessionWrites as _, Upload};

use super::Collector;

impl Collector {
    /// The last checkpointed session, to offer to the detector. A session still open in the
    /// store lost its tracker without a stop (killed, power cut): it is ended at its last
    /// activity now, and re-opened if the game turns out to be still in it.
    pub(super) async fn resume_offer(&mut self) -> Option<Resume> {
        let checkpoint = match self.store.last_checkpoint().await {
            Ok(c) => c?,
            Err(e) => {
                tracing::warn!(
                    "cannot read the last session's checkpoint: {e}; a session in progress will start afresh"
                );
                return None;
            }
        };
        let session = match self.store.session(checkpoint.session).await {
            Ok(s) => s?,
            Err(e) => {
                tracing::warn!(
                    "cannot read the last session: {e}; a session in progress will start afresh"
                );
                return None;
            }
        };
        if session.ended_at_ms.is_none() {
            let last_lap = session.laps.iter().map(|l| l.completed_at_ms).max();
            let at_ms = last_lap.unwrap_or(0).max(checkpoint.at_ms);
            let id = session.info.id;
            let upload = Upload::queue_if(self.options.upload.is_some(), at_ms);
            let ended = self.store.end_session(id, at_ms, upload).await;
            match ended {
                Ok(_) => tracing::info!(
                    "session {id} had no end (its tracker did not stop cleanly): ended at its last activity"
                ),
                Err(e) => tracing::warn!("cannot end session {id}, left without an end: {e}"),
            }
            self.queued();
        }
        self.offered = Some(session.info.id);
        Some(Resume {
            lap_ids: session.laps.iter().map(|l| l.id).collect(),
            info: session.info,
            checkpoint,
        })
    }

    /// Stores where the session in progress stands. One try: a checkpoint that is not
    /// stored only means a restart of the tracker may open a new session.
    pub(super) async fn checkpoint(&self, checkpoint: &Checkpoint) {
        if let Err(e) = self.store.save_checkpoint(checkpoint).await {
            tracing::warn!(
                "cannot store the session's checkpoint: {e}; if the tracker restarts now, the session will not be carried on"
            );
        }
    }

    /// Forgets the checkpoint of a session that nothing will carry on.
    pub(super) async fn forget_checkpoint(&self, session: SessionId) {
        if let Err(e) = self.store.drop_checkpoint(session).await {
            tracing::warn!("cannot remove the checkpoint of session {session}: {e}");
        }
    }
}
