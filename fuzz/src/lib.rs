//! Pitwall's fuzzing driver: mutation-based, seeded, time-bounded fuzzing on stable Rust.
//!
//! Each target (a test under `fuzz/tests/`) hands [`Fuzzer::run`] seed inputs made by the
//! code under test itself (a simulator recording, an export, a valid upload) and a check;
//! the driver mutates the seeds (bit flips, interesting integers, cut, repeated and spliced
//! chunks, and the target's own structure-aware mutations) and calls the check on each
//! input. A panic, a check that returns an error, or one input taking longer than
//! [`HANG_LIMIT`] fails the run: the input is saved under `target/fuzz-failures/` and the
//! message names the seed that reproduces the whole run. [`limit_memory!`] holds a target
//! to [`MEMORY_LIMIT`], so an allocation sized by a damaged length field fails it too.
//!
//! Budget: `PITWALL_FUZZ_SECONDS` per target (default 2, so `cargo test` stays quick; the CI
//! step `scripts/ci/fuzz.sh` gives each target more). `PITWALL_FUZZ_SEED` fixes the seed (by
//! default it changes every run, and is printed).

pub mod json;
pub mod recording;
pub mod seeds;

use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The longest one input may take to check.
pub const HANG_LIMIT: Duration = Duration::from_secs(5);

/// The most memory a target may hold at once: eight times the largest block a recording
/// may hold, far more than any input needs. Installed with [`limit_memory!`]: past it an
/// allocation fails and the process aborts (the run fails; the seed printed at its start
/// reproduces it).
pub const MEMORY_LIMIT: usize = 512 << 20;

pub use cap::Cap;

/// Installs a global allocator that holds the target to [`MEMORY_LIMIT`].
#[macro_export]
macro_rules! limit_memory {
    () => {
        #[global_allocator]
        static ALLOC: $crate::Cap<std::alloc::System> =
            $crate::Cap::new(std::alloc::System, $crate::MEMORY_LIMIT);
    };
}

/// A small, fast, seeded random number generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Integers that often find edge cases, as little-endian bytes of 1, 2, 4 or 8.
const INTERESTING: &[u64] = &[
    0,
    1,
    2,
    0x7F,
    0x80,
    0xFF,
    0x100,
    0x7FFF,
    0x8000,
    0xFFFF,
    0x1_0000,
    0x7FFF_FFFF,
    0x8000_0000,
    0xFFFF_FFFF,
    0x1_0000_0000,
    0x7FFF_FFFF_FFFF_FFFF,
    0x8000_0000_0000_0000,
    u64::MAX,
    u64::MAX - 1,
];

/// One byte-level mutation of `data` (which may grow or shrink, up to `max_len`);
/// `others` are inputs to splice from.
pub fn mutate_bytes(rng: &mut Rng, data: &mut Vec<u8>, others: &[Vec<u8>], max_len: usize) {
    let len = data.len();
    match rng.below(9) {
        0 | 1 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        2 if len > 0 => {
            let i = rng.below(len);
            data[i] = rng.next_u64() as u8;
        }
        3 if len > 0 => {
            let width = *rng.pick(&[1usize, 2, 4, 8]);
            let value = *rng.pick(INTERESTING);
            let at = rng.below(len);
            let bytes = value.to_le_bytes();
            for (k, b) in bytes.iter().take(width).enumerate() {
                if let Some(slot) = data.get_mut(at + k) {
                    *slot = *b;
                }
            }
        }
        4 if len > 0 => {
            // Cut a chunk out.
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(64));
            data.drain(at..at + n);
        }
        5 if len > 0 => {
            // Repeat a chunk.
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(64));
            let chunk = data[at..at + n].to_vec();
            let to = rng.below(len + 1);
            data.splice(to..to, chunk);
        }
        6 if len > 0 => data.truncate(rng.below(len)),
        7 if !others.is_empty() => {
            // Splice: our start, another input's end.
            let other = rng.pick(others);
            let cut = rng.below(len + 1);
            let from = rng.below(other.len() + 1);
            data.truncate(cut);
            data.extend_from_slice(&other[from..]);
        }
        _ => {
            let at = rng.below(len + 1);
            let n = 1 + rng.below(8);
            let junk: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            data.splice(at..at, junk);
        }
    }
    data.truncate(max_len);
}

/// A fuzzing run over one target.
#[derive(Debug)]
pub struct Fuzzer {
    name: &'static str,
    seed: u64,
    budget: Duration,
    max_len: usize,
}

/// What a run did.
#[derive(Clone, Copy, Debug)]
pub struct Summary {
    /// Inputs checked.
    pub inputs: u64,
    /// Inputs the check accepted as valid (`Ok(true)`).
    pub valid: u64,
}

