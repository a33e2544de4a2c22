//! `tdbi trial create`: provisions one trial from flags, or a batch from a JSON-lines file.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Local, Utc};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use crate::api::ApiError;
use crate::api::model::{FieldError, ProvisionedAccount};
use crate::config::{Config, Organization};
use crate::trial::batch::{Batch, BatchError};
use crate::trial::results::ResultsFile;
use crate::trial::{Field, TrialDraft};

use super::error::CliError;
use super::{orgs, output};

const AGREEMENT: &str = "the customer must accept the Talkdesk Services Trial Agreement before a trial is provisioned: pass --accept-trial-agreement once they have; nothing was sent";

#[derive(Debug, Args)]
pub struct TrialArgs {
    #[command(subcommand)]
    pub command: TrialCommand,
}

#[derive(Debug, Subcommand)]
pub enum TrialCommand {
    /// Provision a new trial account (POST /express/provisioning/account).
    ///
    /// Every field is checked before anything is sent; a field that fails exits 2 naming
    /// it. With --file, each line of the file is one request body (the API's field names:
    /// account_name, admin_email, admin_name, company_name, currency_iso_code,
    /// num_licenses, phone_number, website_url, edition, external_data); the lines are
    /// provisioned in order at most 2 per second, and one JSON result line is printed per
    /// line. With --results FILE each result is also appended to FILE (synced to disk), and
    /// lines FILE records as created are skipped: re-run the same command to resume an
    /// interrupted batch without creating a trial twice. Ctrl-C stops after the request
    /// in flight.
    Create(Box<CreateArgs>),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 created (or all lines created or skipped), 1 a trial not created by the server or a remote failure, 2 a usage error or a field failing validation (nothing sent)."
)]
pub struct CreateArgs {
    /// The organization the trial is created under (its configured name)
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// Confirms the customer accepted the Talkdesk Services Trial Agreement (required)
    #[arg(long)]
    pub accept_trial_agreement: bool,
    /// New account's name: 3 to 63 letters or digits, starting with a letter
    #[arg(long, value_name = "NAME")]
    pub account_name: Option<String>,
    /// E-mail of the account's first administrator
    #[arg(long, value_name = "EMAIL")]
    pub admin_email: Option<String>,
    /// Name of the account's first administrator
    #[arg(long, value_name = "NAME")]
    pub admin_name: Option<String>,
    /// The customer's company name
    #[arg(long, value_name = "NAME")]
    pub company_name: Option<String>,
    /// ISO 4217 currency code, e.g. USD
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// Number of licenses, 1 to 10000
    #[arg(long, value_name = "N")]
    pub licenses: Option<String>,
    /// Phone number in E.164 form, e.g. +351489489948
    #[arg(long, value_name = "E164")]
    pub phone: Option<String>,
    /// The customer's website, an http(s) URL
    #[arg(long, value_name = "URL")]
    pub website: Option<String>,
    /// EXPRESS, ESSENTIALS, ELEVATE or ELITE [default: EXPRESS]
    #[arg(long, value_name = "EDITION")]
    pub edition: Option<String>,
    /// Free text for your own reference, e.g. Salesforce_id:2142141
    #[arg(long, value_name = "TEXT")]
    pub external_data: Option<String>,
    /// Output format of a single creation
    #[arg(long, value_enum, default_value_t = TrialFormat::Table)]
    pub format: TrialFormat,
    /// Provision every request of this JSON-lines file instead (blank and # lines skipped)
    #[arg(long, value_name = "FILE", conflicts_with_all = [
        "account_name", "admin_email", "admin_name", "company_name", "currency", "licenses",
        "phone", "website", "edition", "external_data", "format",
    ])]
    pub file: Option<PathBuf>,
    /// With --file: append each result to FILE and skip lines it records as created
    #[arg(long, value_name = "FILE", requires = "file")]
    pub results: Option<PathBuf>,
}

/// Output formats of a single creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrialFormat {
    /// A short summary for people
    Table,
    /// The created account as a JSON object, with its organization
    Json,
}

