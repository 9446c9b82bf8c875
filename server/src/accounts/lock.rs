//! One console per data directory. A serving console holds an exclusive lock on
//! `console.lock` for as long as it runs (the system releases it when the process ends, however
//! it ends), so a second console on the same directory, and a restore under a running one, are
//! refused with the holder's process id instead of racing on the database.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

/// The lock file in the data directory.
pub const LOCK_FILE: &str = "console.lock";

/// The held lock; dropping it releases the directory.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "a console is running on {dir}{}: stop it first (systemctl stop dis-console)",
        pid.map(|p| format!(" (process {p})")).unwrap_or_default()
    )]
    Held { dir: String, pid: Option<u32> },
    #[error("cannot lock {path}: {error}")]
    Io { path: String, error: std::io::Error },
}

/// Takes the data directory's lock, writing this process's id into the lock file.
pub fn acquire(dir: &Path) -> Result<DataDirLock, LockError> {
    let path = dir.join(LOCK_FILE);
    let io = |error| LockError::Io {
        path: path.display().to_string(),
        error,
    };
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path).map_err(io)?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0).map_err(io)?;
            file.rewind().map_err(io)?;
            write!(file, "{}", std::process::id()).map_err(io)?;
            Ok(DataDirLock { _file: file })
        }
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            Err(LockError::Held {
                dir: dir.display().to_string(),
                pid: text.trim().parse().ok(),
            })
        }
        Err(TryLockError::Error(error)) => Err(io(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_directory_is_refused_with_the_holder_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let held = acquire(dir.path()).unwrap();
        match acquire(dir.path()) {
            Err(LockError::Held { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
            other => panic!("{other:?}"),
        }
        let text = acquire(dir.path()).unwrap_err().to_string();
        assert!(text.contains("a console is running on"), "{text}");
        assert!(
            text.contains(&format!("process {}", std::process::id())),
            "{text}"
        );
        drop(held);
        assert!(acquire(dir.path()).is_ok());
    }
}
