//! `tdbi sim`: the simulator alone, for trying tdbi or other tools against it.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use crate::sim::{Faults, LinkStyle, SimConfig, SimHandle, Simulator};

use super::args::{SimArgs, WorldArgs};
use super::error::CliError;

/// The simulated world described by `world`, with no faults.
pub fn world_config(world: &WorldArgs) -> SimConfig {
    SimConfig {
        seed: world.seed,
        orgs: usize::from(world.orgs),
        accounts: world.accounts as usize,
        tick: (world.pace > 0.0).then(|| Duration::from_secs_f64(world.pace)),
        ..SimConfig::default()
    }
}

/// Starts a simulator on loopback `port` (0: any free port).
pub async fn start(config: SimConfig, port: u16) -> Result<SimHandle, CliError> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    Simulator::start(config, addr)
        .await
        .map_err(|e| match e.kind() {
            // A refused setting, such as a callback that is not on loopback.
            std::io::ErrorKind::InvalidInput => CliError::Usage(e.to_string()),
            _ => CliError::Io(format!("cannot start the simulator on {addr}: {e}")),
        })
}

pub async fn run(args: &SimArgs, out: &mut impl Write) -> Result<(), CliError> {
    let config = SimConfig {
        max_per_page: args.max_per_page,
        token_ttl: Duration::from_secs(args.token_ttl),
        link_style: if args.relative_links {
            LinkStyle::Relative
        } else {
            LinkStyle::Absolute
        },
        faults: Faults {
            latency: Duration::from_millis(args.latency_ms),
            server_error_rate: args.error_rate,
            throttle_rate: args.throttle_rate,
            malformed_rate: args.malformed_rate,
        },
        events_callback: args.events_callback.clone(),
        ..world_config(&args.world)
    };
    let handle = start(config, args.port).await?;
    out.write_all(handle.config_toml().as_bytes())?;
    out.flush()?;
    eprintln!(
        "tdbi: simulator listening on {} with {} organization(s); save the configuration above and run `tdbi --config FILE accounts`. Ctrl-C stops it.",
        handle.base_url(),
        handle.organizations().len()
    );
    if let Some(url) = &args.events_callback {
        eprintln!(
            "tdbi: trial events are POSTed to {url}, signed with key id {}; run `tdbi --config FILE events listen` to receive them.",
            handle.events_key_id()
        );
    }
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| CliError::Io(format!("waiting for Ctrl-C: {e}")))?;
    handle.shutdown().await;
    Ok(())
}
