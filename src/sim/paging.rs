//! `page` / `per_page` parameters, the page window and `_links`.

use std::collections::BTreeMap;
use std::ops::Range;

use axum::http::StatusCode;
use axum::response::Response;
use url::Url;

use super::LinkStyle;
use super::wire::{self, Href, Links, Paged};

pub const DEFAULT_PER_PAGE: u64 = 50;

/// An accepted page request, `per_page` already capped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageReq {
    pub page: u64,
    pub per_page: u64,
}

/// Parses the query. `page` < 1, `per_page` < 1 or non-numeric values are a 400;
/// a `per_page` above `cap` is lowered to it silently. Other parameters are ignored.
pub fn parse(query: Option<&str>, cap: u32) -> Result<PageReq, Response> {
    let mut req = PageReq {
        page: 1,
        per_page: DEFAULT_PER_PAGE,
    };
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let slot = match key.as_ref() {
            "page" => &mut req.page,
            "per_page" => &mut req.per_page,
            _ => continue,
        };
        *slot = match value.trim().parse::<u64>() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Err(wire::error_with_fields(
                    StatusCode::BAD_REQUEST,
                    "Invalid paging parameter",
                    Some(format!(
                        "{key} must be a whole number of at least 1, got {value:?}."
                    )),
                    Some(vec![wire::FieldError {
                        name: key.into_owned(),
                        description: "must be a whole number of at least 1".to_owned(),
                    }]),
                ));
            }
        };
    }
    req.per_page = req.per_page.min(u64::from(cap.max(1)));
    Ok(req)
}

impl PageReq {
    pub fn total_pages(&self, total: usize) -> u64 {
        (total as u64).div_ceil(self.per_page).max(1)
    }

    /// The indexes of the items on this page (empty past the end).
    pub fn window(&self, total: usize) -> Range<usize> {
        let start = self.page.saturating_sub(1).saturating_mul(self.per_page);
        let start = start.min(total as u64) as usize;
        let end = (start as u64 + self.per_page).min(total as u64) as usize;
        start..end
    }

    /// Wraps `items` (this page's) in the list envelope.
    pub fn envelope<T>(
        &self,
        key: &'static str,
        items: Vec<T>,
        total: usize,
        path: &str,
        link: &LinkBase,
    ) -> Paged<T> {
        let total_pages = self.total_pages(total);
        let href = |page: u64| Href {
            href: link.href(path, page, self.per_page),
        };
        Paged {
            count: items.len(),
            page: self.page,
            per_page: self.per_page,
            total,
            total_pages,
            embedded: BTreeMap::from([(key, items)]),
            links: Links {
                first: href(1),
                last: href(total_pages),
                prev: (self.page > 1).then(|| href(self.page - 1)),
                next: (self.page < total_pages).then(|| href(self.page + 1)),
                this: href(self.page),
            },
        }
    }
}

/// How hrefs are written: absolute on `base`, or relative paths.
pub struct LinkBase {
    pub base: Url,
    pub style: LinkStyle,
}

impl LinkBase {
    fn href(&self, path: &str, page: u64, per_page: u64) -> String {
        let relative = format!("{path}?page={page}&per_page={per_page}");
        match self.style {
            LinkStyle::Relative => relative,
            LinkStyle::Absolute => {
                let origin = self.base.as_str().trim_end_matches('/');
                format!("{origin}{relative}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_caps_and_rejects() {
        let p = parse(Some("page=2&per_page=500&x=y"), 100).ok();
        assert_eq!(
            p,
            Some(PageReq {
                page: 2,
                per_page: 100
            })
        );
        assert_eq!(
            parse(None, 100).ok(),
            Some(PageReq {
                page: 1,
                per_page: 50
            })
        );
        assert!(parse(Some("page=0"), 100).is_err());
        assert!(parse(Some("page=abc"), 100).is_err());
        assert!(parse(Some("per_page=-1"), 100).is_err());
    }

    #[test]
    fn windows_and_page_counts() {
        let p = PageReq {
            page: 3,
            per_page: 10,
        };
        assert_eq!(p.window(25), 20..25);
        assert_eq!(p.window(15), 15..15);
        assert_eq!(p.total_pages(0), 1);
        assert_eq!(p.total_pages(21), 3);
    }
}
