//! Argon2id password hashes (PHC strings) with OWASP's parameters: m = 19 MiB, t = 2, p = 1; and the gate every
//! hash of a request goes through.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, mpsc};

use crate::problem::{ApiError, SERVICE_UNAVAILABLE};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;

thread_local! {
    /// The Argon2 working memory of this thread (19 MiB with the default parameters), allocated once and reused by
    /// every hash the thread computes. Allocating it afresh for each hash, as `Argon2::hash_password` does, left
    /// each hashing thread's allocator holding several such blocks between small allocations it could not give back
    /// (500 parallel sign-ins: 470 MB peak, 330 MB of it from two hashing threads).
    static MEMORY: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `work` with this thread's working memory, grown to `blocks` blocks if it is smaller.
fn with_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        work(memory.get_mut(..blocks).unwrap_or_default())
    })
}

/// Hashes a password with a fresh random 128-bit salt, as a PHC string.
pub fn hash(password: &str) -> Result<String, String> {
    let params = Params::default();
    let mut salt = [0u8; Salt::RECOMMENDED_LENGTH];
    rand::rng().fill_bytes(&mut salt);
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    with_memory(params.block_count(), |memory| {
        argon.hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, memory)
    })
    .map_err(|e| e.to_string())?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| e.to_string())?,
        salt: Some(Salt::new(&salt).map_err(|e| e.to_string())?),
        hash: Some(Output::new(&out).map_err(|e| e.to_string())?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the stored PHC string (compared in constant time).
pub fn verify(password: &str, stored: &str) -> bool {
    let check = || -> Option<bool> {
        let parsed = PasswordHash::new(stored).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm.as_str()).ok()?;
        let version = parsed
            .version
            .map_or(Ok(Version::default()), Version::try_from)
            .ok()?;
        let params = Params::try_from(&parsed).ok()?;
        let (salt, expected) = (parsed.salt?, parsed.hash?);
        let mut out = vec![0u8; expected.len()];
        let argon = Argon2::new(algorithm, version, params.clone());
        with_memory(params.block_count(), |memory| {
            argon.hash_password_into_with_memory(
                password.as_bytes(),
                salt.as_ref(),
                &mut out,
                memory,
            )
        })
        .ok()?;
        Some(Output::new(&out).ok()? == expected)
    };
    check().unwrap_or(false)
}

/// A hash of nothing anyone knows, verified when the account does not exist so that an unknown e-mail costs the
/// same time as a wrong password.
static DECOY: LazyLock<String> =
    LazyLock::new(|| hash("decoy password for timing only").unwrap_or_default());

/// Spends the time of one verification.
pub fn verify_decoy(password: &str) {
    let _ = verify(password, &DECOY);
}

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
        ..ApiError::new(
            SERVICE_UNAVAILABLE,
            "Too many sign-ins and registrations are being processed right now; retry in a moment.",
        )
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

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("correct horse battery staple").unwrap();
        let b = hash("correct horse battery staple").unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify("correct horse battery staple", &a));
        assert!(!verify("correct horse battery stapler", &a));
        assert!(!verify("anything", "not a hash"));
        // The same PHC strings as the library's own hasher writes and reads: hashes stored before still verify.
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let library = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default());
        let theirs = library
            .hash_password(b"correct horse battery staple")
            .unwrap()
            .to_string();
        assert!(verify("correct horse battery staple", &theirs));
        assert!(!verify("correct horse battery stapler", &theirs));
        let ours = PasswordHash::new(&a).unwrap();
        assert!(
            library
                .verify_password(b"correct horse battery staple", &ours)
                .is_ok()
        );
        assert!(library.verify_password(b"wrong", &ours).is_err());
    }

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