pub async fn run(
    args: &TrialArgs,
    load_config: impl FnOnce() -> Result<Config, CliError>,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let TrialCommand::Create(args) = &args.command;
    if !args.accept_trial_agreement {
        return Err(CliError::Usage(AGREEMENT.into()));
    }
    let Some(org_name) = args.org.as_deref() else {
        return Err(CliError::Usage(
            "--org NAME is required: the organization the trial is created under".into(),
        ));
    };
    match &args.file {
        Some(file) => {
            let input = std::fs::read(file)
                .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", file.display())))?;
            let config = load_config()?;
            let org = config.organization(org_name).map_err(CliError::Usage)?;
            orgs::writable(org, "trial provisioning")?;
            run_batch(&config, org, &input, args.results.as_deref(), out).await
        }
        None => {
            let request = draft(args)
                .to_request(true)
                .map_err(|faults| CliError::Usage(field_faults(&faults)))?;
            let config = load_config()?;
            let org = config.organization(org_name).map_err(CliError::Usage)?;
            orgs::writable(org, "trial provisioning")?;
            let client = orgs::client(&config, org)?;
            let account = client
                .provision_trial(&request)
                .await
                .map_err(|e| not_created(&org.name, &e))?;
            print_created(out, args.format, &org.name, &account)
        }
    }
}

fn draft(args: &CreateArgs) -> TrialDraft {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    TrialDraft {
        account_name: text(&args.account_name),
        admin_email: text(&args.admin_email),
        admin_name: text(&args.admin_name),
        company_name: text(&args.company_name),
        currency_iso_code: text(&args.currency),
        num_licenses: text(&args.licenses),
        phone_number: text(&args.phone),
        website_url: text(&args.website),
        edition: text(&args.edition),
        external_data: text(&args.external_data),
    }
}

/// `--admin-email: must be …; --phone: must …`
fn field_faults(faults: &[FieldError]) -> String {
    let parts: Vec<String> = faults
        .iter()
        .map(|f| match Field::from_api_name(&f.name) {
            Some(field) => format!("{}: {}", field.flag(), f.description),
            None => format!("{}: {}", f.name, f.description),
        })
        .collect();
    parts.join("; ")
}

/// One line naming each field the server refused (flag and API name) and its reason.
fn not_created(org: &str, error: &ApiError) -> CliError {
    if let ApiError::Invalid { fields } = error {
        return CliError::Usage(field_faults(fields));
    }
    let fields = error.fields();
    if fields.is_empty() {
        return CliError::Remote(format!("{org}: trial not created: {error}"));
    }
    let status = error
        .status()
        .map_or_else(String::new, |s| format!(" (HTTP {s})"));
    let parts: Vec<String> = fields
        .iter()
        .map(|f| {
            let name = crate::api::error::one_line(&f.name, 40);
            let why = crate::api::error::one_line(&f.description, 160);
            match Field::from_api_name(&name) {
                Some(field) => format!("{} ({name}): {why}", field.flag()),
                None => format!("{name}: {why}"),
            }
        })
        .collect();
    CliError::Remote(format!(
        "{org}: trial not created: the server refused{status} {}",
        parts.join("; ")
    ))
}

/// The created account with its organization, as printed.
#[derive(Serialize)]
struct Created<'a> {
    organization: &'a str,
    #[serde(flatten)]
    account: &'a ProvisionedAccount,
}

impl output::Record for Created<'_> {
    const HEADERS: &'static [&'static str] =
        &["ID", "NAME", "ADMIN E-MAIL", "ORGANIZATION", "CREATED"];
    fn cells(&self) -> Vec<Cow<'_, str>> {
        vec![
            self.account.id.as_str().into(),
            self.account.name.as_str().into(),
            self.account.admin_email.as_str().into(),
            self.organization.into(),
            local_time(self.account.created_at).into(),
        ]
    }
}

fn local_time(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(
        || "-".to_owned(),
        |t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
    )
}

