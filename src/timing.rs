//! Stage timings for profiling: with `ROLEBOOK_TIMINGS` set in the
//! environment, each stage of a build prints to stderr how long it took and
//! the memory in use after it (see BENCHMARKS.md). Without it, nothing.

use std::time::Instant;

/// With `ROLEBOOK_TIMINGS` set, prints how long each stage took to stderr.
pub(crate) struct Lap(Option<Instant>);

impl Lap {
    pub(crate) fn start() -> Lap {
        Lap(std::env::var_os("ROLEBOOK_TIMINGS").map(|_| Instant::now()))
    }

    /// A clock that started at `since` (if timings are on).
    pub(crate) fn start_at(since: Instant) -> Lap {
        Lap(Lap::start().0.map(|_| since))
    }

    pub(crate) fn lap(&mut self, stage: &str) {
        if let Some(since) = self.0 {
            // Resident and peak memory so far, where the system tells (Linux).
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |name: &str| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(name))
                    .map_or(String::new(), |v| v.trim().to_string())
            };
            eprintln!(
                "{stage:>24}: {:7.1} ms  (memory {}, peak {})",
                since.elapsed().as_secs_f64() * 1e3,
                field("VmRSS:"),
                field("VmHWM:")
            );
            self.0 = Some(Instant::now());
        }
    }
}
