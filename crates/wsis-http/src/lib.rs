//! The HTTP layer of the WSIS Contributions API.
//!
//! Owns everything HTTP: versioned routes under `/api/v1`, request and response bodies (DTOs) and their mapping to
//! domain types, content negotiation (language, time zone), conditional requests, CORS and security headers,
//! request ids, RFC 9457 problem responses, and the OpenAPI document generated from the handlers. It talks to the
//! database only through `wsis-persistence` and holds no state of its own between requests, so any number of
//! instances can run behind a load balancer.

pub mod auth;
pub mod changes;
pub mod client_address;
pub mod dto;
pub mod export;
pub mod idempotency;
pub mod json;
pub mod mail;
pub mod middleware;
pub mod negotiate;
pub mod openapi;
pub mod problem;
pub mod responses;
pub mod routes;
pub mod server;
pub mod state;
pub mod webhooks;

pub use server::{HttpSettings, run};
pub use state::{AppState, Identity};
