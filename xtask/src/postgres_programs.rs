//! Where PostgreSQL's server programs (`initdb`, `pg_ctl`, `postgres`) are installed, for a
//! private cluster: `PATH` first, as the developer set it up, then the newest version that
//! distribution packages put under `/usr/lib/postgresql`.

use std::path::{Path, PathBuf};

use crate::private_server::{has_program, path_directories};

/// Where distribution packages (Debian, Ubuntu) install each PostgreSQL version's programs.
const VERSIONS_ROOT: &str = "/usr/lib/postgresql";
/// The programs a cluster needs; `pg_ctl` runs the `postgres` beside it.
const SERVER_PROGRAMS: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

/// The directory holding PostgreSQL's server programs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostgresPrograms {
    directory: PathBuf,
}

impl PostgresPrograms {
    /// The first directory of `PATH` holding all of `initdb`, `pg_ctl` and `postgres`, else the
    /// newest `/usr/lib/postgresql/<version>/bin` holding them.
    pub fn discover() -> Option<Self> {
        Self::discover_in(&path_directories(), Path::new(VERSIONS_ROOT))
    }

    fn discover_in(path_directories: &[PathBuf], versions_root: &Path) -> Option<Self> {
        path_directories
            .iter()
            .find(|directory| has_server_programs(directory))
            .cloned()
            .or_else(|| newest_installed_version(versions_root))
            .map(|directory| PostgresPrograms { directory })
    }

    /// The path of the server program `name`.
    pub fn program(&self, name: &str) -> PathBuf {
        self.directory.join(name)
    }
}

fn has_server_programs(directory: &Path) -> bool {
    SERVER_PROGRAMS
        .iter()
        .all(|program| has_program(directory, program))
}

/// The `bin` directory of the highest version under `versions_root` that has the programs.
fn newest_installed_version(versions_root: &Path) -> Option<PathBuf> {
    std::fs::read_dir(versions_root)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = parse_version(entry.file_name().to_str()?)?;
            let programs = entry.path().join("bin");
            has_server_programs(&programs).then_some((version, programs))
        })
        .max_by(|left, right| left.0.cmp(&right.0))
        .map(|(_, programs)| programs)
}

/// `15` → `[15]`, `9.6` → `[9, 6]`, so that versions compare as numbers.
fn parse_version(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn install_programs(directory: &Path, programs: &[&str]) {
        std::fs::create_dir_all(directory).expect("create program directory");
        for program in programs {
            let path = directory.join(program);
            std::fs::write(&path, "").expect("write program");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                .expect("make program executable");
        }
    }

    fn programs_in(directory: PathBuf) -> Option<PostgresPrograms> {
        Some(PostgresPrograms { directory })
    }

    #[test]
    fn the_first_path_directory_with_every_program_wins() {
        let root = tempfile::tempdir().expect("temporary directory");
        let partial = root.path().join("partial");
        let complete = root.path().join("complete");
        let later = root.path().join("later");
        let versions = root.path().join("versions");
        install_programs(&partial, &["initdb", "pg_ctl"]);
        install_programs(&complete, &SERVER_PROGRAMS);
        install_programs(&later, &SERVER_PROGRAMS);
        install_programs(&versions.join("16").join("bin"), &SERVER_PROGRAMS);

        let found = PostgresPrograms::discover_in(&[partial, complete.clone(), later], &versions);

        assert_eq!(found, programs_in(complete));
    }

    #[test]
    fn without_programs_on_path_the_newest_installed_version_wins() {
        let root = tempfile::tempdir().expect("temporary directory");
        let versions = root.path().join("versions");
        install_programs(&versions.join("9.6").join("bin"), &SERVER_PROGRAMS);
        install_programs(&versions.join("15").join("bin"), &SERVER_PROGRAMS);
        install_programs(&versions.join("14").join("bin"), &SERVER_PROGRAMS);
        install_programs(&versions.join("17").join("bin"), &["initdb"]);
        install_programs(&versions.join("common").join("bin"), &SERVER_PROGRAMS);

        let found = PostgresPrograms::discover_in(&[root.path().join("empty")], &versions);

        assert_eq!(found, programs_in(versions.join("15").join("bin")));
    }

    #[test]
    fn nothing_is_found_without_programs() {
        let root = tempfile::tempdir().expect("temporary directory");

        let found = PostgresPrograms::discover_in(&[root.path().to_owned()], root.path());

        assert_eq!(found, None);
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert!(parse_version("15") > parse_version("9.6"));
        assert!(parse_version("10.2") > parse_version("10"));
        assert_eq!(parse_version("common"), None);
    }
}
