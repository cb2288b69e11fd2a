//! `rolebook serve`: live preview.
//!
//! Reads and checks the handbook into memory and serves it over HTTP; nothing
//! is ever written to the handbook or its output folder, so the reload script
//! can never reach a published site. On every relevant file change it reads
//! and checks the whole handbook again (every page, so the overlay lists
//! every problem) and tells open pages to reload over a WebSocket. Pages are
//! rendered through the templates when they are asked for and kept until the
//! next change: rendering all 6,000 pages of a 2,000-role handbook after every
//! save would blow the 300 ms save-to-reload budget (BENCHMARKS.md). When a
//! save breaks the handbook, the last good version stays up with an overlay
//! listing the problems; the next good save removes it.

pub mod page;
pub mod watch;

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::broadcast;

use crate::diagnostic::{self, Diagnostic};
use crate::Checked;

/// What `serve` needs to know.
pub struct ServeOptions {
    pub root: PathBuf,
    pub host: String,
    pub port: u16,
    pub open: bool,
}

/// The current state of the preview.
#[derive(Default)]
struct Preview {
    /// The last handbook that checked without errors.
    checked: Option<Arc<Checked>>,
    /// Files of `checked` rendered so far, by path.
    rendered: HashMap<String, Arc<Vec<u8>>>,
    /// Errors of the latest check (empty when it succeeded).
    errors: Vec<Diagnostic>,
}

#[derive(Clone)]
struct Shared {
    preview: Arc<RwLock<Preview>>,
    reload: broadcast::Sender<()>,
    /// One rebuild at a time, so an older one can never overwrite a newer one.
    building: Arc<std::sync::Mutex<()>>,
    /// Parsed and rendered Markdown of unchanged files, kept between rebuilds.
    cache: Arc<std::sync::Mutex<crate::PageCache>>,
}

/// Reads and checks the handbook again and publishes the result; prints problems once.
fn rebuild(root: &Path, shared: &Shared) {
    let _one_at_a_time = shared.building.lock().unwrap_or_else(|e| e.into_inner());
    let start = Instant::now();
    let checked = {
        let mut cache = shared.cache.lock().unwrap_or_else(|e| e.into_inner());
        crate::load_with(root, &mut cache)
    };
    if !checked.diagnostics.is_empty() {
        eprint!(
            "{}",
            diagnostic::render_human(&checked.diagnostics, root, false)
        );
    }
    let errors: Vec<Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let ok = errors.is_empty() && checked.theme.is_some();
    {
        let mut preview = shared.preview.write().unwrap_or_else(|e| e.into_inner());
        if ok {
            preview.checked = Some(Arc::new(checked));
            preview.rendered.clear();
        }
        preview.errors = errors;
    }
    let _ = shared.reload.send(());
    if ok {
        eprintln!("rebuilt in {} ms", start.elapsed().as_millis());
    } else {
        eprintln!("rebuild failed: serving the last good version with the problems on top");
    }
}

/// Runs the preview server until Ctrl-C.
pub fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(options))
}

async fn run(options: ServeOptions) -> anyhow::Result<()> {
    // Watch events carry absolute paths; compare them with an absolute root.
    let root = crate::output::absolute(&options.root);
    let (reload, _) = broadcast::channel(16);
    let shared = Shared {
        preview: Arc::new(RwLock::new(Preview::default())),
        reload,
        building: Arc::default(),
        cache: Arc::new(std::sync::Mutex::new(crate::PageCache::keeping())),
    };
    rebuild(&root, &shared);
    let (mut watcher, changes) = watch::Watcher::start(&root, Duration::from_millis(20))
        .map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", root.display()))?;
    let (watch_root, watch_shared) = (root.clone(), shared.clone());
    std::thread::spawn(move || {
        while changes.recv().is_ok() {
            // Changes that arrived meanwhile are covered by this rebuild.
            while changes.try_recv().is_ok() {}
            watcher.ensure_watched();
            rebuild(&watch_root, &watch_shared);
        }
    });
    let app = Router::new()
        .route(page::RELOAD_PATH, get(reload_socket))
        .route("/__rolebook/reload.js", get(reload_script))
        .fallback(get(site_file))
        .with_state(shared);
    let listener = tokio::net::TcpListener::bind((options.host.as_str(), options.port))
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}:{}: {e}", options.host, options.port))?;
    let addr: SocketAddr = listener.local_addr()?;
    let url = format!("http://{addr}/");
    println!("serving {} at {url} (Ctrl-C to stop)", root.display());
    if options.open {
        open_browser(&url);
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    // stdout may be closed by now (a pipe whose reader is gone): never panic on it.
    let _ = writeln!(std::io::stdout(), "stopped");
    Ok(())
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; open {url} yourself");
    }
}

