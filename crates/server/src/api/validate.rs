//! What ingest checks beyond an upload's JSON shape, and the ids it stores the upload under.
//!
//! The rules themselves are [`pitwall_core::validate`]'s, the same for every way in (ingest,
//! `pitwall import`, the tracker's own detector): here they are applied to an upload and
//! their problems answered as 400s.
//!
//! # Ids
//! A tracker's ids are predictable (a lap's id follows from its session's, which
//! `/api/sessions` lists), so the server never stores an upload under them: it stores the
//! session under [`SessionId::of_driver`] and each lap under [`LapId::of_driver`], derived from
//! the token's driver. The same upload by the same driver always lands on the same ids (a
//! re-upload stores nothing new), and no driver can produce ids another driver's uploads
//! will use. A session stored under the tracker's own id before ids were derived (by an
//! older pitwall, or `pitwall import`) and owned by the token's driver keeps its id, and its
//! laps already stored keep theirs; its new laps get derived ids.

use std::collections::HashMap;

use pitwall_core::model::{LapId, SessionId};
use pitwall_core::validate::{self, UniqueKeys};
use pitwall_store::{AnyStore, Reads as _, SessionWithLaps};

use super::error::ApiError;

/// Refuses a body with a key given twice in any object (serde would keep the last one).
pub(crate) fn unique_keys(bytes: &[u8]) -> Result<(), ApiError> {
    serde_json::from_slice::<UniqueKeys>(bytes)
        .map(|_| ())
        .map_err(|e| ApiError::invalid_json(e.to_string()))
}

/// Checks an upload against the rules, with the server's clock `now_ms`.
pub(crate) fn upload(s: &SessionWithLaps, now_ms: u64) -> Result<(), ApiError> {
    if s.info.driver.trim().is_empty() {
        return Err(ApiError::invalid_data("session driver is empty"));
    }
    validate::session_with_laps(&s.info, s.ended_at_ms, &s.laps, now_ms)
        .map_err(|e| ApiError::invalid_data(e.to_string()))
}

/// The upload as it is stored for `driver` (the token's): under derived ids, see the
/// module docs.
pub(crate) async fn owned(
    store: &AnyStore,
    mut upload: SessionWithLaps,
    driver: &str,
) -> Result<SessionWithLaps, ApiError> {
    let sent = upload.info.id;
    let legacy = store
        .session(sent)
        .await?
        .filter(|stored| stored.info.driver == driver);
    let stored_laps: HashMap<LapId, u32> = legacy
        .iter()
        .flat_map(|s| s.laps.iter().map(|l| (l.id, l.number)))
        .collect();
    let session: SessionId = if legacy.is_some() {
        sent
    } else {
        sent.of_driver(driver)
    };
    upload.info.id = session;
    for lap in &mut upload.laps {
        lap.session = session;
        if stored_laps.get(&lap.id) != Some(&lap.number) {
            lap.id = lap.id.of_driver(driver, sent);
        }
    }
    Ok(upload)
}
