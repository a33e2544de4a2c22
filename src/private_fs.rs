//! Directories for files that hold customer data: created owner-only (0700) and synced
//! after a new entry, shared by the events journal and the cache.

use std::io;
use std::path::Path;

/// Creates `dir` and its missing parents, owner-only on unix.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Makes a new or renamed entry of `dir` durable. Platforms that cannot sync a
/// directory report success: it is best effort there.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir).and_then(|d| d.sync_all())
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
