//! Rendered public repository pages, kept per process and valid for one repository version.
//!
//! The public repository is read far more than it changes. Each instance keeps the pages it rendered (body, entity
//! tag, `Link`), keyed by route and query string, with the repository version they were rendered at. Before
//! answering from it, a request reads the current version from the database (one indexed row; triggers bump it in
//! the same transaction as any change that can alter a public read), so a kept page is used only while nothing it
//! shows has changed, whichever instance made the change. Bounded by bytes; least useful pages go first.

use std::sync::Arc;

use actix_web::http::header::HeaderValue;
use actix_web::web::Bytes;

use crate::problem::ApiError;

/// One rendered page.
#[derive(Debug)]
pub struct Page {
    /// The JSON body.
    pub body: Bytes,
    /// Its entity tag.
    pub etag: String,
    /// The `Link` header, for a listing with a next page.
    pub link: Option<HeaderValue>,
}

#[derive(Debug, Clone)]
struct Weight;

impl quick_cache::Weighter<String, Arc<Page>> for Weight {
    fn weight(&self, key: &String, page: &Arc<Page>) -> u64 {
        u64::try_from(key.len() + page.body.len() + page.etag.len() + 64).unwrap_or(u64::MAX)
    }
}

/// The pages of this process.
pub struct Pages {
    cache: Option<quick_cache::sync::Cache<String, Arc<Page>, Weight>>,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("Pages");
        if let Some(cache) = &self.cache {
            out.field("pages", &cache.len())
                .field("bytes", &cache.weight());
        }
        out.finish()
    }
}

impl Pages {
    /// A store of at most `capacity` bytes (bodies, keys and tags); 0 keeps nothing.
    pub fn new(capacity: u64) -> Self {
        let estimated = usize::try_from(capacity / 4096).unwrap_or(1024).max(16);
        Self {
            cache: (capacity > 0)
                .then(|| quick_cache::sync::Cache::with_weighter(estimated, capacity, Weight)),
        }
    }

    /// Whether pages are kept at all (a request need not read the repository version otherwise).
    pub fn enabled(&self) -> bool {
        self.cache.is_some()
    }

    /// The page for `key` at repository `version`: the kept one, or `render`'s, which is then kept. Requests that
    /// miss the same page at once render it once: the others wait for it (no stampede on a popular page). The
    /// version is part of the key, so a page rendered before a change is never used after it (old pages age out).
    /// The data a page shows was read after `version`, so it is never older than that version.
    pub async fn get_or_render(
        &self,
        key: &str,
        version: i64,
        render: impl Future<Output = Result<Page, ApiError>>,
    ) -> Result<Arc<Page>, ApiError> {
        match &self.cache {
            None => render.await.map(Arc::new),
            Some(cache) => {
                let key = format!("{version} {key}");
                cache
                    .get_or_insert_async(&key, async { render.await.map(Arc::new) })
                    .await
            }
        }
    }
}

/// What a process keeps by default: 32 MiB.
pub const DEFAULT_CAPACITY: u64 = 32 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn page(bytes: usize) -> Page {
        Page {
            body: Bytes::from(vec![b'x'; bytes]),
            etag: "\"t\"".into(),
            link: None,
        }
    }

    async fn counted(renders: &AtomicUsize, bytes: usize) -> Result<Page, ApiError> {
        renders.fetch_add(1, Ordering::SeqCst);
        actix_web::rt::task::yield_now().await;
        Ok(page(bytes))
    }

    #[actix_web::test]
    async fn a_page_is_rendered_once_per_version_even_when_asked_at_once() {
        let pages = Pages::new(1 << 20);
        let renders = AtomicUsize::new(0);
        let together = futures_util::future::join_all(
            (0..16).map(|_| pages.get_or_render("k", 7, counted(&renders, 10))),
        )
        .await;
        assert!(together.iter().all(Result::is_ok));
        assert_eq!(
            renders.load(Ordering::SeqCst),
            1,
            "one render for sixteen requests"
        );
        assert!(
            pages
                .get_or_render("k", 7, counted(&renders, 10))
                .await
                .is_ok()
        );
        assert_eq!(renders.load(Ordering::SeqCst), 1, "kept");
        assert!(
            pages
                .get_or_render("k", 8, counted(&renders, 10))
                .await
                .is_ok()
        );
        assert_eq!(
            renders.load(Ordering::SeqCst),
            2,
            "the repository changed: rendered again"
        );
        let failed = pages
            .get_or_render("bad", 8, async { Err(ApiError::not_found("no")) })
            .await;
        assert!(failed.is_err(), "errors are answered, not kept");
        assert!(
            pages
                .get_or_render("bad", 8, counted(&renders, 10))
                .await
                .is_ok()
        );
        assert_eq!(renders.load(Ordering::SeqCst), 3);
    }

    #[actix_web::test]
    async fn nothing_is_kept_with_no_capacity_and_the_capacity_bounds_what_is() {
        let renders = AtomicUsize::new(0);
        let none = Pages::new(0);
        assert!(!none.enabled());
        for _ in 0..2 {
            assert!(
                none.get_or_render("k", 1, counted(&renders, 10))
                    .await
                    .is_ok()
            );
        }
        assert_eq!(renders.load(Ordering::SeqCst), 2, "nothing kept");

        let small = Pages::new(64 * 1024);
        let renders = AtomicUsize::new(0);
        for i in 0..100 {
            assert!(
                small
                    .get_or_render(&format!("k{i}"), 1, counted(&renders, 4096))
                    .await
                    .is_ok()
            );
        }
        renders.store(0, Ordering::SeqCst);
        for i in 0..100 {
            assert!(
                small
                    .get_or_render(&format!("k{i}"), 1, counted(&renders, 4096))
                    .await
                    .is_ok()
            );
        }
        let kept = 100 - renders.load(Ordering::SeqCst);
        assert!(
            kept > 0 && kept <= 16,
            "{kept} pages of 4 KiB kept in 64 KiB"
        );
    }
}
