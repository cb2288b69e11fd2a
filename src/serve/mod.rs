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
//! listing the problems; the next good save removes it. A first start with
//! errors serves a page listing them instead (there is nothing underneath).
//! Each role page also shows a banner of its own source file's warnings.
//! Overlay and banner speak the page's language (see [`page`]).
//!
//! Only loopback names and the listening address are answered (see
//! [`guard`]); linked files are streamed (see [`asset`]); each page renders
//! at most once at a time, within the render budget (see [`renders`]).

pub mod asset;
pub mod cache;
pub mod guard;
pub mod page;
pub mod renders;
pub mod watch;

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::broadcast;

use crate::diagnostic::{self, Diagnostic};
use crate::Loaded;

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
    checked: Option<Arc<Loaded>>,
    /// Files of `checked` rendered so far, by path.
    rendered: HashMap<String, Arc<Vec<u8>>>,
    /// Errors of the latest check (empty when it succeeded).
    errors: Vec<Diagnostic>,
    /// Warnings of the latest check, shown on their pages.
    warnings: Vec<Diagnostic>,
}

#[derive(Clone)]
struct Shared {
    preview: Arc<RwLock<Preview>>,
    reload: broadcast::Sender<()>,
    /// One rebuild at a time, so an older one can never overwrite a newer one.
    building: Arc<std::sync::Mutex<()>>,
    /// Parsed and rendered Markdown of unchanged files, kept between rebuilds.
    cache: Arc<std::sync::Mutex<cache::PageCache>>,
    /// Renders in flight: never two of one path at a time.
    renders: renders::Renders,
}

/// Reads and checks the handbook again and publishes the result; prints problems once.
fn rebuild(root: &Path, shared: &Shared) {
    let _one_at_a_time = shared.building.lock().unwrap_or_else(|e| e.into_inner());
    let start = Instant::now();
    let loaded = {
        let mut cache = shared.cache.lock().unwrap_or_else(|e| e.into_inner());
        crate::load_with(root, &mut *cache)
    };
    let diagnostics = match &loaded {
        Ok(loaded) => &loaded.diagnostics,
        Err(problems) => problems,
    };
    if !diagnostics.is_empty() {
        eprint!("{}", diagnostic::render_human(diagnostics, root, false));
    }
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = diagnostics
        .iter()
        .filter(|d| d.severity != diagnostic::Severity::Info)
        .cloned()
        .partition(Diagnostic::is_error);
    let good = loaded
        .ok()
        .filter(|l| errors.is_empty() && l.theme.is_some());
    let ok = good.is_some();
    let shown;
    // The previous load and its pages, freed once readers are let in again.
    let mut previous = None;
    {
        let mut preview = shared.preview.write().unwrap_or_else(|e| e.into_inner());
        if let Some(loaded) = good {
            previous = Some((
                preview.checked.replace(Arc::new(loaded)),
                std::mem::take(&mut preview.rendered),
            ));
        }
        preview.errors = errors;
        preview.warnings = warnings;
        shown = preview.checked.is_some();
    }
    let _ = shared.reload.send(());
    if ok {
        eprintln!("rebuilt in {} ms", start.elapsed().as_millis());
    } else if shown {
        eprintln!("rebuild failed: serving the last good version with the problems on top");
    } else {
        eprintln!("build failed: serving a page that lists the problems until a save fixes them");
    }
    drop(previous);
}

/// Why the preview cannot listen, and what to do about it.
fn listen_error(options: &ServeOptions, e: &std::io::Error) -> anyhow::Error {
    let at = format!("{}:{}", options.host, options.port);
    if e.kind() == std::io::ErrorKind::AddrInUse {
        anyhow::anyhow!(
            "port {} is busy ({at}: another program, or another `rolebook serve`, is using it); \
             stop that program, or pick another port: `--port {}`, or `--port 0` for any free one",
            options.port,
            options.port.saturating_add(1)
        )
    } else {
        anyhow::anyhow!("cannot listen on {at}: {e}")
    }
}

/// Runs the preview server until Ctrl-C.
pub fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(run(options));
    // A render stuck in a looping template never ends: do not wait for it.
    runtime.shutdown_timeout(Duration::from_millis(200));
    result
}

