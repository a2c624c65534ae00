//! Data directories and files only their owner can read: embedded storage holds sessions,
//! encrypted Crunchyroll tokens and keys. What exists already keeps the permissions its owner gave
//! it; what Kensho creates is owner-only from the first byte.

use std::io;
use std::path::Path;

/// Creates `directory` and any missing parents, each new one readable by its owner only.
pub fn create_private_dir_all(directory: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(directory)
}

/// Creates `file` empty and owner-only when it does not exist (an empty file is a valid new SQLite
/// database, whose `-wal` and `-shm` files then get the same permissions), with its directory.
pub fn create_private_file_if_missing(file: &Path) -> io::Result<()> {
    if let Some(directory) = file
        .parent()
        .filter(|directory| !directory.as_os_str().is_empty())
    {
        create_private_dir_all(directory)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(file) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn new_directories_and_files_are_owner_only_and_existing_files_are_kept() {
        let root = std::env::temp_dir().join(format!("kensho-private-{}", std::process::id()));
        let file = root.join("nested").join("store.db");

        create_private_file_if_missing(&file).expect("created");
        std::fs::write(&file, b"kept").expect("written");
        create_private_file_if_missing(&file).expect("left as it is");

        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&root.join("nested")), 0o700);
        assert_eq!(mode(&file), 0o600);
        assert_eq!(std::fs::read(&file).unwrap(), b"kept");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
