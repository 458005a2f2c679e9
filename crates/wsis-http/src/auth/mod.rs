//! Authentication: password hashing, opaque secrets, JWT access tokens, and the [`Principal`] extractor that turns
//! a request's credentials into a policy [`Actor`](wsis_domain::Actor).

pub mod jwt;
pub mod passwords;
pub mod principal;
pub mod secrets;

pub use jwt::{Claims, SigningKey, TokenIssuer};
pub use principal::{Credentials, Principal};