async fn reload_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page::RELOAD_SCRIPT,
    )
        .into_response()
}

async fn reload_socket(ws: WebSocketUpgrade, State(shared): State<Shared>) -> Response {
    let mut changes = shared.reload.subscribe();
    ws.on_upgrade(move |mut socket: WebSocket| async move {
        while changes.recv().await.is_ok() {
            if socket.send(Message::Text("reload".into())).await.is_err() {
                break;
            }
        }
    })
}

async fn site_file(State(shared): State<Shared>, uri: Uri) -> Response {
    let Some(path) = page::site_path(uri.path()) else {
        return respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            b"bad path".to_vec(),
        );
    };
    let (checked, errors) = {
        let preview = shared.preview.read().unwrap_or_else(|e| e.into_inner());
        (preview.checked.clone(), preview.errors.clone())
    };
    let Some(checked) = checked else {
        return respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            page::error_page(&errors).into_bytes(),
        );
    };
    let (status, path, bytes) = match file(&shared, &checked, &path).await {
        Some(Ok(bytes)) => (StatusCode::OK, path, bytes),
        Some(Err(problem)) => {
            eprint!(
                "{}",
                diagnostic::render_human(std::slice::from_ref(&problem), &checked.root, false)
            );
            let mut shown = errors;
            shown.push(problem);
            return respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/html; charset=utf-8",
                page::error_page(&shown).into_bytes(),
            );
        }
        None => match file(&shared, &checked, "404.html").await {
            Some(Ok(bytes)) => (StatusCode::NOT_FOUND, "404.html".to_string(), bytes),
            _ => {
                return respond(
                    StatusCode::NOT_FOUND,
                    "text/plain; charset=utf-8",
                    b"not found".to_vec(),
                )
            }
        },
    };
    let content_type = page::content_type(&path);
    let body = if content_type.starts_with("text/html") {
        page::inject(&String::from_utf8_lossy(&bytes), &errors).into_bytes()
    } else {
        bytes.to_vec()
    };
    respond(status, content_type, body)
}

/// File `path` of `checked`: from the cache, else rendered now (off the
/// async threads) and cached while `checked` is current.
async fn file(
    shared: &Shared,
    checked: &Arc<Checked>,
    path: &str,
) -> Option<Result<Arc<Vec<u8>>, Diagnostic>> {
    if let Some(bytes) = shared
        .preview
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .rendered
        .get(path)
    {
        return Some(Ok(bytes.clone()));
    }
    let (job_checked, job_path) = (checked.clone(), path.to_string());
    let result = tokio::task::spawn_blocking(move || crate::render_one(&job_checked, &job_path))
        .await
        .ok()??;
    let bytes = match result {
        Ok(bytes) => Arc::new(bytes),
        Err(problem) => return Some(Err(problem)),
    };
    let mut preview = shared.preview.write().unwrap_or_else(|e| e.into_inner());
    if preview
        .checked
        .as_ref()
        .is_some_and(|c| Arc::ptr_eq(c, checked))
    {
        preview.rendered.insert(path.to_string(), bytes.clone());
    }
    Some(Ok(bytes))
}

fn respond(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}
