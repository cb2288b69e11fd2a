//! `rolebook serve`: live preview.
//!
//! Builds the handbook into memory and serves it over HTTP; nothing is ever
//! written to the handbook or its output folder, so the reload script can
//! never reach a published site. On every relevant file change it rebuilds
//! the whole site in memory (simple and always correct) and tells open pages
//! to reload over a WebSocket. When a rebuild fails, the last good site stays
//! up with an overlay listing the problems; the next good save removes it.

pub mod page;
pub mod watch;

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
use crate::output::Site;

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
    /// The last site that built without errors.
    site: Option<Arc<Site>>,
    /// Errors of the latest build (empty when it succeeded).
    errors: Vec<Diagnostic>,
}

#[derive(Clone)]
struct Shared {
    preview: Arc<RwLock<Preview>>,
    reload: broadcast::Sender<()>,
    /// One rebuild at a time, so an older one can never overwrite a newer one.
    building: Arc<std::sync::Mutex<()>>,
}

/// Rebuilds into memory and publishes the result; prints problems once.
fn rebuild(root: &Path, shared: &Shared) {
    let _one_at_a_time = shared.building.lock().unwrap_or_else(|e| e.into_inner());
    let start = Instant::now();
    let (site, diagnostics) = crate::build_in_memory(root);
    let errors: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if !diagnostics.is_empty() {
        eprint!("{}", diagnostic::render_human(&diagnostics, root, false));
    }
    let ok = site.is_some();
    {
        let mut preview = shared.preview.write().unwrap_or_else(|e| e.into_inner());
        if let Some(site) = site {
            preview.site = Some(Arc::new(site));
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
    };
    rebuild(&root, &shared);
    let watcher_shared = shared.clone();
    let watcher_root = root.clone();
    let handle = tokio::runtime::Handle::current();
    let _watcher = watch::watch(&root, Duration::from_millis(20), move || {
        let (root, shared) = (watcher_root.clone(), watcher_shared.clone());
        handle.spawn_blocking(move || rebuild(&root, &shared));
    })
    .map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", root.display()))?;
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
    println!("stopped");
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
    let (site, errors) = {
        let preview = shared.preview.read().unwrap_or_else(|e| e.into_inner());
        (preview.site.clone(), preview.errors.clone())
    };
    let Some(site) = site else {
        return respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            page::error_page(&errors).into_bytes(),
        );
    };
    let (status, path, bytes) = match site.get(&path) {
        Some(bytes) => (StatusCode::OK, path, bytes),
        None => match site.get("404.html") {
            Some(bytes) => (StatusCode::NOT_FOUND, "404.html".to_string(), bytes),
            None => {
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
        page::inject(&String::from_utf8_lossy(bytes), &errors).into_bytes()
    } else {
        bytes.to_vec()
    };
    respond(status, content_type, body)
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
