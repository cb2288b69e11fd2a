//! The files under content/ that pages link to, copied into `assets/`, and
//! the handbook's own site files (`static/` under ROOT, the logo; see
//! [`crate::extras`]): streamed one by one (a linked video is never held in
//! memory whole) and only from inside the handbook.

use std::collections::BTreeSet;

use crate::fsutil::FsError;
use crate::output::Sink;
use crate::roots::Refusal;
use crate::route::Route;
use crate::Loaded;

/// Copies every linked file of `loaded` to `sink`.
pub fn copy(loaded: &Loaded, sink: &dyn Sink) -> Result<(), FsError> {
    let used: BTreeSet<&String> = loaded.rendered.iter().flat_map(|r| &r.assets).collect();
    for asset in used {
        let path = loaded.root.join("content").join(asset);
        let mut file = open_inside(loaded, &path)?;
        let out = Route::Asset { path: asset }.path();
        sink.put_stream(&out, &mut |out| std::io::copy(&mut file, out).map(|_| ()))?;
    }
    Ok(())
}

/// Copies the handbook's own site files of `loaded` to `sink`.
pub fn copy_extras(loaded: &Loaded, sink: &dyn Sink) -> Result<(), FsError> {
    for extra in &loaded.extras {
        let mut file = open_inside(loaded, &extra.source)?;
        sink.put_stream(&extra.output, &mut |out| {
            std::io::copy(&mut file, out).map(|_| ())
        })?;
    }
    Ok(())
}

/// Opens `path` for copying when its real path lies inside the handbook;
/// a link leading out is refused like an unreadable file.
fn open_inside(loaded: &Loaded, path: &std::path::Path) -> Result<std::fs::File, FsError> {
    loaded.roots.open(path).map_err(|refusal| FsError {
        action: "cannot read",
        source: match refusal {
            Refusal::Io(e) => e,
            Refusal::Outside(_) => std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "it leads outside the handbook",
            ),
        },
        path: path.to_path_buf(),
    })
}
