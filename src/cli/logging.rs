//! Tracing to a file: the terminal belongs to the output (and later the dashboard).

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Lines the log writer thread may lag behind; more are dropped, never blocking a task.
const LOG_BUFFER_LINES: usize = 4_096;

/// Default log file: `tdbi.log` in the platform state dir (`~/.local/state/tdbi` on Linux).
pub fn default_log_file() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "tdbi")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(dir.join("tdbi.log"))
}

/// Starts logging to `file` (or the default), at the level of `RUST_LOG` (default
/// `tdbi=info`). Keep the guard alive: buffered lines are written when it drops.
/// Returns a warning instead when the file cannot be opened; the program goes on.
pub fn init(file: Option<&Path>) -> Result<WorkerGuard, String> {
    let path = file
        .map(Path::to_owned)
        .or_else(default_log_file)
        .ok_or("no log file: the platform state directory is unknown; pass --log-file")?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| format!("--log-file {}: not a file name", path.display()))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("log directory {}: {e}", dir.display()))?;
    private(&path).map_err(|e| format!("log file {}: {e}", path.display()))?;
    let appender = tracing_appender::rolling::RollingFileAppender::builder()
        .filename_prefix(name.to_string_lossy())
        .build(dir)
        .map_err(|e| format!("log file {}: {e}", path.display()))?;
    // The default buffer holds 128,000 lines, allocated and touched up front (about
    // 4 MB of the resident set before anything is logged); a few thousand suffice.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(LOG_BUFFER_LINES)
        .finish(appender);
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("tdbi=info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .map_err(|e| format!("logging: {e}"))?;
    Ok(guard)
}

/// Creates the log file 0600, or narrows an existing one to 0600 (an older tdbi or
/// another tool may have made it readable by others).
fn private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        options.open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    options.open(path).map(drop)
}
