//! Atomic replacement of a cache file: a temporary file beside it (mode 0600), written
//! and synced, renamed over the old one, then the directory synced, so a reader sees
//! the old file or the new one, never a torn one.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use crate::private_fs::{self, create_dir};

/// Replaces `path` with `bytes` atomically; creates its directory (0700) when missing.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir,
        None => Path::new("."),
    };
    create_dir(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("cache");
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = write_synced(&temp, bytes).and_then(|()| std::fs::rename(&temp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(dir);
    Ok(())
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = open_private(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(unix)]
fn open_private(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // A leftover temporary file keeps its old mode: set it again.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

/// Makes the rename durable (best effort: a failure is logged, the file is written).
fn sync_dir(dir: &Path) {
    if let Err(e) = private_fs::sync_dir(dir) {
        tracing::warn!("cache: cannot sync {}: {e}", dir.display());
    }
}
