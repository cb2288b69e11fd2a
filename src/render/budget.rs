//! The time budget of one page's render through the templates.
//!
//! Tera has no step limit and a thread cannot be stopped from outside, so a
//! theme template that loops (nearly) forever would hang `check` and `build`
//! for good. While the site renders, a watchdog looks at the page each worker
//! is rendering; once one has taken longer than `[build] render_timeout`, it
//! hands a `template-render` diagnostic naming the template and the page to
//! the handler the program registered (the CLI prints it and ends the
//! process, which is the only way to free the stuck thread). `serve` renders
//! one page at a time under its own timeout instead.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use crate::diagnostic::{Code, Diagnostic};

/// What to do when a render runs over its budget: report and end the run.
pub type OnStuck = Box<dyn Fn(Diagnostic) + Send + Sync>;

static ON_STUCK: OnceLock<OnStuck> = OnceLock::new();

/// Sets what happens when a render runs over its budget (once per process;
/// later calls are ignored). Without a handler, the problem is printed to
/// stderr and the process ends with exit code 1.
pub fn on_stuck(handler: OnStuck) {
    let _ = ON_STUCK.set(handler);
}

fn stuck(problem: Diagnostic) {
    match ON_STUCK.get() {
        Some(handler) => handler(problem),
        None => {
            eprintln!(
                "error[{}]: {}: {}",
                problem.code, problem.file, problem.message
            );
            std::process::exit(1);
        }
    }
}

/// The page each rendering thread is on, and since when.
pub(crate) struct Watch {
    /// One slot per thread of the render pool (rayon's), so that the pages
    /// rendered on every core never wait for one another's lock.
    slots: Vec<Mutex<Option<Busy>>>,
    /// Threads outside the pool.
    others: Mutex<HashMap<ThreadId, Busy>>,
    done: AtomicBool,
    /// The theme's template files by name (see [`crate::theme::Theme`]):
    /// a report names the template's file, looked up only then.
    files: BTreeMap<String, String>,
}

struct Busy {
    /// The template's name (`role.html`).
    template: &'static str,
    page: String,
    since: Instant,
}

impl Default for Watch {
    fn default() -> Watch {
        Watch {
            slots: (0..rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
            others: Mutex::default(),
            done: AtomicBool::default(),
            files: BTreeMap::new(),
        }
    }
}

/// Marks the current thread free again when dropped.
pub(crate) struct Rendering<'a>(Held<'a>);

/// Where a render is recorded.
enum Held<'a> {
    Slot(&'a Mutex<Option<Busy>>),
    Other(&'a Watch),
}

impl Drop for Rendering<'_> {
    fn drop(&mut self) {
        match self.0 {
            Held::Slot(slot) => *slot.lock().unwrap_or_else(|e| e.into_inner()) = None,
            Held::Other(watch) => {
                let mut others = watch.others.lock().unwrap_or_else(|e| e.into_inner());
                others.remove(&std::thread::current().id());
            }
        }
    }
}

impl Watch {
    /// Starts a watchdog for renders longer than `budget`; it ends when the
    /// returned guard is dropped.
    pub(crate) fn start(
        budget: Duration,
        files: &BTreeMap<String, String>,
    ) -> (Arc<Watch>, Watchdog) {
        let watch = Arc::new(Watch {
            files: files.clone(),
            ..Watch::default()
        });
        let seen = watch.clone();
        let thread = std::thread::spawn(move || {
            let tick = (budget / 10).clamp(Duration::from_millis(10), Duration::from_millis(250));
            while !seen.done.load(Ordering::Relaxed) {
                // Woken at once when the site is done (see Watchdog's drop).
                std::thread::park_timeout(tick);
                if let Some(problem) = seen.overdue(budget) {
                    stuck(problem);
                    return;
                }
            }
        });
        let dog = Watchdog {
            watch: watch.clone(),
            thread: Some(thread),
        };
        (watch, dog)
    }

    /// Records that this thread renders `page` through `template` now.
    pub(crate) fn rendering(&self, template: &'static str, page: &str) -> Rendering<'_> {
        let busy = Busy {
            template,
            page: page.to_string(),
            since: Instant::now(),
        };
        match rayon::current_thread_index().and_then(|i| self.slots.get(i)) {
            Some(slot) => {
                *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(busy);
                Rendering(Held::Slot(slot))
            }
            None => {
                let mut others = self.others.lock().unwrap_or_else(|e| e.into_inner());
                others.insert(std::thread::current().id(), busy);
                Rendering(Held::Other(self))
            }
        }
    }

    /// The first render that has taken longer than `budget`, as a problem.
    fn overdue(&self, budget: Duration) -> Option<Diagnostic> {
        let late = |busy: &Busy| {
            (busy.since.elapsed() > budget).then(|| {
                let file = crate::theme::template_file(&self.files, busy.template);
                overdue_problem(&file, &busy.page, budget)
            })
        };
        let in_slots = self.slots.iter().find_map(|slot| {
            let busy = slot.lock().unwrap_or_else(|e| e.into_inner());
            busy.as_ref().and_then(late)
        });
        in_slots.or_else(|| {
            let others = self.others.lock().unwrap_or_else(|e| e.into_inner());
            others.values().find_map(late)
        })
    }
}

/// The `template-render` error of a page whose render took over `budget`;
/// `template` is the template's file.
pub fn overdue_problem(template: &str, page: &str, budget: Duration) -> Diagnostic {
    Diagnostic::error(
        Code::TemplateRender,
        template,
        format!(
            "rendering {page} through {template} took longer than {} s: the template seems to loop without end",
            budget.as_secs()
        ),
    )
    .hint("look for a loop in the template that never ends or runs very long; if the page is just very large, raise [build] render_timeout in book.toml")
}

/// Stops the watchdog when dropped.
pub(crate) struct Watchdog {
    watch: Arc<Watch>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.watch.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_over_budget_is_found_and_named() {
        let watch = Watch::default();
        let guard = watch.rendering("role.html", "en/secretary.html");
        assert!(watch.overdue(Duration::from_secs(60)).is_none());
        std::thread::sleep(Duration::from_millis(5));
        let problem = watch.overdue(Duration::from_millis(1)).unwrap();
        assert_eq!(problem.code, "template-render");
        assert!(
            problem.message.contains("en/secretary.html"),
            "{}",
            problem.message
        );
        assert_eq!(problem.file, "role.html");
        drop(guard);
        assert!(watch.overdue(Duration::from_millis(1)).is_none());
    }

    #[test]
    fn a_render_on_a_thread_of_the_pool_is_watched_in_its_slot() {
        let watch = Watch::default();
        // Started from outside the pool, `join` runs its first half on a thread of it.
        rayon::join(
            || {
                assert!(rayon::current_thread_index().is_some());
                let guard = watch.rendering("print.html", "en/print.html");
                std::thread::sleep(Duration::from_millis(5));
                let problem = watch.overdue(Duration::from_millis(1)).unwrap();
                assert!(
                    problem.message.contains("en/print.html"),
                    "{}",
                    problem.message
                );
                assert!(watch.others.lock().unwrap().is_empty());
                drop(guard);
                assert!(watch.overdue(Duration::from_millis(1)).is_none());
            },
            || {},
        );
    }
}
