//! Where an organization's client secret comes from, and fetching it.

use std::process::{Command, Stdio};

use secrecy::SecretString;

use super::ConfigError;

/// The configured origin of a client secret. Never holds the secret of `Env`/`Command`
/// origins; those are read only when a client is built.
#[derive(Clone)]
pub enum SecretSource {
    /// `client_secret_env`: an environment variable's name.
    Env(String),
    /// `client_secret_command`: a shell command whose standard output is the secret.
    Command(String),
    /// `client_secret`: written in the file (discouraged).
    Inline(SecretString),
}

impl std::fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretSource::Env(var) => write!(f, "Env({var})"),
            SecretSource::Command(cmd) => write!(f, "Command({cmd})"),
            SecretSource::Inline(_) => f.write_str("Inline([redacted])"),
        }
    }
}

impl SecretSource {
    /// Reads the secret. `key` is the organization's key path for messages
    /// (`organizations[0]`).
    pub fn resolve(&self, key: &str) -> Result<SecretString, ConfigError> {
        match self {
            SecretSource::Env(var) => match std::env::var(var) {
                Ok(value) if !value.trim().is_empty() => Ok(SecretString::from(value)),
                Ok(_) => Err(ConfigError::secret(format!(
                    "{key}.client_secret_env: environment variable {var} is empty"
                ))),
                Err(std::env::VarError::NotPresent) => Err(ConfigError::secret(format!(
                    "{key}.client_secret_env: environment variable {var} is not set"
                ))),
                Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::secret(format!(
                    "{key}.client_secret_env: environment variable {var} is not valid UTF-8"
                ))),
            },
            SecretSource::Command(cmd) => run_secret_command(key, cmd),
            SecretSource::Inline(secret) => Ok(secret.clone()),
        }
    }
}

/// Runs `cmd` through `sh -c` with no standard input; its output, less the trailing
/// newline, is the secret. Its standard error is not captured into messages: password
/// managers may print hints we must not repeat.
fn run_secret_command(key: &str, cmd: &str) -> Result<SecretString, ConfigError> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| {
            ConfigError::secret(format!(
                "{key}.client_secret_command: could not run `{cmd}`: {e}"
            ))
        })?;
    if !output.status.success() {
        return Err(ConfigError::secret(format!(
            "{key}.client_secret_command: `{cmd}` failed ({})",
            output.status
        )));
    }
    let text = String::from_utf8(output.stdout).map_err(|_| {
        ConfigError::secret(format!(
            "{key}.client_secret_command: `{cmd}` printed something that is not UTF-8"
        ))
    })?;
    let secret = text.trim_end_matches(['\n', '\r']);
    if secret.trim().is_empty() {
        return Err(ConfigError::secret(format!(
            "{key}.client_secret_command: `{cmd}` produced nothing"
        )));
    }
    Ok(SecretString::from(secret.to_owned()))
}
