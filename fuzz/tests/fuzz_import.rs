//! Fuzz target: export import. Mutated exports (bytes, and JSON nodes replaced by values at
//! type bounds, NUL and long strings, members dropped, repeated or written twice) go through
//! `parse_json`'s strict checks: an error or sessions, never a panic; and what it accepts
//! survives being exported and read again unchanged.

use pitwall_fuzz::{Fuzzer, json, seeds};
use pitwall_store::export::parse_json;

pitwall_fuzz::limit_memory!();

fn check(input: &[u8]) -> Result<bool, String> {
    let parsed = match parse_json(input) {
        Ok(parsed) => parsed,
        Err(e) => {
            let _ = e.to_string();
            return Ok(false);
        }
    };
    let again = seeds::export(&parsed.sessions);
    match parse_json(&again) {
        Ok(back) if back.sessions == parsed.sessions => Ok(true),
        Ok(_) => Err("accepted, but changed by exporting it again".into()),
        Err(e) => Err(format!("accepted, but its export is refused: {e}")),
    }
}

#[test]
fn fuzz_import() {
    let sessions = seeds::sessions("Ann");
    let seeds = vec![seeds::export(&sessions), seeds::export(&sessions[2..])];
    assert_eq!(check(&seeds[0]), Ok(true), "the seed export reads back");
    let summary = Fuzzer::new("import").max_len(1 << 20).run(
        &seeds,
        |rng, data| !rng.one_in(4) && json::mutate(rng, data),
        check,
    );
    assert!(summary.valid > 0);
}
