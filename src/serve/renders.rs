//! Renders of site files in flight: one at a time per path, each within the
//! handbook's render budget (`[build] render_timeout`).
//!
//! Tera has no step limit and a thread cannot be killed, so a template that
//! loops keeps its render thread busy until it ends by itself. The preview
//! answers with a `template-render` error once the budget is spent, and never
//! starts a second render of a path whose render is still running: a reload
//! of that page joins the running render (or gets the same error) instead of
//! adding one more busy thread. A restart is the only way to free the thread.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::diagnostic::{Code, Diagnostic};
use crate::Loaded;

/// What rendering a path gave: `None` when the site has no such file.
pub type Outcome = Option<Result<Arc<Vec<u8>>, Diagnostic>>;

/// A render that is running, or done but not yet collected.
struct Running {
    id: u64,
    /// The handbook it renders, to tell a stale result from a current one.
    of: Arc<Loaded>,
    started: Instant,
    done: watch::Receiver<Option<Outcome>>,
}

/// The renders in flight, by site path.
#[derive(Clone, Default)]
pub struct Renders {
    running: Arc<Mutex<HashMap<String, Running>>>,
    next_id: Arc<AtomicU64>,
}

/// How a wait for a render ended.
pub enum Rendered {
    /// The render of `of` finished with this outcome.
    Done { outcome: Outcome, of: Arc<Loaded> },
    /// It has run longer than the budget (and may still be running).
    Overdue(Diagnostic),
}

impl Renders {
    /// Renders `path` of `checked`, or joins the render of `path` already
    /// running, and waits at most until the render budget is spent.
    pub async fn render(&self, checked: &Arc<Loaded>, path: &str) -> Rendered {
        let budget = budget(checked);
        // A render of an older handbook that finishes in time is waited for,
        // then `path` is rendered again for this one (once: saves may go on).
        let mut attempts = 0;
        loop {
            attempts += 1;
            let (of, started, mut done) = self.join_or_start(checked, path);
            let left = budget.saturating_sub(started.elapsed());
            let outcome = match tokio::time::timeout(left, done.wait_for(Option::is_some)).await {
                Ok(Ok(outcome)) => outcome.clone().flatten(),
                // The render thread panicked before it could answer.
                Ok(Err(_)) => Some(Err(Diagnostic::error(
                    Code::TemplateRender,
                    path,
                    format!("rendering {path} failed unexpectedly"),
                ))),
                Err(_) => return Rendered::Overdue(overdue(&of, path, budget)),
            };
            if Arc::ptr_eq(&of, checked) || attempts == 2 {
                return Rendered::Done { outcome, of };
            }
        }
    }

    /// The running render of `path`, started now if there is none.
    fn join_or_start(
        &self,
        checked: &Arc<Loaded>,
        path: &str,
    ) -> (Arc<Loaded>, Instant, watch::Receiver<Option<Outcome>>) {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = running.get(path) {
            return (r.of.clone(), r.started, r.done.clone());
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = watch::channel(None);
        let started = Instant::now();
        running.insert(
            path.to_string(),
            Running {
                id,
                of: checked.clone(),
                started,
                done: rx.clone(),
            },
        );
        let finish = Finish {
            renders: self.clone(),
            path: path.to_string(),
            id,
        };
        let (job_checked, job_path) = (checked.clone(), path.to_string());
        tokio::task::spawn_blocking(move || {
            let outcome = render_one(&job_checked, &job_path).map(|r| r.map(Arc::new));
            // Off the list first: a request from now on may start afresh.
            drop(finish);
            let _ = tx.send(Some(outcome));
        });
        watch_for_overdue(rx.clone(), checked.clone(), path, started);
        (checked.clone(), started, rx)
    }
}

/// The bytes of site file `path` (a page, a theme file, the sitemap or the
/// search index; assets are streamed by `asset`), rendered now; `None` when
/// the site has no such file.
fn render_one(loaded: &Loaded, path: &str) -> Option<Result<Vec<u8>, Diagnostic>> {
    use crate::route::Route;
    let theme = loaded.theme.as_ref()?;
    // The index's entry and term parts come from one index build per load.
    let shared = match Route::parse(path) {
        Some(Route::SearchIndex) => true,
        Some(Route::SearchPart { name }) => !name.starts_with('d'),
        _ => false,
    };
    if shared {
        let files = loaded
            .search_files
            .get_or_init(|| crate::search::shared_files(&loaded.handbook, &loaded.rendered));
        return files.get(path).cloned().map(Ok);
    }
    crate::render::render_path(&loaded.handbook, &loaded.rendered, theme, path)
}

/// Takes a render off the list when its thread ends, even by a panic.
struct Finish {
    renders: Renders,
    path: String,
    id: u64,
}

impl Drop for Finish {
    fn drop(&mut self) {
        let mut running = self
            .renders
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if running.get(&self.path).is_some_and(|r| r.id == self.id) {
            running.remove(&self.path);
        }
    }
}

/// Says once in the terminal when a render runs over its budget, whether or
/// not anyone still waits for it, and that only a restart frees its thread.
fn watch_for_overdue(
    mut done: watch::Receiver<Option<Outcome>>,
    checked: Arc<Loaded>,
    path: &str,
    started: Instant,
) {
    let path = path.to_string();
    tokio::spawn(async move {
        let budget = budget(&checked);
        let left = budget.saturating_sub(started.elapsed());
        if tokio::time::timeout(left, done.wait_for(Option::is_some))
            .await
            .is_err()
        {
            // Each request for the page prints the error itself.
            eprintln!(
                "rendering {path} has taken longer than {} s and keeps a thread busy; \
                 it is not started again while it runs. Fix the template, then restart \
                 `rolebook serve` to free the stuck thread.",
                budget.as_secs()
            );
        }
    });
}

/// The handbook's render budget (`[build] render_timeout`).
fn budget(checked: &Loaded) -> Duration {
    checked.handbook.config.render_timeout
}

/// The `template-render` error of a render of `path` that ran over `budget`.
fn overdue(checked: &Loaded, path: &str, budget: Duration) -> Diagnostic {
    let template = template_for(path);
    let file = checked
        .theme
        .as_ref()
        .and_then(|t| {
            let files = &t.template_files;
            files
                .get(&format!("theme/{template}"))
                .or_else(|| files.get(&format!("builtin/{template}")))
                .or_else(|| files.get(template))
        })
        .cloned()
        .unwrap_or_else(|| template.to_string());
    crate::render::budget::overdue_problem(&file, path, budget).hint(
        "look for a loop in the template that never ends or runs very long and fix it; \
         then restart `rolebook serve` to free the stuck thread",
    )
}

/// The theme template that renders site file `path` (named in messages only).
fn template_for(path: &str) -> &'static str {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["index.html"] => "index.html",
        ["404.html"] => "404.html",
        ["parallel", ..] => "parallel.html",
        [_, file] if file.ends_with(".parallel.html") => "parallel.html",
        [_, "index.html"] => "home.html",
        [_, "translations.html"] => "translations.html",
        [_, "changes.html"] => "changes.html",
        _ => "role.html",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_template_of_each_kind_of_page() {
        assert_eq!(template_for("index.html"), "index.html");
        assert_eq!(template_for("en/index.html"), "home.html");
        assert_eq!(template_for("en/clerk.html"), "role.html");
        assert_eq!(template_for("zh/translations.html"), "translations.html");
        assert_eq!(template_for("parallel/clerk.html"), "parallel.html");
        assert_eq!(template_for("zh/clerk.parallel.html"), "parallel.html");
        assert_eq!(template_for("404.html"), "404.html");
    }
}
