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

/// One rendered page.
#[derive(Debug)]
pub struct Page {
    /// The repository version it was rendered at (or later: the data was read after the version).
    pub version: i64,
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

    /// The page kept for `key`, if it was rendered at `version` or later.
    pub fn get(&self, key: &str, version: i64) -> Option<Arc<Page>> {
        self.cache
            .as_ref()?
            .get(key)
            .filter(|page| page.version >= version)
    }

    /// Keeps a page (replacing an older one).
    pub fn put(&self, key: String, page: Page) {
        if let Some(cache) = &self.cache {
            cache.insert(key, Arc::new(page));
        }
    }
}

/// What a process keeps by default: 32 MiB.
pub const DEFAULT_CAPACITY: u64 = 32 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    fn page(version: i64, bytes: usize) -> Page {
        Page {
            version,
            body: Bytes::from(vec![b'x'; bytes]),
            etag: "\"t\"".into(),
            link: None,
        }
    }

    #[test]
    fn a_page_serves_only_while_the_version_has_not_moved() {
        let pages = Pages::new(1 << 20);
        pages.put("k".into(), page(7, 10));
        assert!(pages.get("k", 7).is_some());
        assert!(
            pages.get("k", 6).is_some(),
            "rendered after an older version was read"
        );
        assert!(pages.get("k", 8).is_none(), "the repository changed since");
        assert!(pages.get("other", 7).is_none());
    }

    #[test]
    fn nothing_is_kept_with_no_capacity_and_the_capacity_bounds_what_is() {
        let none = Pages::new(0);
        assert!(!none.enabled());
        none.put("k".into(), page(1, 10));
        assert!(none.get("k", 1).is_none());

        let small = Pages::new(64 * 1024);
        for i in 0..100 {
            small.put(format!("k{i}"), page(1, 4096));
        }
        let kept = (0..100)
            .filter(|i| small.get(&format!("k{i}"), 1).is_some())
            .count();
        assert!(
            kept > 0 && kept <= 16,
            "{kept} pages of 4 KiB kept in 64 KiB"
        );
    }
}
