//! Where an organization's client secret comes from, and fetching it.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use secrecy::SecretString;

/// The configured origin of a client secret. Never holds the secret of `Env`/`Command`
/// origins; those are read only when a client is built.
#[derive(Clone)]
pub enum SecretSource {
    /// `client_secret_env`: an environment variable's name.
    Env(String),
    /// `client_secret_command`: a shell command whose standard output is the secret,
    /// stopped after `timeout` (`client_secret_command_timeout_secs`).
    Command { command: String, timeout: Duration },
    /// `client_secret`: written in the file (discouraged).
    Inline(SecretString),
}

impl std::fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretSource::Env(var) => write!(f, "Env({var})"),
            // The command may hold a secret itself (`printf %s …`): never shown.
            SecretSource::Command { timeout, .. } => write!(f, "Command([redacted], {timeout:?})"),
            SecretSource::Inline(_) => f.write_str("Inline([redacted])"),
        }
    }
}

impl SecretSource {
    /// Reads the secret. `key` is the organization's key path for messages
    /// (`organizations[0]`).
    pub fn resolve(&self, key: &str) -> Result<SecretString, String> {
        match self {
            SecretSource::Env(var) => match std::env::var(var) {
                Ok(value) if !value.trim().is_empty() => Ok(SecretString::from(value)),
                Ok(_) => Err(format!(
                    "{key}.client_secret_env: environment variable {var} is empty"
                )),
                Err(std::env::VarError::NotPresent) => Err(format!(
                    "{key}.client_secret_env: environment variable {var} is not set"
                )),
                Err(std::env::VarError::NotUnicode(_)) => Err(format!(
                    "{key}.client_secret_env: environment variable {var} is not valid UTF-8"
                )),
            },
            SecretSource::Command { command, timeout } => {
                run_secret_command(key, command, *timeout)
            }
            SecretSource::Inline(secret) => Ok(secret.clone()),
        }
    }
}

/// How long `client_secret_command` may run before it is stopped.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs `cmd` through `sh -c` with no standard input, in its own process group so a
/// timeout stops everything it started; its output, less the trailing newline, is the
/// secret. Neither the command (it may hold a secret) nor its output appears in any
/// message, and its standard error goes to ours uncaptured (password managers print
/// hints there that must not be repeated).
fn run_secret_command(key: &str, cmd: &str, timeout: Duration) -> Result<SecretString, String> {
    let what = format!("{key}.client_secret_command");
    let fail = |detail: String| format!("{what}: {detail}");
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .map_err(|e| fail(format!("the command could not be started: {}", e.kind())))?;
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(pipe) = stdout.as_mut() {
            let _ = pipe.read_to_end(&mut out);
        }
        out
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                kill_group(&mut child);
                return Err(fail(format!(
                    "the command did not finish within {}s (stopped)",
                    timeout.as_secs()
                )));
            }
            Err(e) => {
                kill_group(&mut child);
                return Err(fail(format!(
                    "waiting for the command failed: {}",
                    e.kind()
                )));
            }
        }
    };
    // The group is gone or finishing: the pipe closes and the reader ends.
    let output = reader.join().unwrap_or_default();
    if !status.success() {
        return Err(fail(format!("the command failed ({status})")));
    }
    let text = String::from_utf8(output)
        .map_err(|_| fail("the command printed something that is not UTF-8".into()))?;
    let secret = text.trim_end_matches(['\n', '\r']);
    if secret.trim().is_empty() {
        return Err(fail("the command printed nothing".into()));
    }
    Ok(SecretString::from(secret.to_owned()))
}

/// Stops the command and everything it started (its process group), then reaps it.
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals that process group; no memory involved.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}
