//! Batch provisioning: one trial request body per line, provisioned in order.
//!
//! Interrupt safety: with a results file, each attempt is recorded (synced) before its
//! request is sent, and its outcome synced and printed before the next one; a stop
//! request is honoured only between two requests. A re-run with the same results file
//! skips every line it records as created under the same account name, and looks up the
//! account of an attempt left without a settled outcome (killed, or failed after maybe
//! reaching the server) by name before sending anything: found, it is reported created
//! with its id; not found, it is sent. So no trial is created twice or lost.

use std::future::Future;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Map, Value};

use crate::api::model::{FieldError, ProvisionedAccount, TrialRequest};
use crate::api::{ApiError, Client};

use super::draft::TrialDraft;
use super::outcome::Outcome;
use super::results::ResultsFile;

/// Whatever provisions trials: the API client, or a stand-in in tests.
pub trait Provisioner {
    /// Called once before the first request is sent (the client gets its token, so the
    /// first request is not delayed behind the token request while its rate-limit slot runs).
    fn prepare(&self) -> impl Future<Output = Result<(), ApiError>>;
    fn provision(
        &self,
        request: &TrialRequest,
    ) -> impl Future<Output = Result<ProvisionedAccount, ApiError>>;
    /// The id of the organization's account named `account_name` (case-insensitive), if
    /// there is one.
    fn find(&self, account_name: &str) -> impl Future<Output = Result<Option<String>, ApiError>>;
}

impl Provisioner for Client {
    async fn prepare(&self) -> Result<(), ApiError> {
        self.granted_scopes().await.map(drop)
    }
    async fn provision(&self, request: &TrialRequest) -> Result<ProvisionedAccount, ApiError> {
        self.provision_trial(request).await
    }
    async fn find(&self, account_name: &str) -> Result<Option<String>, ApiError> {
        let wanted = account_name.trim();
        let accounts = self.accounts().await?;
        Ok(accounts
            .into_iter()
            .find(|a| a.name.trim().eq_ignore_ascii_case(wanted))
            .map(|a| a.id.into()))
    }
}

/// What a batch needs besides its input.
pub struct Batch<'a, P, W> {
    pub provisioner: &'a P,
    /// Whether the user accepted the Talkdesk Services Trial Agreement for these trials.
    pub trial_agreement_accepted: bool,
    pub results: Option<&'a mut ResultsFile>,
    /// Where each outcome is printed as one JSON line (flushed line by line).
    pub out: &'a mut W,
    /// Set (e.g. by Ctrl-C) to stop before the next request.
    pub stop: &'a AtomicBool,
}

/// How a batch ended.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Lines holding a request (blank lines and comments excluded).
    pub requests: usize,
    pub created: usize,
    pub skipped: usize,
    /// Invalid, rejected or failed.
    pub not_created: usize,
    /// The line before which the batch stopped, when it did not run to the end.
    pub stopped_before: Option<usize>,
    /// Why it stopped (an interruption, or credentials refused for every request).
    pub stop_reason: Option<String>,
}

/// A failure that ends the batch at once.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The results file could not record an outcome: going on could create a trial that
    /// a resumed run would create again.
    #[error("cannot record line {line} in the results file: {error}; stopped")]
    Results { line: usize, error: io::Error },
    /// Trials may be provisioned only for a customer who accepted the agreement.
    #[error(
        "the customer must accept the Talkdesk Services Trial Agreement before a trial is provisioned; nothing was sent"
    )]
    AgreementNotAccepted,
    /// The outcome could not be printed.
    #[error("writing the output failed: {0}")]
    Output(#[from] io::Error),
}

