//! Reading every page of a list endpoint, each item once.
//!
//! Round 0 reads page 1, trusts the server's `per_page` and `total_pages`, then reads the
//! other pages concurrently (or follows `_links.next` when `total_pages` is absent).
//! Pages can shift while they are read: an insertion before an item pushes it onto the
//! next page, and concurrent out-of-order reads can then miss it. So when any page
//! reports a `total` different from its round's first page, another round reads every
//! page again and the results are united by `id`, until a round sees a stable total (at
//! most [`MAX_EXTRA_ROUNDS`]). Extra rounds read one page at a time, alternately from
//! the first page up and from the last page down: an ascending read cannot miss an item
//! that only moves towards later pages (insertions), a descending read one that only
//! moves towards earlier pages (deletions), whatever the timing.
//!
//! Page counts follow `total` (`ceil(total / per_page)` with the server's `per_page`)
//! whenever the server gives it, whatever `total_pages` says. A read that ends with fewer
//! distinct items than the smallest `total` any page reported is incomplete: it gets the
//! extra rounds too, and then fails with [`ApiError::Incomplete`], never a short list. A
//! total that went down during the read (deletions) lowers what is expected. Without
//! any `total`, an empty page before the last ends the read with an error.

use std::collections::HashSet;

use futures::{StreamExt, stream};
use url::Url;

use super::client::PageProgress;
use super::endpoint::Endpoint;
use super::error::ApiError;
use super::http::{Call, Http};
use super::unite::{PageBuffer, unite};
use super::wire::{Keyed, Page, resolve_link};

/// Extra rounds after the first when totals moved during a round.
pub(crate) const MAX_EXTRA_ROUNDS: usize = 3;
/// More pages than this is taken as a broken answer, not as a list to read.
const MAX_PAGES: u32 = 1_000_000;

/// Reads a paged endpoint whose first page is at `url`.
pub(crate) struct Pager<'a> {
    pub http: &'a Http,
    pub endpoint: Endpoint,
    pub url: Url,
    pub api_base: &'a Url,
    pub per_page: u32,
}

/// What one round learned.
struct Round<T> {
    /// Items as they arrived, with their page number (or link hop) to order them by.
    pages: PageBuffer<T>,
    stable: bool,
    /// The effective page size and page count the last answer reported.
    per_page: u32,
    total_pages: Option<u32>,
    /// The smallest `total` any page of the round reported.
    min_total: Option<u64>,
    /// Whether pages are walked by links (no `total_pages`).
    by_links: bool,
    /// The URL pages are asked at: the server's `next` link when it gave one (so its
    /// style and any extra parameters are kept), with `page` and `per_page` replaced.
    template: Url,
}

#[derive(Clone, Copy)]
enum Order {
    Ascending,
    Descending,
}