fn print_created(
    out: &mut impl Write,
    format: TrialFormat,
    organization: &str,
    account: &ProvisionedAccount,
) -> Result<(), CliError> {
    let created = Created {
        organization,
        account,
    };
    match format {
        TrialFormat::Table => output::write(out, super::Format::Table, &[created])?,
        TrialFormat::Json => {
            serde_json::to_writer(&mut *out, &created).map_err(std::io::Error::other)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

async fn run_batch(
    config: &Config,
    org: &Organization,
    input: &[u8],
    results_path: Option<&Path>,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let mut results = match results_path {
        Some(path) => Some(ResultsFile::open(path).map_err(|e| {
            CliError::Usage(format!(
                "cannot open the results file {}: {e}",
                path.display()
            ))
        })?),
        None => None,
    };
    if let Some(r) = results.as_ref().filter(|r| r.unreadable > 0) {
        eprintln!(
            "tdbi: warning: {}: {} line(s) could not be read and are ignored",
            r.path().display(),
            r.unreadable
        );
    }
    let client = orgs::client(config, org)?;
    let stop = Arc::new(AtomicBool::new(false));
    // Without a listener (it cannot fail on usual systems) Ctrl-C ends the process at
    // once; what was recorded stays consistent, only the request in flight is unknown.
    let watcher = listen_for_interrupts()
        .ok()
        .map(|i| tokio::spawn(stop_on_interrupt(i, Arc::clone(&stop))));
    let outcome = Batch {
        provisioner: &client,
        trial_agreement_accepted: true,
        results: results.as_mut(),
        out,
        stop: &stop,
    }
    .run(input)
    .await;
    if let Some(watcher) = watcher {
        watcher.abort();
    }
    let summary = outcome.map_err(|e| match e {
        // Not `CliError::from`: a broken pipe there counts as success, and this batch
        // did not finish.
        BatchError::Output(e) => CliError::Io(format!(
            "{}: stopped: the result lines cannot be printed ({})",
            org.name,
            e.kind()
        )),
        BatchError::AgreementNotAccepted => CliError::Usage(AGREEMENT.into()),
        e @ BatchError::Results { .. } => CliError::Io(format!("{}: {e}", org.name)),
    })?;
    let counts = format!(
        "{} created, {} skipped, {} not created",
        summary.created, summary.skipped, summary.not_created
    );
    if let (Some(line), Some(reason)) = (summary.stopped_before, &summary.stop_reason) {
        let resume = match results_path {
            Some(path) => format!(
                "run the same command again to resume from {}",
                path.display()
            ),
            None => "next time pass --results FILE so that a re-run can resume".to_owned(),
        };
        return Err(CliError::Remote(format!(
            "{}: stopped before line {line} ({reason}); {counts}; {resume}",
            org.name
        )));
    }
    if summary.not_created > 0 {
        return Err(CliError::Remote(format!(
            "{}: {} of {} trial request(s) not created ({counts}); see the result lines",
            org.name, summary.not_created, summary.requests
        )));
    }
    eprintln!("tdbi: {}: {counts}", org.name);
    Ok(())
}

/// First Ctrl-C: stop after the request in flight (its result is still recorded).
/// Second: quit at once. The listener is registered before the batch starts.
async fn stop_on_interrupt(mut interrupts: Interrupts, stop: Arc<AtomicBool>) {
    if interrupts.recv().await.is_none() {
        return;
    }
    stop.store(true, Ordering::SeqCst);
    eprintln!("tdbi: interrupted: stopping after the request in flight (Ctrl-C again quits now)");
    if interrupts.recv().await.is_some() {
        std::process::exit(130);
    }
}

#[cfg(unix)]
type Interrupts = tokio::signal::unix::Signal;
#[cfg(unix)]
fn listen_for_interrupts() -> std::io::Result<Interrupts> {
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
}
#[cfg(windows)]
type Interrupts = tokio::signal::windows::CtrlC;
#[cfg(windows)]
fn listen_for_interrupts() -> std::io::Result<Interrupts> {
    tokio::signal::windows::ctrl_c()
}
