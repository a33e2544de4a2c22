//! Reading one organization's billing lists (subscriptions, invoices, monthly usage,
//! products), concurrently, all pages each. Shared by the sync task and the headless
//! commands; the client does the paging, retries and rate limits.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};

use crate::api::model::{InvoiceLine, MonthlyUsage, Product, Subscription};
use crate::api::{ApiError, Client, Endpoint, PageProgress};
use crate::billing::{BillingList, ListProblem, OrgBilling};

/// One of the four billing lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    Subscriptions,
    Invoices,
    Usage,
    Products,
}

impl List {
    pub const ALL: [List; 4] = [
        Self::Subscriptions,
        Self::Invoices,
        Self::Usage,
        Self::Products,
    ];

    pub fn endpoint(self) -> Endpoint {
        match self {
            Self::Subscriptions => Endpoint::Subscriptions,
            Self::Invoices => Endpoint::Invoices,
            Self::Usage => Endpoint::MonthlyUsage,
            Self::Products => Endpoint::Products,
        }
    }

    pub fn scope(self) -> &'static str {
        self.endpoint().scope()
    }

    /// Position in [`List::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One list's read: `None` when it was not asked.
pub type Outcome<T> = Option<Result<Vec<T>, ListProblem>>;

/// What one billing read brought, list by list.
#[derive(Debug, Default)]
pub struct Lists {
    pub subscriptions: Outcome<Subscription>,
    pub invoices: Outcome<InvoiceLine>,
    pub usage: Outcome<MonthlyUsage>,
    pub products: Outcome<Product>,
}

impl Lists {
    /// The lists refused (403, or not asked because the token lacks the scope).
    pub fn denied(&self) -> Vec<List> {
        self.problems()
            .filter(|(_, p)| matches!(p, ListProblem::Denied { .. }))
            .map(|(list, _)| list)
            .collect()
    }

    /// The lists that failed otherwise (after the client's retries).
    pub fn failed(&self) -> Vec<List> {
        self.problems()
            .filter(|(_, p)| matches!(p, ListProblem::Failed(_)))
            .map(|(list, _)| list)
            .collect()
    }

    /// Each asked list's problem, in [`List::ALL`] order.
    pub fn problems(&self) -> impl Iterator<Item = (List, &ListProblem)> {
        [
            problem(&self.subscriptions),
            problem(&self.invoices),
            problem(&self.usage),
            problem(&self.products),
        ]
        .into_iter()
        .zip(List::ALL)
        .filter_map(|(p, list)| Some((list, p?)))
    }

    /// The organization's next billing data: each asked list through
    /// [`BillingList::after`], the others as they were. Not derived yet.
    pub fn after(self, previous: &OrgBilling, at: DateTime<Utc>) -> OrgBilling {
        OrgBilling {
            subscriptions: next(&previous.subscriptions, self.subscriptions, at),
            invoices: next(&previous.invoices, self.invoices, at),
            usage: next(&previous.usage, self.usage, at),
            products: next(&previous.products, self.products, at),
            derived: previous.derived.clone(),
        }
    }
}

fn problem<T>(outcome: &Outcome<T>) -> Option<&ListProblem> {
    outcome.as_ref()?.as_ref().err()
}

fn next<T: Clone>(list: &BillingList<T>, read: Outcome<T>, at: DateTime<Utc>) -> BillingList<T> {
    match read {
        Some(read) => list.after(read, at),
        None => list.clone(),
    }
}

/// Reads the lists in `ask` at once. A list whose scope the token lacks is not asked
/// and comes back [`ListProblem::Denied`] (when the token answer names no scopes, every
/// list is asked). `on_progress` gets the pages received and known over all the lists.
pub async fn read(
    client: &Client,
    ask: &[List],
    on_progress: &(dyn Fn(PageProgress) + Sync),
) -> Lists {
    if ask.is_empty() {
        return Lists::default();
    }
    // When the scopes cannot be learnt (no token), the reads below say why.
    let granted = client.granted_scopes().await.unwrap_or_default();
    let lacks = |list: List| !granted.is_empty() && !granted.iter().any(|g| g == list.scope());
    let wanted = |list: List| ask.contains(&list).then(|| !lacks(list));
    let pages = Mutex::new([PageProgress { done: 0, total: 0 }; 4]);
    let report = |list: List| {
        let pages = &pages;
        move |p: PageProgress| {
            let sum = {
                let mut all = pages.lock().unwrap_or_else(PoisonError::into_inner);
                all[list.index()] = p;
                all.iter()
                    .fold(PageProgress { done: 0, total: 0 }, |s, p| PageProgress {
                        done: s.done.saturating_add(p.done),
                        total: s.total.saturating_add(p.total),
                    })
            };
            on_progress(sum);
        }
    };
    let (subscriptions, invoices, usage, products) = tokio::join!(
        one(wanted(List::Subscriptions), List::Subscriptions, || {
            client.subscriptions_with_progress(report(List::Subscriptions))
        }),
        one(wanted(List::Invoices), List::Invoices, || {
            client.invoices_with_progress(report(List::Invoices))
        }),
        one(wanted(List::Usage), List::Usage, || {
            client.monthly_usage_with_progress(report(List::Usage))
        }),
        one(wanted(List::Products), List::Products, || {
            client.products_with_progress(report(List::Products))
        }),
    );
    Lists {
        subscriptions,
        invoices,
        usage,
        products,
    }
}

