//! Errors of a command and the exit codes they mean.

use crate::config::ConfigError;

/// Why a command failed. Display is the one line printed on stderr.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A wrong configuration or usage: exit code 2.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A wrong argument: exit code 2.
    #[error("{0}")]
    Usage(String),
    /// The remote side failed: exit code 1.
    #[error("{0}")]
    Remote(String),
    /// Some work failed and each failure was already reported: exit code 1.
    #[error("{0} of the organizations failed")]
    Partial(usize),
    /// Local I/O (writing the output, binding a port): exit code 1.
    #[error("{0}")]
    Io(String),
    /// The dashboard was stopped by this signal (terminal restored): exit code 128 + it.
    #[error("stopped by signal {0}")]
    Signal(i32),
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Config(_) | CliError::Usage(_) => 2,
            CliError::Remote(_) | CliError::Partial(_) | CliError::Io(_) => 1,
            CliError::Signal(n) => 128 + n,
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Io(format!("writing the output failed: {e}"))
    }
}