impl Pager<'_> {
    pub(crate) async fn fetch_all<T: Keyed>(
        &self,
        on_page: &mut (dyn FnMut(PageProgress) + Send),
    ) -> Result<Vec<T>, ApiError> {
        let mut progress = PageProgress { done: 0, total: 1 };
        let mut all = Vec::new();
        let mut round = self.concurrent_round::<T>(&mut progress, on_page).await?;
        let mut extra = 0;
        let mut expected: Option<u64> = None;
        loop {
            let stable = round.stable;
            let (per_page, total_pages, by_links) =
                (round.per_page, round.total_pages, round.by_links);
            let template = round.template;
            expected = lowest(expected, round.min_total);
            unite(&mut all, round.pages.into_page_order());
            let complete = expected.is_none_or(|want| all.len() as u64 >= want);
            if stable && complete {
                break;
            }
            if extra == MAX_EXTRA_ROUNDS {
                if let Some(want) = expected.filter(|_| !complete) {
                    return Err(ApiError::Incomplete {
                        endpoint: format!("GET {}", self.url.path()),
                        got: all.len() as u64,
                        expected: want,
                    });
                }
                tracing::warn!(
                    endpoint = %self.endpoint,
                    "the list kept changing while it was read; returning the union of {} rounds",
                    extra + 1
                );
                break;
            }
            if !complete {
                tracing::debug!(endpoint = %self.endpoint, extra, "fewer items than `total`: another round");
            }
            extra += 1;
            let order = if extra % 2 == 1 {
                Order::Ascending
            } else {
                Order::Descending
            };
            tracing::debug!(endpoint = %self.endpoint, extra, "total moved during the read: another round");
            round = if by_links {
                self.links_round::<T>(per_page, &mut progress, on_page)
                    .await?
            } else {
                let pages = total_pages.unwrap_or(1);
                self.sequential_round::<T>(template, per_page, pages, order, &mut progress, on_page)
                    .await?
            };
        }
        Ok(all)
    }

    /// Page 1, then the rest concurrently (or by links when `total_pages` is absent).
    async fn concurrent_round<T: Keyed>(
        &self,
        progress: &mut PageProgress,
        on_page: &mut (dyn FnMut(PageProgress) + Send),
    ) -> Result<Round<T>, ApiError> {
        let first: Page<T> = self.page_at(page_url(&self.url, 1, self.per_page)).await?;
        let per_page = first.per_page.filter(|&p| p > 0).unwrap_or(self.per_page);
        // Without `total_pages` but with a next link, the links are followed.
        let total_pages = match first.total_pages {
            None if first.next_href().is_some() => None,
            _ => page_count(first.total, first.total_pages, per_page),
        };
        let Some(total_pages) = total_pages else {
            return self.follow_links(first, per_page, progress, on_page).await;
        };
        check_pages(self, total_pages)?;
        let template = match first.next_href() {
            Some(href) => resolve_link(self.api_base, href).map_err(|d| self.malformed(d))?,
            None => self.url.clone(),
        };
        progress.total = progress.total.max(progress.done + total_pages);
        let first_total = first.total;
        let mut round = Round {
            pages: PageBuffer::with_capacity(first.total.unwrap_or(0)),
            stable: true,
            per_page,
            min_total: first.total,
            total_pages: Some(total_pages),
            by_links: false,
            template,
        };
        round.pages.push(1, self.items_of(first)?);
        tick(progress, on_page);

        let concurrency = self.http.options.max_concurrency.max(1);
        let template = round.template.clone();
        let template = &template;
        let mut pending = stream::iter(2..=total_pages)
            .map(|n| async move { (n, self.page_at::<T>(page_url(template, n, per_page)).await) })
            .buffer_unordered(concurrency);
        while let Some((n, page)) = pending.next().await {
            let page = page?;
            if first_total.is_none() && n < total_pages && is_empty(&page) {
                // Nothing else can tell an absurd `total_pages` from a long list.
                let detail = format!("page {n} of {total_pages} is empty, and no `total` given");
                return Err(self.malformed(detail));
            }
            round.min_total = lowest(round.min_total, page.total);
            if page.total != first_total {
                round.stable = false;
                let now = page_count(page.total, page.total_pages, per_page);
                round.total_pages = round.total_pages.max(now);
            }
            round.pages.push(n, self.items_of(page)?);
            tick(progress, on_page);
        }
        Ok(round)
    }

    /// Every page from 1 to `pages`, one at a time, in `order`; pages that appear
    /// meanwhile are read too.
    async fn sequential_round<T: Keyed>(
        &self,
        template: Url,
        per_page: u32,
        pages: u32,
        order: Order,
        progress: &mut PageProgress,
        on_page: &mut (dyn FnMut(PageProgress) + Send),
    ) -> Result<Round<T>, ApiError> {
        let mut round = Round {
            pages: PageBuffer::default(),
            stable: true,
            per_page,
            min_total: None,
            total_pages: Some(pages),
            by_links: false,
            template,
        };
        progress.total += pages;
        let mut first_total = None;
        let mut queue: Vec<u32> = match order {
            Order::Ascending => (1..=pages).rev().collect(),
            Order::Descending => (1..=pages).collect(),
        };
        let mut known = pages;
        while let Some(n) = queue.pop() {
            let page: Page<T> = self.page_at(page_url(&round.template, n, per_page)).await?;
            if *first_total.get_or_insert(page.total) != page.total {
                round.stable = false;
            }
            round.min_total = lowest(round.min_total, page.total);
            let now = page_count(page.total, page.total_pages, per_page);
            if let Some(now) = now.filter(|&now| now > known) {
                check_pages(self, now)?;
                // Read the new pages next (ascending) or last (descending).
                // `queue` is a stack: its bottom is read last.
                match order {
                    Order::Ascending => drop(queue.splice(0..0, (known + 1..=now).rev())),
                    Order::Descending => drop(queue.splice(0..0, known + 1..=now)),
                }
                progress.total += now - known;
                known = now;
                round.total_pages = Some(now);
            }
            round.pages.push(n, self.items_of(page)?);
            tick(progress, on_page);
        }
        Ok(round)
    }

    /// A round that walks `_links.next` from page 1.
    async fn links_round<T: Keyed>(
        &self,
        per_page: u32,
        progress: &mut PageProgress,
        on_page: &mut (dyn FnMut(PageProgress) + Send),
    ) -> Result<Round<T>, ApiError> {
        let first: Page<T> = self.page_at(page_url(&self.url, 1, per_page)).await?;
        self.follow_links(first, per_page, progress, on_page).await
    }

    async fn follow_links<T: Keyed>(
        &self,
        first: Page<T>,
        per_page: u32,
        progress: &mut PageProgress,
        on_page: &mut (dyn FnMut(PageProgress) + Send),
    ) -> Result<Round<T>, ApiError> {
        let first_total = first.total;
        let mut round = Round {
            pages: PageBuffer::default(),
            stable: true,
            per_page,
            min_total: None,
            total_pages: None,
            by_links: true,
            template: self.url.clone(),
        };
        let mut seen = HashSet::new();
        let mut page = first;
        let mut hop = 1;
        loop {
            round.stable &= page.total == first_total;
            round.min_total = lowest(round.min_total, page.total);
            let next = page.next_href().map(str::to_owned);
            round.pages.push(hop, self.items_of(page)?);
            tick(progress, on_page);
            let Some(href) = next else { break };
            let url = resolve_link(self.api_base, &href).map_err(|d| self.malformed(d))?;
            if !seen.insert(url.to_string()) || hop >= MAX_PAGES {
                return Err(self.malformed("the `next` links run in a circle".into()));
            }
            progress.total = progress.total.max(progress.done + 1);
            page = self.page_at(url).await?;
            hop += 1;
        }
        Ok(round)
    }

    async fn page_at<T: Keyed>(&self, url: Url) -> Result<Page<T>, ApiError> {
        let call = Call {
            endpoint: self.endpoint,
            url,
            body: None,
        };
        self.http.call(&call).await
    }

    fn items_of<T: Keyed>(&self, page: Page<T>) -> Result<Vec<T>, ApiError> {
        match page.items.and_then(|e| e.0) {
            Some(items) => Ok(items),
            // Tolerated for an empty page; a page claiming items must carry them.
            None if page.count.unwrap_or(0) == 0 => Ok(Vec::new()),
            None => Err(self.malformed(format!("no `_embedded.{}` array", T::KEY))),
        }
    }

    fn malformed(&self, detail: String) -> ApiError {
        ApiError::Malformed {
            endpoint: format!("GET {}", self.url.path()),
            detail,
        }
    }
}

