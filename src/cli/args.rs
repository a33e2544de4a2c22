//! Command-line arguments (clap). Each command's `--help` explains it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A terminal dashboard for Talkdesk partners: the accounts, contract actions and
/// trials of every organization you own.
#[derive(Debug, Parser)]
#[command(name = "tdbi", version)]
#[command(
    after_help = "Start with `tdbi demo`: it runs against a built-in simulator, no Talkdesk account needed.\nExit codes: 0 success, 1 a remote failure, 2 a configuration or usage error."
)]
pub struct Cli {
    /// Configuration file [default: $TDBI_CONFIG, else ~/.config/tdbi/config.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Log file [default: tdbi.log in the platform state dir]; RUST_LOG sets the level
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,

    /// Neither show the cached accounts at start nor save them after a sync
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// Send nothing that changes data (trials, contract actions), for every organization;
    /// `read_only = true` does it for one
    #[arg(long, global = true)]
    pub read_only: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the dashboard against the built-in simulator (in-process, on a loopback port):
    /// no account or configuration needed. Several organizations, one failing on purpose,
    /// and a world that moves while you watch.
    Demo(DemoArgs),
    /// List every account of every organization (or of one), with its status.
    ///
    /// Organizations are read concurrently. When some fail, the others are still
    /// printed, each failure is one line on stderr, and the exit code is 1.
    Accounts(AccountsArgs),
    /// List the contract actions (subscriptions, amendments, cancellations) of one
    /// account, or create one (--create).
    ///
    /// With --create, the type and quantity are checked before anything is sent (a bad
    /// one exits 2 naming its flag); on a terminal it shows the request and asks y/N
    /// unless --yes; without a terminal --yes is required (else exit 2, nothing sent). A
    /// 409 (an action already in progress) or 404 exits 1 with the server's message; a
    /// success prints the created action.
    Contracts(ContractsArgs),
    /// Validate the configuration, get a token per organization, and report per
    /// organization: reachable or not, each scope tdbi uses (granted or MISSING, and the
    /// feature it unlocks), number of accounts.
    Check,
    /// Run the API simulator alone on a loopback port and print a matching configuration.
    ///
    /// The simulator serves the OAuth token endpoint and every Express / Billing Insights
    /// endpoint with seeded data; the world moves while it runs. Stop it with Ctrl-C.
    Sim(SimArgs),
    /// Provision trial accounts, one from flags or a batch from a JSON-lines file. The
    /// customer must accept the Talkdesk Services Trial Agreement first.
    Trial(super::trial::TrialArgs),
    /// Receive Talkdesk Events API webhooks (trial started, extended, ended, ...).
    Events(EventsArgs),
    /// Recurring revenue per organization and currency: MRR, ARR, active and
    /// unnormalized subscriptions, paying accounts, renewals due in 30 days.
    ///
    /// One row per (organization, currency): organizations in configuration order, then
    /// currency A-Z. Reads subscriptions and the product catalogue of every organization
    /// at once; without express-products:read MRR uses the billing period alone (one
    /// warning line). Money in JSON and CSV is a decimal string rounded half-even to the
    /// currency's minor unit ("1234.50"). When some organizations fail, the others are
    /// still printed, each failure is one line on stderr (naming a missing scope), and
    /// the exit code is 1.
    Billing(BillingArgs),
    /// List subscriptions with their account and product names, whether each is active
    /// now, and what it brings per month (mrr; null when unnormalized).
    ///
    /// Reads accounts, subscriptions and the product catalogue. API fields keep their
    /// values (nulls stay null in JSON); decimals are strings, money rounded to the
    /// currency's minor unit, unit prices exact. mrr is given for every subscription;
    /// only active ones count in `tdbi billing`.
    Subscriptions(SubscriptionsArgs),
    /// List invoice lines, or (--by-month) what was invoiced per month and currency.
    ///
    /// By month: the sum of the lines' amount by the line's date (UTC), the number of
    /// distinct invoice numbers and of lines. Money is a decimal string rounded half-even
    /// to the currency's minor unit; rates and quantities are exact.
    Invoices(InvoicesArgs),
    /// List monthly usage rows, or (--by-month) totals per month, currency and type.
    Usage(UsageArgs),
    /// The trial funnel per organization: trials that ended in the last N days by
    /// reason, with trials running (IN_TRIAL) and lost (TRIAL_LOST) now.
    ///
    /// Trial ends are the app.trial_ended events of the events journal ([events] journal,
    /// else events.jsonl in the platform data dir; a missing journal counts none, said
    /// once on stderr), matched to an organization by account id. An account's latest
    /// end counts once: plan_upgraded is converted, trial_expired expired,
    /// app_uninstalled uninstalled, any other reason other. conversion_rate = converted /
    /// ended with four places ("0.3333"), null when nothing ended.
    Funnel(FunnelArgs),
    /// Write a starting configuration (`config init`) or show where tdbi keeps its
    /// configuration, cache, log and events journal (`config path`).
    Config(ConfigArgs),
    /// Print a shell completion script, e.g. `tdbi completions bash > ~/.local/share/bash-completion/completions/tdbi`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `tdbi man > ~/.local/share/man/man1/tdbi.1`.
    Man,
    /// The cache on disk of each organization's accounts and billing lists, shown at
    /// start while the first sync runs: `path` prints its directory, `clear` removes it.
    Cache(super::cache::CacheArgs),
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub command: ConfigCommand,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write the documented example configuration (owner-only, 0600) where tdbi reads
    /// it (--config, else $TDBI_CONFIG, else the platform default), then say what to edit.
    Init(ConfigInitArgs),
    /// Print where the configuration, cache, log and events journal live.
    Path,
}

