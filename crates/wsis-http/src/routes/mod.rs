//! The handlers, one module per tag. Each carries `#[utoipa::path]` and is registered through the utoipa-actix-web
//! scope that also feeds the OpenAPI document, so the document cannot miss a route.

pub mod admin;
pub mod auth;
pub mod calls;
pub mod changes;
pub mod docs;
pub mod filters;
pub mod health;
pub mod me;
pub mod oauth;
pub mod organisations;
pub mod prizes;
pub mod reference;
pub mod stats;
pub mod stocktaking;
pub mod submissions;
pub mod webhooks;
