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
    cache: quick_cache::sync::Cache<String, Arc<Page>, Weight>,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("pages", &self.cache.len())
            .field("bytes", &self.cache.weight())
            .finish()
    }
}

impl Pages {
    /// A store of at most `capacity` bytes (bodies, keys and tags).
    pub fn new(capacity: u64) -> Self {
        let estimated = usize::try_from(capacity / 4096).unwrap_or(1024).max(16);
        Self {
            cache: quick_cache::sync::Cache::with_weighter(estimated, capacity, Weight),
        }
    }

    /// The page kept for `key`, if it was rendered at `version` or later.
    pub fn get(&self, key: &str, version: i64) -> Option<Arc<Page>> {
        self.cache.get(key).filter(|page| page.version >= version)
    }

    /// Keeps a page (replacing an older one).
    pub fn put(&self, key: String, page: Page) {
        self.cache.insert(key, Arc::new(page));
    }
}

/// What a process keeps by default: 32 MiB.
pub const DEFAULT_CAPACITY: u64 = 32 * 1024 * 1024;
