//! The account a private PostgreSQL cluster runs under: xtask's own, or an unprivileged one when
//! xtask runs as root, because PostgreSQL refuses to run as root.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use anyhow::Context;
use nix::unistd::{Gid, Uid, User};

/// The unprivileged account used when xtask runs as root; Debian's postgresql package creates it.
const UNPRIVILEGED_ACCOUNT: &str = "postgres";

/// Who runs the server programs.
#[derive(Clone, Debug)]
pub enum ServerAccount {
    /// The account xtask runs under.
    Own,
    /// An unprivileged account, because xtask runs as root.
    Unprivileged {
        /// Its user id.
        uid: Uid,
        /// Its primary group id.
        gid: Gid,
    },
}

impl ServerAccount {
    /// xtask's own account, or the `postgres` account when xtask runs as root.
    pub fn for_postgres() -> anyhow::Result<Self> {
        if !nix::unistd::geteuid().is_root() {
            return Ok(ServerAccount::Own);
        }
        let user = User::from_name(UNPRIVILEGED_ACCOUNT)
            .with_context(|| format!("cannot look up the `{UNPRIVILEGED_ACCOUNT}` account"))?
            .with_context(|| {
                format!(
                    "xtask runs as root, PostgreSQL refuses to, and there is no \
                     `{UNPRIVILEGED_ACCOUNT}` account to run it as (the postgresql package \
                     creates one)"
                )
            })?;
        Ok(ServerAccount::Unprivileged {
            uid: user.uid,
            gid: user.gid,
        })
    }

    /// A command that runs `program` under this account.
    pub fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        // Setting the uid as root also drops xtask's supplementary groups in the child.
        if let ServerAccount::Unprivileged { uid, gid } = self {
            command.uid(uid.as_raw()).gid(gid.as_raw());
        }
        command
    }

    /// Hands `path` to this account, so its server may write there.
    pub fn take_ownership(&self, path: &Path) -> std::io::Result<()> {
        match self {
            ServerAccount::Own => Ok(()),
            ServerAccount::Unprivileged { uid, gid } => {
                std::os::unix::fs::chown(path, Some(uid.as_raw()), Some(gid.as_raw()))
            }
        }
    }
}
