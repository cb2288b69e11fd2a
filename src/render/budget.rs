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
#[derive(Default)]
pub(crate) struct Watch {
    busy: Mutex<HashMap<ThreadId, Busy>>,
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

/// Marks the current thread free again when dropped.
pub(crate) struct Rendering<'a>(&'a Watch);

impl Drop for Rendering<'_> {
    fn drop(&mut self) {
        let mut busy = self.0.busy.lock().unwrap_or_else(|e| e.into_inner());
        busy.remove(&std::thread::current().id());
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
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        busy.insert(
            std::thread::current().id(),
            Busy {
                template,
                page: page.to_string(),
                since: Instant::now(),
            },
        );
        Rendering(self)
    }

    /// The first render that has taken longer than `budget`, as a problem.
    fn overdue(&self, budget: Duration) -> Option<Diagnostic> {
        let busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        let late = busy.values().find(|b| b.since.elapsed() > budget)?;
        let file = crate::theme::template_file(&self.files, late.template);
        Some(overdue_problem(&file, &late.page, budget))
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
}
