//! The reads a sync task runs, as owned futures it polls beside its commands.

use futures::future::BoxFuture;
use tokio::sync::watch;

use crate::api::model::{Account, ContractAction, ResellerContract};
use crate::api::{ApiError, Client, Endpoint, PageProgress};

/// A full account read; pages are reported through `progress`.
pub fn accounts(
    client: Client,
    progress: watch::Sender<PageProgress>,
) -> BoxFuture<'static, Result<Vec<Account>, ApiError>> {
    Box::pin(async move {
        client
            .accounts_with_progress(move |p| {
                progress.send_replace(p);
            })
            .await
    })
}

/// A finished read of one account's contract data. Errors are one line, prefixed
/// with the organization's name.
#[derive(Debug)]
pub enum Read {
    /// The user opened the account: actions and reseller contract information.
    Opened {
        account_id: String,
        actions: Result<Vec<ContractAction>, String>,
        contract: Result<ResellerContract, String>,
    },
    /// A prefetch of the account's actions.
    Prefetched {
        account_id: String,
        actions: Result<Vec<ContractAction>, String>,
    },
}

/// Reads an opened account's actions and reseller contract at once.
pub fn open(client: Client, account_id: String) -> BoxFuture<'static, Read> {
    Box::pin(async move {
        let (actions, contract) = tokio::join!(
            actions(&client, &account_id),
            contract(&client, &account_id)
        );
        Read::Opened {
            account_id,
            actions,
            contract,
        }
    })
}

/// Reads an account's actions ahead of the user opening it.
pub fn prefetch(client: Client, account_id: String) -> BoxFuture<'static, Read> {
    Box::pin(async move {
        let actions = actions(&client, &account_id).await;
        Read::Prefetched {
            account_id,
            actions,
        }
    })
}

async fn actions(client: &Client, account_id: &str) -> Result<Vec<ContractAction>, String> {
    client
        .contract_actions(account_id)
        .await
        .map_err(|e| line(client, &e))
}

/// The reseller contract, or why not; a token without the scope is not even asked.
async fn contract(client: &Client, account_id: &str) -> Result<ResellerContract, String> {
    let scope = Endpoint::ResellerContract.scope();
    // When the scopes cannot be learnt (no token), the read below says why.
    if matches!(client.missing_scopes().await, Ok(missing) if missing.contains(&scope)) {
        return Err(format!(
            "{}: client lacks {scope}: no reseller contract information",
            client.organization()
        ));
    }
    client
        .reseller_contract(account_id)
        .await
        .map_err(|e| line(client, &e))
}

/// An error as the status line shows it: `Org: what happened`.
pub fn line(client: &Client, error: &ApiError) -> String {
    format!("{}: {error}", client.organization())
}