impl Fuzzer {
    /// A run of target `name` with the budget and seed from the environment.
    pub fn new(name: &'static str) -> Self {
        let budget = std::env::var("PITWALL_FUZZ_SECONDS")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .unwrap_or(Duration::from_secs(2));
        let seed = std::env::var("PITWALL_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                now.as_nanos() as u64 ^ u64::from(std::process::id())
            });
        Fuzzer {
            name,
            seed,
            budget,
            max_len: 4 << 20,
        }
    }

    /// Inputs grow no longer than `max_len` bytes.
    pub fn max_len(mut self, max_len: usize) -> Self {
        self.max_len = max_len;
        self
    }

    /// Checks every seed as it is, then mutated inputs until the budget is spent.
    /// `mutate` may apply a structure-aware mutation (returning false to leave it to the
    /// byte-level ones); `check` returns whether the input was valid, or what is wrong.
    ///
    /// # Panics
    /// When an input makes `check` panic, fail or hang: the message says which input
    /// (saved to a file) and how to reproduce the run.
    pub fn run(
        &self,
        seeds: &[Vec<u8>],
        mut mutate: impl FnMut(&mut Rng, &mut Vec<u8>) -> bool,
        mut check: impl FnMut(&[u8]) -> Result<bool, String>,
    ) -> Summary {
        assert!(!seeds.is_empty(), "{}: no seed input", self.name);
        // Straight to the terminal: a failed allocation aborts before the test harness
        // would show captured output.
        let _ = writeln!(
            std::io::stderr(),
            "fuzz {}: seed {} (PITWALL_FUZZ_SEED), {:?}",
            self.name,
            self.seed,
            self.budget
        );
        let mut rng = Rng::new(self.seed);
        let mut corpus: Vec<Vec<u8>> = seeds.to_vec();
        let mut summary = Summary {
            inputs: 0,
            valid: 0,
        };
        let started = Instant::now();
        let mut pending: Vec<Vec<u8>> = seeds.to_vec();
        loop {
            let input = match pending.pop() {
                Some(input) => input,
                None => {
                    if started.elapsed() >= self.budget {
                        break;
                    }
                    let mut input = rng.pick(&corpus).clone();
                    for _ in 0..1 + rng.below(4) {
                        if !mutate(&mut rng, &mut input) {
                            mutate_bytes(&mut rng, &mut input, &corpus, self.max_len);
                        }
                    }
                    input
                }
            };
            let one = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| check(&input)));
            let took = one.elapsed();
            summary.inputs += 1;
            let failure = match outcome {
                Ok(Ok(valid)) if took <= HANG_LIMIT => {
                    if valid {
                        summary.valid += 1;
                        // Valid inputs are good places to mutate from; keep a few.
                        if corpus.len() < 64 && rng.one_in(16) {
                            corpus.push(input);
                        }
                    }
                    continue;
                }
                Ok(Ok(_)) => format!("took {took:?} (more than {HANG_LIMIT:?})"),
                Ok(Err(wrong)) => wrong,
                Err(panic) => format!("panicked: {}", panic_text(panic.as_ref())),
            };
            let path = self.save(&input);
            panic!(
                "fuzz {}: input {} ({} bytes, saved to {}) {failure}\nreproduce: \
                 PITWALL_FUZZ_SEED={} cargo test -p pitwall-fuzz fuzz_{}; then fix it, with \
                 the saved input as a regression test in the normal suite",
                self.name,
                summary.inputs,
                input.len(),
                path.display(),
                self.seed,
                self.name
            );
        }
        let _ = writeln!(
            std::io::stderr(),
            "fuzz {}: {} inputs ({} valid) in {:?}",
            self.name,
            summary.inputs,
            summary.valid,
            started.elapsed()
        );
        summary
    }

    /// Saves a failing input; returns where.
    fn save(&self, input: &[u8]) -> PathBuf {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("target")
            .join("fuzz-failures");
        let path = dir.join(format!("{}-{}.bin", self.name, self.seed));
        if std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, input))
            .is_err()
        {
            return PathBuf::from("(could not save)");
        }
        path
    }
}

/// The message of a panic.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_stay_within_the_bound() {
        let mut rng = Rng::new(7);
        let others = vec![vec![9u8; 100]];
        let mut data = vec![1u8; 50];
        for _ in 0..10_000 {
            mutate_bytes(&mut rng, &mut data, &others, 120);
            assert!(data.len() <= 120);
            if data.is_empty() {
                data.push(0);
            }
        }
    }

    #[test]
    fn a_panicking_check_fails_the_run_with_the_input() {
        let fuzzer = Fuzzer {
            name: "selftest",
            seed: 1,
            budget: Duration::from_millis(200),
            max_len: 64,
        };
        let run = catch_unwind(AssertUnwindSafe(|| {
            fuzzer.run(
                &[b"abc".to_vec()],
                |_, _| false,
                |input| {
                    assert!(!input.contains(&b'z'), "found a z");
                    Ok(true)
                },
            )
        }));
        // Random bytes hold a `z` soon enough.
        let err = run.expect_err("the check panics on some input");
        let text = panic_text(err.as_ref());
        assert!(
            text.contains("found a z") && text.contains("PITWALL_FUZZ_SEED=1"),
            "{text}"
        );
    }
}
