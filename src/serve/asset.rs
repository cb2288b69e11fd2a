//! Linked files under content/ (`assets/...` in the site), served by streaming.
//!
//! A linked video can be hundreds of megabytes and several tabs may ask for it
//! at once, so a file is never read whole: it is sent in small chunks, each
//! read off the async threads. Like `build`, only files some page links to are
//! part of the site, and a file is opened only through [`crate::roots`], so a
//! link inside content/ that leads outside the handbook is never followed.

use std::fs::File;
use std::io::Read;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::diagnostic::{Code, Diagnostic};
use crate::roots::Refusal;
use crate::Loaded;

/// Bytes read per chunk: small enough that many parallel downloads stay cheap.
const CHUNK: usize = 64 * 1024;

/// How a request for a linked file ends.
pub enum Answer {
    /// The file, streaming.
    File(Response),
    /// Not part of the site (or refused): answered like any missing file.
    NotFound,
    /// Part of the site but unreadable.
    Failed(Diagnostic),
}

/// Answers `assets/ASSET`, where `asset` is the path under content/.
pub async fn answer(checked: &Arc<Loaded>, asset: &str, content_type: &'static str) -> Answer {
    let linked = checked
        .rendered
        .iter()
        .any(|r| r.assets.iter().any(|a| a == asset));
    if !linked {
        return Answer::NotFound;
    }
    let path = checked.root.join("content").join(asset);
    answer_file(checked, path, format!("content/{asset}"), content_type).await
}

/// The handbook's own site file at site path `path` (see [`crate::extras`]),
/// streamed; `NotFound` when the handbook has none there.
pub async fn answer_extra(checked: &Arc<Loaded>, path: &str, content_type: &'static str) -> Answer {
    let Some(extra) = checked.extras.iter().find(|e| e.output == path) else {
        return Answer::NotFound;
    };
    answer_file(
        checked,
        extra.source.clone(),
        extra.file.clone(),
        content_type,
    )
    .await
}

/// Streams the file at `path` (shown as `shown` in messages) when it lies
/// inside the handbook.
async fn answer_file(
    checked: &Arc<Loaded>,
    path: std::path::PathBuf,
    shown: String,
    content_type: &'static str,
) -> Answer {
    let roots = checked.roots.clone();
    let opened = tokio::task::spawn_blocking(move || {
        let file = roots.open(&path)?;
        let len = file.metadata().map_err(Refusal::Io)?.len();
        Ok::<_, Refusal>((file, len))
    })
    .await;
    match opened {
        Ok(Ok((file, len))) => Answer::File(stream(file, len, content_type)),
        Ok(Err(Refusal::Outside(real))) => {
            eprintln!(
                "refused to serve {shown}: it leads to {}, outside the handbook",
                real.display()
            );
            Answer::NotFound
        }
        Ok(Err(Refusal::Io(e))) if e.kind() == std::io::ErrorKind::NotFound => Answer::NotFound,
        Ok(Err(Refusal::Io(e))) => {
            Answer::Failed(Diagnostic::error(Code::ReadFailed, shown, e.to_string()))
        }
        Err(e) => Answer::Failed(Diagnostic::error(Code::ReadFailed, shown, e.to_string())),
    }
}

/// A 200 response sending the first `len` bytes of `file` chunk by chunk.
fn stream(file: File, len: u64, content_type: &'static str) -> Response {
    let chunks = futures_util::stream::unfold(Some((file, len)), |state| async move {
        let (file, left) = state?;
        if left == 0 {
            return None;
        }
        let want = usize::try_from(left).map_or(CHUNK, |l| l.min(CHUNK));
        match tokio::task::spawn_blocking(move || read_chunk(file, want)).await {
            Ok(Ok((file, chunk))) => {
                let left = left - chunk.len() as u64;
                Some((Ok(Bytes::from(chunk)), Some((file, left))))
            }
            Ok(Err(e)) => Some((Err(e), None)),
            Err(e) => Some((Err(std::io::Error::other(e)), None)),
        }
    });
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
            (header::CONTENT_LENGTH, len.to_string()),
        ],
        Body::from_stream(chunks),
    )
        .into_response()
}

/// Reads up to `want` bytes; a file that shrank while being sent is an error
/// (the length was promised in the headers).
fn read_chunk(mut file: File, want: usize) -> std::io::Result<(File, Vec<u8>)> {
    let mut chunk = vec![0; want];
    let n = file.read(&mut chunk)?;
    if n == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the file shrank while it was being sent",
        ));
    }
    chunk.truncate(n);
    Ok((file, chunk))
}
