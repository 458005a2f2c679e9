//! How answers are made beyond their bodies: conditional responses (entity tags, 304, caching headers), the page
//! cache of the public repository, the cursors of paginated lists, and the RateLimit fields.

pub mod conditional;
pub mod cursor;
pub mod pages;
pub mod ratelimit;