async fn run(options: ServeOptions) -> anyhow::Result<()> {
    // Watch events carry absolute paths; compare them with an absolute root.
    let root = crate::output::absolute(&options.root);
    let (reload, _) = broadcast::channel(16);
    let shared = Shared {
        preview: Arc::new(RwLock::new(Preview::default())),
        reload,
        building: Arc::default(),
        cache: Arc::new(std::sync::Mutex::new(cache::PageCache::default())),
        renders: renders::Renders::default(),
    };
    // Listen first: a busy port is said at once, not after a long build.
    let listener = tokio::net::TcpListener::bind((options.host.as_str(), options.port))
        .await
        .map_err(|e| listen_error(&options, &e))?;
    rebuild(&root, &shared);
    watch_and_rebuild(&root, &shared)?;
    let addr: SocketAddr = listener.local_addr()?;
    let names = if addr.ip().is_unspecified() {
        guard::machine_names()
    } else {
        Vec::new()
    };
    let allowed = Arc::new(guard::Allowed::new(addr, &options.host, &names));
    let app = Router::new()
        .route(page::RELOAD_PATH, get(reload_socket))
        .route("/__rolebook/reload.js", get(reload_script))
        .fallback(get(site_file))
        .layer(axum::middleware::from_fn_with_state(allowed, check_host))
        .with_state(shared);
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

/// Rebuilds on every batch of changes, on a thread of its own, for as long as
/// the process runs.
fn watch_and_rebuild(root: &Path, shared: &Shared) -> anyhow::Result<()> {
    let (mut watcher, changes) = watch::Watcher::start(root, Duration::from_millis(20))
        .map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", root.display()))?;
    let (root, shared) = (root.to_path_buf(), shared.clone());
    std::thread::spawn(move || {
        while let Ok(mut changed) = changes.recv() {
            watcher.ensure_watched();
            // One saved page (an editor's save is one or two paths) rebuilds
            // at once; anything else may be the start of a burst.
            if changed.len() > 2 || !changed.iter().all(|p| p.is_file()) {
                settle(&changes, &mut changed);
            }
            // Folders made during the burst (content/ restored) are watched
            // before the rebuild reads them, so no later save is missed.
            watcher.ensure_watched();
            // Taken before the rebuild reads: a doubt raised while it runs
            // counts for the next one.
            let doubt = watcher.take_doubt();
            shared
                .cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .changed(&root, &changed, !doubt);
            rebuild(&root, &shared);
        }
    });
    Ok(())
}

/// Waits until a burst of changes ends (a branch switch or a restore writes
/// many files): until no change arrived for a short while, at most a second,
/// so a steady stream of saves still rebuilds. Adds what changed meanwhile.
fn settle(changes: &std::sync::mpsc::Receiver<Vec<PathBuf>>, changed: &mut Vec<PathBuf>) {
    const QUIET: Duration = Duration::from_millis(30);
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(1) {
        match changes.recv_timeout(QUIET) {
            Ok(more) => changed.extend(more),
            Err(_) => break,
        }
    }
}

/// Refuses requests for host names other than the preview's own (DNS
/// rebinding), and WebSocket upgrades from pages of other origins.
async fn check_host(
    State(allowed): State<Arc<guard::Allowed>>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST).or_else(|| request.uri().authority().map(|a| a.as_str()));
    let refusal = match host {
        Some(host) if allowed.host(host) => None,
        Some(host) => Some(format!("host name `{host}` is not this preview's")),
        None => Some("the request names no host".to_string()),
    };
    let refusal = refusal.or_else(|| {
        let origin = text(header::ORIGIN).filter(|_| is_upgrade(headers))?;
        (!allowed.origin(origin)).then(|| format!("WebSocket from origin `{origin}` refused"))
    });
    match refusal {
        None => next.run(request).await,
        Some(why) => respond(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            format!(
                "rolebook serve: {why}; open the preview at http://localhost:{}/\n",
                allowed.port()
            )
            .into_bytes(),
        ),
    }
}

/// Whether a request asks to become a WebSocket.
fn is_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
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
    let changes = shared.reload.subscribe();
    ws.on_upgrade(move |socket: WebSocket| tell_reloads(socket, changes))
}

/// Sends "reload" on every rebuild until the page goes away. The socket is
/// read too, so a page that closed it (every navigation does) ends the task
/// and frees its descriptor at once, not at the next rebuild.
async fn tell_reloads(mut socket: WebSocket, mut changes: broadcast::Receiver<()>) {
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                // The page never sends anything that matters.
                Some(Ok(_)) => {}
            },
            change = changes.recv() => {
                if let Err(broadcast::error::RecvError::Closed) = change {
                    break;
                }
                // A lagging receiver missed some rebuilds: one reload covers them.
                if socket.send(Message::Text("reload".into())).await.is_err() {
                    break;
                }
            }
        }
    }
}