/// One list: not asked (`None`), refused before asking (`Some(false)`: the token lacks
/// the scope), or read.
async fn one<T, F>(wanted: Option<bool>, list: List, read: impl FnOnce() -> F) -> Outcome<T>
where
    F: std::future::Future<Output = Result<Vec<T>, ApiError>>,
{
    match wanted? {
        false => Some(Err(ListProblem::Denied {
            scope: list.scope(),
            error: format!(
                "{}: not asked: the token lacks the scope `{}`",
                list.endpoint(),
                list.scope()
            ),
        })),
        true => Some(read().await.map_err(|e| problem_of(list, &e))),
    }
}

/// A 403 is [`ListProblem::Denied`] naming the scope; anything else one line.
pub fn problem_of(list: List, error: &ApiError) -> ListProblem {
    if error.status() == Some(403) {
        ListProblem::Denied {
            scope: error.required_scope().unwrap_or(list.scope()),
            error: error.to_string(),
        }
    } else {
        ListProblem::Failed(error.to_string())
    }
}

/// Derives `billing` for organization `org` at `at` on a blocking thread (never on the
/// task that polls the UI's updates). When that thread dies, `None`.
pub async fn derive(
    mut billing: OrgBilling,
    org: usize,
    at: DateTime<Utc>,
) -> Option<Arc<OrgBilling>> {
    let derived = tokio::task::spawn_blocking(move || {
        billing.derive(org, at);
        billing
    })
    .await;
    match derived {
        Ok(billing) => Some(Arc::new(billing)),
        Err(e) => {
            tracing::error!(org, "deriving billing figures failed: {e}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(text: &str) -> ListProblem {
        ListProblem::Failed(text.to_owned())
    }

    #[test]
    fn the_next_snapshot_keeps_what_was_not_asked_and_stale_items() {
        let t0 = Utc::now();
        let products = vec![Product {
            id: "P".into(),
            name: "p".into(),
            family: None,
            unit_of_measure: None,
            charge_type: None,
        }];
        let first = Lists {
            subscriptions: Some(Ok(Vec::new())),
            invoices: Some(Ok(Vec::new())),
            usage: Some(Err(ListProblem::Denied {
                scope: List::Usage.scope(),
                error: "403".into(),
            })),
            products: Some(Ok(products)),
        }
        .after(&OrgBilling::default(), t0);
        let t1 = t0 + chrono::TimeDelta::minutes(1);
        let read = Lists {
            subscriptions: Some(Ok(Vec::new())),
            products: Some(Err(failed("503"))),
            ..Lists::default()
        };
        assert_eq!(read.failed(), [List::Products]);
        assert!(read.denied().is_empty());
        let second = read.after(&first, t1);
        assert_eq!(second.subscriptions.read_at, Some(t1));
        assert_eq!(second.invoices.read_at, Some(t0), "not asked: kept");
        assert!(matches!(
            second.usage.problem,
            Some(ListProblem::Denied { .. })
        ));
        assert!(second.products.is_stale());
        assert_eq!(second.products.slice().len(), 1);
    }

    #[test]
    fn a_403_names_the_scope_and_other_errors_are_one_line() {
        let denied = ApiError::Api {
            status: 403,
            endpoint: "GET /express/invoices".into(),
            body: None,
            required_scope: None,
        };
        assert_eq!(
            problem_of(List::Invoices, &denied),
            ListProblem::Denied {
                scope: "express-accounts-invoices:read",
                error: denied.to_string()
            }
        );
        let server = ApiError::Server {
            status: 503,
            endpoint: "GET /express/products".into(),
            attempts: 2,
        };
        let ListProblem::Failed(line) = problem_of(List::Products, &server) else {
            panic!("a 503 is a failure");
        };
        assert!(line.contains("503") && !line.contains('\n'), "{line}");
    }
}