/// `template` with `page` and `per_page` set and every other parameter kept.
fn page_url(template: &Url, page: u32, per_page: u32) -> Url {
    let mut url = template.clone();
    let kept: Vec<(String, String)> = template
        .query_pairs()
        .filter(|(k, _)| k != "page" && k != "per_page")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair("page", &page.to_string())
        .append_pair("per_page", &per_page.to_string());
    url
}

/// The pages a list spans: from `total` when given (`total_pages` is then ignored: it
/// can be absurd), else `total_pages`. At least one page.
fn page_count(total: Option<u64>, total_pages: Option<u32>, per_page: u32) -> Option<u32> {
    let pages = match total {
        Some(total) => {
            u32::try_from(total.div_ceil(u64::from(per_page.max(1)))).unwrap_or(u32::MAX)
        }
        None => total_pages?,
    };
    Some(pages.max(1))
}

fn is_empty<T>(page: &Page<T>) -> bool {
    page.items
        .as_ref()
        .and_then(|e| e.0.as_ref())
        .is_none_or(Vec::is_empty)
}

/// The smaller of two optional totals (either may be unknown).
fn lowest(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn check_pages(pager: &Pager<'_>, pages: u32) -> Result<(), ApiError> {
    if pages > MAX_PAGES {
        return Err(pager.malformed(format!("{pages} pages is not believable")));
    }
    Ok(())
}

fn tick(progress: &mut PageProgress, on_page: &mut (dyn FnMut(PageProgress) + Send)) {
    progress.done += 1;
    progress.total = progress.total.max(progress.done);
    on_page(*progress);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_counts_follow_total_and_ignore_total_pages() {
        assert_eq!(page_count(Some(150), Some(1_000_000), 50), Some(3));
        assert_eq!(page_count(Some(150), Some(1), 50), Some(3));
        assert_eq!(page_count(Some(0), Some(0), 50), Some(1));
        assert_eq!(page_count(None, Some(7), 50), Some(7));
        assert_eq!(page_count(None, None, 50), None);
        assert_eq!(page_count(Some(u64::MAX), None, 0), Some(u32::MAX));
    }

    #[test]
    fn page_urls_replace_page_and_per_page_and_keep_the_rest() {
        let next: Url = "http://h/express/accounts?page=2&per_page=100&filter=a%20b"
            .parse()
            .unwrap();
        assert_eq!(
            page_url(&next, 7, 50).as_str(),
            "http://h/express/accounts?filter=a+b&page=7&per_page=50"
        );
        let bare: Url = "http://h/express/accounts".parse().unwrap();
        assert_eq!(
            page_url(&bare, 1, 100).as_str(),
            "http://h/express/accounts?page=1&per_page=100"
        );
    }
}
