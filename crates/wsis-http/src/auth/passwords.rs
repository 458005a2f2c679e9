//! The gate every password hash of a request goes through; the hashes themselves are `wsis_app::passwords`.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use crate::problem::{ApiError, SERVICE_UNAVAILABLE};

pub use wsis_app::passwords::{hash, verify, verify_decoy};

type Job = Box<dyn FnOnce() + Send>;

/// Where every password hash and verification of a request runs: a few threads of its own (one per core by
/// default), so at most that many hashes are in memory at once (19 MiB each) and no more threads' allocator arenas
/// ever hold one, and a bounded queue in front of them. When the queue is full the request is answered 503 with
/// `Retry-After` at once, before anything is hashed: 400 parallel registrations took the server to 9.5 GiB when each
/// hashed on a blocking thread of its own, and other requests waited seconds meanwhile.
pub struct HashGate {
    jobs: mpsc::SyncSender<Job>,
    in_gate: Arc<AtomicUsize>,
    capacity: usize,
}

impl fmt::Debug for HashGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HashGate")
            .field("in_gate", &self.in_gate.load(Ordering::Relaxed))
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl HashGate {
    /// `workers` hashing threads and room for `queue` more requests waiting for one.
    pub fn new(workers: usize, queue: usize) -> Self {
        let workers = workers.max(1);
        let (jobs, receiver) = mpsc::sync_channel::<Job>(queue + workers);
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..workers {
            let receiver = Arc::clone(&receiver);
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{i}"))
                .spawn(move || {
                    loop {
                        let job = {
                            let guard = receiver
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner);
                            guard.recv()
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => break,
                        }
                    }
                });
            if let Err(err) = spawned {
                tracing::error!(error = %err, "could not start a password hashing thread");
            }
        }
        Self {
            jobs,
            in_gate: Arc::new(AtomicUsize::new(0)),
            capacity: queue + workers,
        }
    }

    /// One worker per core and a queue of sixteen per worker (a wait of well under a second in release builds).
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Self::new(cores, cores * 16)
    }

    /// Takes a place in the gate, or answers 503 with `Retry-After` at once when it is full. Taken before any other
    /// work of a request that will hash (a throttle reservation, a database read), so that a request the gate
    /// cannot take costs nothing else.
    pub fn admit(&self) -> Result<Admission, ApiError> {
        if self.in_gate.fetch_add(1, Ordering::SeqCst) >= self.capacity {
            self.in_gate.fetch_sub(1, Ordering::SeqCst);
            return Err(busy());
        }
        Ok(Admission {
            in_gate: Arc::clone(&self.in_gate),
            jobs: self.jobs.clone(),
            holds_place: true,
        })
    }

    /// Runs `work` on a hashing thread; 503 with `Retry-After` when the gate is full.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        self.admit()?.run(work).await
    }
}

fn busy() -> ApiError {
    ApiError {
        retry_after: Some(1),
        ..ApiError::new(SERVICE_UNAVAILABLE, wsis_domain::said!("busy-hashing"))
    }
}

/// A place in the [`HashGate`], held until its work has run (or until it is dropped unused).
#[derive(Debug)]
pub struct Admission {
    in_gate: Arc<AtomicUsize>,
    jobs: mpsc::SyncSender<Job>,
    holds_place: bool,
}

impl Admission {
    /// Runs `work` on a hashing thread and answers its result.
    pub async fn run<T: Send + 'static>(
        mut self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let in_gate = Arc::clone(&self.in_gate);
        // The job gives the place back when it has run, even if the request that queued it has gone away meanwhile.
        let job: Job = Box::new(move || {
            let _ = tx.send(work());
            in_gate.fetch_sub(1, Ordering::SeqCst);
        });
        self.holds_place = false;
        if self.jobs.try_send(job).is_err() {
            self.in_gate.fetch_sub(1, Ordering::SeqCst);
            return Err(busy());
        }
        rx.await
            .map_err(|_| ApiError::internal("a password hashing thread stopped"))
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        if self.holds_place {
            self.in_gate.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn a_full_gate_answers_busy_at_once_and_never_runs_more_than_its_workers() {
        let gate = Arc::new(HashGate::new(1, 2));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let release_rx = Arc::new(Mutex::new(release_rx));
        let mut waiting = Vec::new();
        for _ in 0..3 {
            let (gate, running, most, release_rx) = (
                gate.clone(),
                running.clone(),
                most.clone(),
                release_rx.clone(),
            );
            waiting.push(actix_web::rt::spawn(async move {
                gate.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    let _ = release_rx.lock().unwrap().recv();
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            }));
        }
        // Let the three reach the gate: one runs, two wait.
        while gate.in_gate.load(Ordering::SeqCst) < 3 {
            actix_web::rt::task::yield_now().await;
        }
        let refused = gate.run(|| ()).await.unwrap_err();
        assert_eq!((refused.kind.status, refused.retry_after), (503, Some(1)));
        for _ in 0..3 {
            release_tx.send(()).unwrap();
        }
        for task in waiting {
            task.await.unwrap().unwrap();
        }
        assert_eq!(
            most.load(Ordering::SeqCst),
            1,
            "one worker: never two hashes at once"
        );
        assert_eq!(gate.in_gate.load(Ordering::SeqCst), 0);
        gate.run(|| ()).await.unwrap();
    }
}