#[derive(Debug, Args)]
pub struct ConfigInitArgs {
    /// Overwrite an existing configuration file
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `--org` and `--format`, as every listing takes them.
#[derive(Debug, Args)]
pub struct Listing {
    /// Only this organization (its configured name, case-insensitive)
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct BillingArgs {
    #[command(flatten)]
    pub listing: Listing,
}

#[derive(Debug, Args)]
pub struct SubscriptionsArgs {
    #[command(flatten)]
    pub listing: Listing,
    /// Only this account's subscriptions
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// Only subscriptions active now (ACTIVATED, started, not ended)
    #[arg(long)]
    pub active: bool,
}

#[derive(Debug, Args)]
pub struct InvoicesArgs {
    #[command(flatten)]
    pub listing: Listing,
    /// Only this account's invoice lines
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// Totals per organization, month and currency instead of lines
    #[arg(long)]
    pub by_month: bool,
}

#[derive(Debug, Args)]
pub struct UsageArgs {
    #[command(flatten)]
    pub listing: Listing,
    /// Only this account's usage
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// Totals per organization, month, currency and type instead of rows
    #[arg(long)]
    pub by_month: bool,
}

#[derive(Debug, Args)]
pub struct FunnelArgs {
    #[command(flatten)]
    pub listing: Listing,
    /// Window in days, ending now (repeatable: one row per window) [default: 30 and 90]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: Vec<u32>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub world: WorldArgs,
    /// Print `tdbi check` and the account listing instead of opening the dashboard
    /// (also when standard output is not a terminal)
    #[arg(long)]
    pub headless: bool,
}

/// How the simulated world is made.
#[derive(Debug, Args)]
pub struct WorldArgs {
    /// Seed of the simulated world: the same seed gives the same accounts
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Number of simulated organizations
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub orgs: u16,
    /// Accounts of the first organization (the others get a share of it)
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub accounts: u32,
    /// Seconds between two moves of the world (trials convert, actions progress); 0 freezes it
    #[arg(long, default_value_t = 2.0, value_name = "SECS")]
    pub pace: f64,
}

#[derive(Debug, Args)]
pub struct AccountsArgs {
    /// Only this organization (its configured name, case-insensitive)
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// Only accounts with this status (repeatable; e.g. ACTIVE, IN_TRIAL, TRIAL_LOST)
    #[arg(long, value_name = "STATUS")]
    pub status: Vec<String>,
    /// The rows of a saved view (`[[views]]` in the configuration): its organizations,
    /// statuses, text query and sort, in the order its tab shows them
    #[arg(long, value_name = "NAME", conflicts_with_all = ["org", "status"])]
    pub view: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ContractsArgs {
    /// The account's id (as `tdbi accounts` shows it)
    #[arg(value_name = "ACCOUNT_ID")]
    pub account_id: String,
    /// The organization the account is under (optional when only one is configured)
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Create a contract action: NEWTDE (new subscription), AMENDTDE (amendment) or
    /// CANCELTDE (cancellation)
    #[arg(long, value_name = "TYPE")]
    pub create: Option<String>,
    /// With --create: number of licences, 1 to 10000 (a cancellation may leave it out)
    #[arg(long, value_name = "N", requires = "create")]
    pub quantity: Option<String>,
    /// With --create: send without asking (required when standard input is not a terminal)
    #[arg(long, requires = "create")]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct SimArgs {
    /// Loopback port to listen on (0 picks a free one)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    #[command(flatten)]
    pub world: WorldArgs,
    /// Largest page size the server honours (larger requests are capped silently)
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_per_page: u32,
    /// Lifetime of issued tokens, in seconds
    #[arg(long, default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..))]
    pub token_ttl: u64,
    /// Serve `_links` hrefs as relative paths instead of absolute URLs
    #[arg(long)]
    pub relative_links: bool,
    /// Milliseconds of latency added to every API answer
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Share of API requests answered 503 (0 to 1)
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub error_rate: f64,
    /// Share of API requests answered 429 with Retry-After (0 to 1)
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub throttle_rate: f64,
    /// Share of API requests answered with a body that is not JSON (0 to 1)
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub malformed_rate: f64,
    /// POST signed trial events (app.trial_started, _extended, _ended) to this loopback
    /// URL, e.g. http://127.0.0.1:8787/talkdesk/events; the printed configuration then has
    /// a matching [events] section for `tdbi events listen`
    #[arg(long, value_name = "URL")]
    pub events_callback: Option<url::Url>,
}

/// Output formats of the listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people
    Table,
    /// A JSON array of objects
    Json,
    /// Comma-separated values with a header line
    Csv,
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .parse()
        .map_err(|_| format!("expected a number from 0 to 1, got \"{text}\""))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("expected a number from 0 to 1, got {rate}"))
    }
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    #[command(subcommand)]
    pub command: EventsCommand,
}

#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Listen for webhook deliveries and print each NEW accepted event as one JSON line.
    ///
    /// Needs an [events] section in the configuration: `listen` (address:port), `path`
    /// (default /talkdesk/events), `verify` (default true) with the signing keys as
    /// [[events.keys]] id/public_key, and `journal` (default: events.jsonl in the platform
    /// data dir). A delivery whose X-Hub-Ecdsa-Signature (ECDSA P-256 over the raw body) is
    /// missing or wrong gets 401; a body over 64 KiB gets 413; one that is not an app.*
    /// event gets 400. Accepted events are synced to the journal before the answer, and a
    /// repeated id (delivery is at least once) is answered 200 without being printed or
    /// stored again. Each line is {"event": {...the envelope...}, "received_at", "verified",
    /// "key_id"}. Runs until Ctrl-C. Expose it to Talkdesk through a TLS reverse proxy.
    /// Try it with `tdbi sim --events-callback http://127.0.0.1:8787/talkdesk/events`.
    Listen(ListenArgs),
}

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// First print the events already in the journal, oldest first
    #[arg(long)]
    pub replay: bool,
}