async fn site_file(State(shared): State<Shared>, uri: Uri) -> Response {
    let Some(path) = page::site_path(uri.path()) else {
        return respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            b"bad path".to_vec(),
        );
    };
    let (checked, errors, warnings) = {
        let preview = shared.preview.read().unwrap_or_else(|e| e.into_inner());
        let checked = preview.checked.clone();
        let file = checked.as_deref().and_then(|c| source_file(c, &path));
        let warnings: Vec<Diagnostic> = match file {
            Some(file) => preview
                .warnings
                .iter()
                .filter(|d| d.file == file)
                .cloned()
                .collect(),
            None => Vec::new(),
        };
        (checked, preview.errors.clone(), warnings)
    };
    let Some(checked) = checked else {
        return error_response(&errors, &path);
    };
    // The handbook's own files (static/ under ROOT, the logo), as they are.
    match asset::answer_extra(&checked, &path, page::content_type(&path)).await {
        asset::Answer::File(response) => return response,
        asset::Answer::Failed(problem) => {
            return problem_response(&checked, errors, problem, &path)
        }
        asset::Answer::NotFound => {}
    }
    let asset = match crate::route::Route::parse(&path) {
        Some(crate::route::Route::Asset { path }) => Some(path),
        _ => None,
    };
    let found = match asset {
        // Linked files are streamed, never rendered into memory.
        Some(asset) => match asset::answer(&checked, asset, page::content_type(&path)).await {
            asset::Answer::File(response) => return response,
            asset::Answer::NotFound => None,
            asset::Answer::Failed(problem) => Some(Err(problem)),
        },
        None => file(&shared, &checked, &path).await,
    };
    let (status, path, bytes) = match found {
        Some(Ok(bytes)) => (StatusCode::OK, path, bytes),
        Some(Err(problem)) => return problem_response(&checked, errors, problem, &path),
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
        page::inject(&String::from_utf8_lossy(&bytes), &errors, &warnings).into_bytes()
    } else {
        bytes.to_vec()
    };
    respond(status, content_type, body)
}

/// The source file (root-relative) of the role page at site path `path`.
fn source_file<'a>(checked: &'a Loaded, path: &str) -> Option<&'a str> {
    let crate::route::Route::Role { lang, id } = crate::route::Route::parse(path)? else {
        return None;
    };
    let h = &checked.handbook;
    let page = h
        .role(id)?
        .pages
        .get(h.config.lang_id(lang)?.index())?
        .as_ref()?;
    Some(h.pages[*page].file.as_str())
}

/// The error page listing `errors`, for when no version of the site exists:
/// in Chinese for a path under a `zh...` folder, else in the editor's language.
fn error_response(errors: &[Diagnostic], path: &str) -> Response {
    let lang = match path.split('/').next() {
        Some(folder) if folder.starts_with("zh") => diagnostic::MessageLang::Zh,
        _ => diagnostic::messages(),
    };
    respond(
        StatusCode::INTERNAL_SERVER_ERROR,
        "text/html; charset=utf-8",
        page::error_page(errors, lang).into_bytes(),
    )
}

/// A file that failed to render: printed once here, shown with the other errors.
fn problem_response(
    checked: &Loaded,
    mut errors: Vec<Diagnostic>,
    problem: Diagnostic,
    path: &str,
) -> Response {
    eprint!(
        "{}",
        diagnostic::render_human(std::slice::from_ref(&problem), &checked.root, false)
    );
    errors.push(problem);
    error_response(&errors, path)
}

/// File `path` of `checked`: from the cache, else rendered now (off the
/// async threads, one render per path at a time, within the render budget)
/// and cached while `checked` is current.
async fn file(
    shared: &Shared,
    checked: &Arc<Loaded>,
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
    let (outcome, of) = match shared.renders.render(checked, path).await {
        renders::Rendered::Done { outcome, of } => (outcome, of),
        renders::Rendered::Overdue(problem) => return Some(Err(problem)),
    };
    let bytes = match outcome? {
        Ok(bytes) => bytes,
        Err(problem) => return Some(Err(problem)),
    };
    let mut preview = shared.preview.write().unwrap_or_else(|e| e.into_inner());
    // Only a render of the handbook being shown may be kept for it.
    if preview
        .checked
        .as_ref()
        .is_some_and(|c| Arc::ptr_eq(c, checked) && Arc::ptr_eq(c, &of))
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