impl<P: Provisioner, W: Write> Batch<'_, P, W> {
    /// Provisions every request line of `input` in order.
    pub async fn run(mut self, input: &[u8]) -> Result<Summary, BatchError> {
        if !self.trial_agreement_accepted {
            return Err(BatchError::AgreementNotAccepted);
        }
        let mut summary = Summary::default();
        let mut prepared = false;
        for (index, raw) in input.split(|&b| b == b'\n').enumerate() {
            let line = index + 1;
            let text = String::from_utf8_lossy(raw.strip_suffix(b"\r").unwrap_or(raw));
            let text = text.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            if self.stop.load(Ordering::SeqCst) {
                summary.stopped_before = Some(line);
                summary.stop_reason = Some("interrupted".into());
                break;
            }
            summary.requests += 1;
            let (name, parsed) = parse_line(text);
            if let Some(name) = &name {
                if let Some(id) = self.results.as_deref().and_then(|r| r.created(line, name)) {
                    let outcome = Outcome::skipped(line, Some(name.clone()), id.map(str::to_owned));
                    self.print(&outcome)?;
                    summary.skipped += 1;
                    continue;
                }
            }
            let request = match parsed.and_then(|d| d.to_request(true)) {
                Ok(request) => request,
                Err(fields) => {
                    self.report(Outcome::invalid(line, name, fields), &mut summary)?;
                    continue;
                }
            };
            if !prepared {
                prepared = true;
                if let Err(e) = self.provisioner.prepare().await {
                    let reason = format!("no request was sent: {e}");
                    let outcome = Outcome::from_error(line, name, &e);
                    self.report(outcome, &mut summary)?;
                    summary.stopped_before = Some(line + 1);
                    summary.stop_reason = Some(reason);
                    break;
                }
            }
            if self.pending(line, name.as_deref()) {
                match self.provisioner.find(&request.account_name).await {
                    Ok(Some(id)) => {
                        self.report(Outcome::created(line, name, id), &mut summary)?;
                        continue;
                    }
                    Ok(None) => {}
                    Err(e) => {
                        // Still pending: the next run looks again.
                        let error = format!(
                            "an earlier attempt may have created it and the lookup failed: {e}; not sent"
                        );
                        let status = super::outcome::Status::Failed;
                        let outcome = Outcome::not_created(line, name, status, error, Vec::new());
                        self.report(outcome, &mut summary)?;
                        continue;
                    }
                }
            }
            self.record_attempt(line, name.as_ref())?;
            match self.provisioner.provision(&request).await {
                Ok(account) => {
                    self.report(Outcome::created(line, name, account.id), &mut summary)?;
                }
                Err(e) => {
                    let fatal = e.is_auth();
                    self.report(Outcome::from_error(line, name, &e), &mut summary)?;
                    if fatal {
                        summary.stopped_before = Some(line + 1);
                        summary.stop_reason = Some(format!(
                            "the credentials were refused, so every other request would be too: {e}"
                        ));
                        break;
                    }
                }
            }
        }
        Ok(summary)
    }

    /// Records (synced) and prints one outcome, and counts it.
    fn report(&mut self, outcome: Outcome, summary: &mut Summary) -> Result<(), BatchError> {
        if outcome.is_done() {
            summary.created += 1;
        } else {
            summary.not_created += 1;
        }
        if let Some(results) = self.results.as_deref_mut() {
            if let Err(error) = results.append(&outcome) {
                // Still shown, so a created trial is never silent.
                self.print(&outcome)?;
                return Err(BatchError::Results {
                    line: outcome.line,
                    error,
                });
            }
        }
        self.print(&outcome)
    }

    fn pending(&self, line: usize, name: Option<&str>) -> bool {
        match (self.results.as_deref(), name) {
            (Some(results), Some(name)) => results.pending(line, name),
            _ => false,
        }
    }

    /// Syncs the record of the attempt about to be sent (with a results file).
    fn record_attempt(&mut self, line: usize, name: Option<&String>) -> Result<(), BatchError> {
        if let Some(results) = self.results.as_deref_mut() {
            let record = Outcome::sending(line, name.cloned());
            results
                .append(&record)
                .map_err(|error| BatchError::Results { line, error })?;
        }
        Ok(())
    }

    fn print(&mut self, outcome: &Outcome) -> Result<(), BatchError> {
        serde_json::to_writer(&mut *self.out, outcome).map_err(io::Error::other)?;
        self.out.write_all(b"\n")?;
        self.out.flush()?;
        Ok(())
    }
}

/// The line's account name (trimmed, when it is text) and its draft or faults.
fn parse_line(text: &str) -> (Option<String>, Result<TrialDraft, Vec<FieldError>>) {
    match serde_json::from_str::<Map<String, Value>>(text) {
        Ok(object) => {
            let name = object
                .get("account_name")
                .and_then(Value::as_str)
                .map(|s| s.trim().to_owned());
            (name, TrialDraft::from_object(&object))
        }
        // Not an object: from_json names the fault.
        Err(_) => (None, TrialDraft::from_json(text)),
    }
}

#[cfg(test)]
#[path = "batch_tests.rs"]
mod tests;
