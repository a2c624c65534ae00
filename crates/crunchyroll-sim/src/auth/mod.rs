//! OAuth as Crunchyroll does it (§2): accounts, client credentials, JWT access tokens with a
//! `benefits` claim, rotating device-bound refresh tokens, and the bearer check of every API call.

mod accounts;
mod bearer;
mod client;
mod errors;
mod jwt;
mod tokens;

pub(crate) use accounts::{AccountBook, AccountRecord};
pub(crate) use bearer::{AccountCaller, Caller};
pub(crate) use client::client_id;
pub(crate) use errors::AuthError;
pub(crate) use tokens::{DeviceInfo, TokenResponse, TokenStore};
