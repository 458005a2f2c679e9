//! A webhook receiver in the test process: an HTTP server on a loopback port that keeps what it is sent and
//! answers as the test plans (a status, after a delay), so that tests see deliveries as a partner's server would.

use std::collections::VecDeque;
use std::net::TcpListener;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// `webhook-id`.
    pub id: String,
    /// `webhook-timestamp`.
    pub timestamp: String,
    /// `webhook-signature`.
    pub signature: String,
    /// `content-type`.
    pub content_type: String,
    /// The body as sent.
    pub body: Vec<u8>,
    /// The body as JSON.
    pub json: serde_json::Value,
    /// The status the receiver answered.
    pub answered: u16,
    /// How long the receiver held its answer back.
    pub delayed: Duration,
}

impl Delivery {
    /// The headers as the Standard Webhooks library reads them.
    pub fn headers(&self) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        for (name, value) in [
            ("webhook-id", &self.id),
            ("webhook-timestamp", &self.timestamp),
            ("webhook-signature", &self.signature),
        ] {
            if let Ok(value) = http::HeaderValue::from_str(value) {
                headers.insert(name, value);
            }
        }
        headers
    }

    /// Whether the Standard Webhooks reference library accepts the signature with `secret` (`whsec_…`).
    pub fn verifies_with(&self, secret: &str) -> bool {
        standardwebhooks::Webhook::new(secret)
            .and_then(|hook| hook.verify(&self.body, &self.headers()))
            .is_ok()
    }
}

/// How the receiver answers a request.
#[derive(Debug, Clone, Copy)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// How long it takes first.
    pub delay: Duration,
}

#[derive(Debug, Default)]
struct Inner {
    got: Vec<Delivery>,
    plan: VecDeque<Answer>,
}

/// The receiver.
#[derive(Debug)]
pub struct Receiver {
    /// Its URL (`http://127.0.0.1:PORT/hook`).
    pub url: String,
    shared: Arc<(Mutex<Inner>, Condvar)>,
    handle: Option<ServerHandle>,
    thread: Option<JoinHandle<()>>,
}

async fn take(
    req: HttpRequest,
    body: web::Bytes,
    shared: web::Data<Arc<(Mutex<Inner>, Condvar)>>,
) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let answer = {
        let (lock, _) = &***shared;
        let mut inner = lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.plan.pop_front().unwrap_or(Answer {
            status: 204,
            delay: Duration::ZERO,
        })
    };
    if !answer.delay.is_zero() {
        actix_web::rt::time::sleep(answer.delay).await;
    }
    let delivery = Delivery {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        content_type: header("content-type"),
        json: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
        body: body.to_vec(),
        answered: answer.status,
        delayed: answer.delay,
    };
    let (lock, arrived) = &***shared;
    lock.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .got
        .push(delivery);
    arrived.notify_all();
    let status = actix_web::http::StatusCode::from_u16(answer.status)
        .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status).body(format!("answered {}", answer.status))
}

impl Receiver {
    /// Starts a receiver that answers 204 unless planned otherwise.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("addr: {e}"));
        let shared = Arc::new((Mutex::new(Inner::default()), Condvar::new()));
        let data = web::Data::new(shared.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            system.block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(data.clone())
                        .app_data(web::PayloadConfig::new(16 * 1024 * 1024))
                        .default_service(web::to(take))
                })
                .workers(1)
                .disable_signals()
                .shutdown_timeout(0)
                .listen(listener)
                .unwrap_or_else(|e| panic!("receiver: {e}"))
                .run();
                let _ = tx.send(server.handle());
                let _ = server.await;
            });
        });
        let handle = rx
            .recv()
            .unwrap_or_else(|e| panic!("receiver did not start: {e}"));
        Self {
            url: format!("http://127.0.0.1:{port}/hook"),
            shared,
            handle: Some(handle),
            thread: Some(thread),
        }
    }

    /// Plans the answers to the next requests, in order (after them: 204 at once).
    pub fn plan(&self, answers: &[Answer]) {
        let (lock, _) = &*self.shared;
        lock.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .plan
            .extend(answers.iter().copied());
    }

    /// Forgets the answers planned and not given yet (204 at once from now on).
    pub fn clear_plan(&self) {
        let (lock, _) = &*self.shared;
        lock.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .plan
            .clear();
    }

    /// Everything received so far, in order of arrival.
    pub fn received(&self) -> Vec<Delivery> {
        let (lock, _) = &*self.shared;
        lock.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .got
            .clone()
    }

    /// Waits until `count` requests have arrived (at most `within`), and returns all of them.
    pub fn wait_for(&self, count: usize, within: Duration) -> Vec<Delivery> {
        let (lock, arrived) = &*self.shared;
        let deadline = Instant::now() + within;
        let mut inner = lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while inner.got.len() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            inner = arrived
                .wait_timeout(inner, left)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
        inner.got.clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            drop(handle.stop(false));
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
