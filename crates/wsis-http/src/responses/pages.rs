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
    versions: SharedReads,
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
            versions: SharedReads::default(),
        }
    }

    /// The repository version a page must carry for a request arriving now, through `read` (see `SharedReads`);
    /// 0 without reading anything when no pages are kept.
    pub async fn version<F, Fut>(&self, read: F) -> Result<i64, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<i64, ApiError>>,
    {
        if self.enabled() {
            self.versions.read(read).await
        } else {
            Ok(0)
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

/// Reads of a value that a request needs at least as new as itself (the repository version), shared by the requests
/// that need one at the same time.
///
/// A request needs a read that began after it arrived: a change committed before the request must be seen. While a
/// read runs, the requests that arrive wait for the next one, which one of them starts when the running read ends;
/// every waiter then takes its result, or its failure. Under load one query answers many requests instead of one
/// each (on PostgreSQL each is a round trip), with the same guarantee as a read per request. If the request running
/// a read goes away, a waiting request starts another.
#[derive(Debug, Default)]
pub struct SharedReads {
    state: std::sync::Mutex<Reads>,
    done: tokio::sync::Notify,
}

#[derive(Debug, Default)]
struct Reads {
    /// Reads started so far (the number of the latest).
    started: u64,
    /// Whether one runs now.
    running: bool,
    /// The number of the latest read that ended, and its value (`None`: it failed).
    last: Option<(u64, Option<i64>)>,
}

/// Marks the end of a running read, however it ends (a dropped request included), and wakes the waiters.
struct Running<'a>(&'a SharedReads);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.state().running = false;
        self.0.done.notify_waiters();
    }
}

impl SharedReads {
    fn state(&self) -> std::sync::MutexGuard<'_, Reads> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A value read after this call began: by `read`, or by a read another request started after that moment.
    pub async fn read<F, Fut>(&self, read: F) -> Result<i64, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<i64, ApiError>>,
    {
        // Reads numbered from `needed` on start after this moment.
        let needed = self.state().started + 1;
        let mut read = Some(read);
        loop {
            // Registered before the state is looked at, so the end of a read cannot slip between the two.
            let done = self.done.notified();
            let mine = {
                let mut state = self.state();
                match state.last {
                    // A failed read fails its waiters too: retried one after another, a database that does not
                    // answer would keep the last of them waiting for every earlier one's timeout.
                    Some((number, value)) if number >= needed => {
                        return value.ok_or_else(|| {
                            ApiError::unavailable("the repository version could not be read")
                        });
                    }
                    _ if state.running => None,
                    _ => {
                        state.running = true;
                        state.started += 1;
                        Some(state.started)
                    }
                }
            };
            let Some(number) = mine else {
                done.await;
                continue;
            };
            let running = Running(self);
            // A request starts at most one read: it returns with that read's result.
            let Some(read) = read.take() else {
                return Err(ApiError::unavailable(
                    "the repository version could not be read",
                ));
            };
            let result = read().await;
            self.state().last = Some((number, result.as_ref().ok().copied()));
            drop(running);
            return result;
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
            .get_or_render("bad", 8, async {
                Err(ApiError::not_found(wsis_domain::said!("resource-missing")))
            })
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
    async fn requests_that_need_the_version_at_once_share_a_read_begun_after_they_arrived() {
        let reads = SharedReads::default();
        let count = AtomicUsize::new(0);
        let read = || async {
            let n = count.fetch_add(1, Ordering::SeqCst) + 1;
            actix_web::rt::task::yield_now().await;
            Ok(i64::try_from(n).unwrap_or(0))
        };
        let together = futures_util::future::join_all((0..32).map(|_| reads.read(read))).await;
        let values: Vec<i64> = together.into_iter().map(Result::unwrap).collect();
        let used = count.load(Ordering::SeqCst);
        assert!(used <= 2, "{used} reads for 32 requests");
        assert!(values.iter().all(|v| (1..=2).contains(v)), "{values:?}");

        // A request that arrives while a read runs does not take that read's value: the read may have begun before
        // a change the request must see. It takes the next read's.
        let (release, wait) = tokio::sync::oneshot::channel::<()>();
        let first = reads.read(|| async {
            let _ = wait.await;
            Ok(100)
        });
        let second = async {
            // The first read is running by now; this request arrives, then that read ends.
            actix_web::rt::task::yield_now().await;
            let arrives = reads.read(|| async { Ok(200) });
            let ends = async {
                actix_web::rt::task::yield_now().await;
                let _ = release.send(());
            };
            futures_util::future::join(arrives, ends).await.0
        };
        let (first, second) = futures_util::future::join(first, second).await;
        assert_eq!((first.unwrap(), second.unwrap()), (100, 200));
    }

    #[actix_web::test]
    async fn the_requests_waiting_for_a_read_that_fails_fail_with_it_without_reading_again() {
        let reads = SharedReads::default();
        let count = AtomicUsize::new(0);
        let (release, wait) = tokio::sync::oneshot::channel::<()>();
        let wait = std::sync::Mutex::new(Some(wait));
        let read = || async {
            if count.fetch_add(1, Ordering::SeqCst) == 0 {
                let first = wait
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .take();
                if let Some(first) = first {
                    let _ = first.await;
                }
                Ok(1)
            } else {
                actix_web::rt::task::yield_now().await;
                Err(ApiError::unavailable("down"))
            }
        };
        let first = reads.read(read);
        let later = async {
            // Three requests arrive while the first read runs, then it ends; the next read, which one of them
            // starts for all three, fails.
            actix_web::rt::task::yield_now().await;
            let arrive = futures_util::future::join_all((0..3).map(|_| reads.read(read)));
            let ends = async {
                actix_web::rt::task::yield_now().await;
                let _ = release.send(());
            };
            futures_util::future::join(arrive, ends).await.0
        };
        let (first, later) = futures_util::future::join(first, later).await;
        assert_eq!(first.unwrap(), 1);
        assert!(later.iter().all(Result::is_err), "{later:?}");
        assert_eq!(
            count.load(Ordering::SeqCst),
            2,
            "one read for the three, not one each"
        );
    }

    #[actix_web::test]
    async fn a_failed_or_abandoned_read_leaves_the_next_request_to_read_again() {
        let reads = SharedReads::default();
        assert!(
            reads
                .read(|| async { Err(ApiError::unavailable("down")) })
                .await
                .is_err()
        );
        assert_eq!(reads.read(|| async { Ok(7) }).await.unwrap(), 7);
        // The request running a read goes away mid-read (its future dropped): the next one is not stuck behind it.
        let abandoned = reads.read(std::future::pending::<Result<i64, ApiError>>);
        let polled = futures_util::FutureExt::now_or_never(abandoned);
        assert!(polled.is_none());
        assert_eq!(reads.read(|| async { Ok(8) }).await.unwrap(), 8);
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
        // Ask for 100 pages of 4 KiB, then for the same 100 again, counting only the second pass's renders.
        for pass in 0..2 {
            renders.store(0, Ordering::SeqCst);
            for i in 0..100 {
                assert!(
                    small
                        .get_or_render(&format!("k{i}"), 1, counted(&renders, 4096))
                        .await
                        .is_ok(),
                    "pass {pass}"
                );
            }
        }
        let kept = 100 - renders.load(Ordering::SeqCst);
        assert!(
            kept > 0 && kept <= 16,
            "{kept} pages of 4 KiB kept in 64 KiB"
        );
    }
}
