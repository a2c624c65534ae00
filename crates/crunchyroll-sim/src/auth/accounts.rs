//! The configured accounts, with the stable ids and benefits derived from them.

use kensho_kit::Secret;

use crate::ids::{hash_str, uuid_from_hash};
use crate::settings::Account;

/// One account as the simulator uses it.
#[derive(Clone, Debug)]
pub(crate) struct AccountRecord {
    /// Lowercased login name.
    pub(crate) email: String,
    password: Secret<String>,
    pub(crate) premium: bool,
    pub(crate) concurrent_streams: u32,
    /// Stable UUID derived from the email.
    pub(crate) account_id: String,
    /// Stable UUID of the account's single profile.
    pub(crate) profile_id: String,
}

impl AccountRecord {
    /// The JWT `benefits` claim: premium ⇔ `cr_premium`, plus the stream limit.
    pub(crate) fn benefits(&self) -> Vec<String> {
        let streams = format!("concurrent_streams.{}", self.concurrent_streams);
        if self.premium {
            [
                "cr_premium",
                &streams,
                "no_ads",
                "offline_viewing",
                "simulcast",
                "catalog",
            ]
            .map(str::to_owned)
            .to_vec()
        } else {
            vec!["catalog".to_owned(), streams]
        }
    }

    /// `premium` or `free`, as `activeStreams[].subscription` says.
    pub(crate) fn subscription(&self) -> &'static str {
        if self.premium { "premium" } else { "free" }
    }
}

/// Every account, looked up by login or index.
#[derive(Debug)]
pub(crate) struct AccountBook {
    accounts: Vec<AccountRecord>,
}

impl AccountBook {
    /// The book of the configured accounts.
    pub(crate) fn new(accounts: &[Account]) -> Self {
        let accounts = accounts
            .iter()
            .map(|account| {
                let email = account.email.trim().to_lowercase();
                let key = hash_str(&email);
                AccountRecord {
                    account_id: uuid_from_hash(key),
                    profile_id: uuid_from_hash(hash_str(&format!("profile:{email}"))),
                    email,
                    password: account.password.clone(),
                    premium: account.premium,
                    concurrent_streams: account.concurrent_streams,
                }
            })
            .collect();
        AccountBook { accounts }
    }

    /// The index of the account these credentials log into.
    pub(crate) fn login(&self, username: &str, password: &str) -> Option<usize> {
        let username = username.trim().to_lowercase();
        self.accounts
            .iter()
            .position(|account| account.email == username && account.password.expose() == password)
    }

    /// The account at an index handed out by [`AccountBook::login`].
    pub(crate) fn get(&self, index: usize) -> Option<&AccountRecord> {
        self.accounts.get(index)
    }
}
