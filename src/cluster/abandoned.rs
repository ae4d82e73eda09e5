//! Clusters whose run was killed outright. The watchdog removes a cluster
//! when its process exits, but a machine that kills every process at once
//! (a CI job's end, a container stopped) kills the watchdog too, and each
//! such run used to leave its cluster behind: gigabytes of test databases
//! that filled the disk under a later run.
//!
//! A running cluster is told from an abandoned one by a lock: its process
//! holds `owner.lock` (flock, exclusive) for as long as it lives, and the
//! kernel lets go of the lock however the process ends. The lock is seen
//! across PID namespaces, unlike a process id.

use std::fs::File;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

pub(super) const PREFIX: &str = "pgrecon-cluster-";
const LOCK_FILE: &str = "owner.lock";

/// A directory changed this recently may be a run still setting up, between
/// making its lock file and taking the lock.
const SETTING_UP: Duration = Duration::from_secs(60);
/// A directory with no lock file at all (made before owners held locks) is
/// left this long.
const WITHOUT_LOCK: Duration = Duration::from_secs(3600);

/// Holds the owner's lock on `root` for as long as the value lives.
pub(super) struct OwnerLock {
    _file: File,
}

impl OwnerLock {
    pub(super) fn take(root: &Path) -> std::io::Result<OwnerLock> {
        let file = File::create(root.join(LOCK_FILE))?;
        if try_lock(&file) {
            Ok(OwnerLock { _file: file })
        } else {
            Err(std::io::Error::other("another process holds the new cluster's lock"))
        }
    }
}

fn try_lock(file: &File) -> bool {
    // SAFETY: flock on a descriptor this `File` owns; no memory involved.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

/// Stops and removes every cluster under `parent` whose owner is gone.
/// Best effort: a directory that cannot be removed is left as it is.
pub(super) fn remove_abandoned(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for root in entries.flatten().map(|e| e.path()).filter(|p| is_cluster_dir(p)) {
        if is_abandoned(&root) {
            stop_server_in(&root);
            let _ = std::fs::remove_dir_all(&root);
        }
    }
}

fn is_cluster_dir(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(PREFIX)) && path.is_dir()
}

/// The lock can be taken (its owner is gone) and nothing was added lately,
/// or there is no lock file and the directory is old.
fn is_abandoned(root: &Path) -> bool {
    match File::open(root.join(LOCK_FILE)) {
        Ok(file) => older_than(root, SETTING_UP) && try_lock(&file),
        Err(_) => older_than(root, WITHOUT_LOCK),
    }
}

fn older_than(path: &Path, age: Duration) -> bool {
    let modified = std::fs::metadata(path).and_then(|m| m.modified());
    modified.is_ok_and(|t| SystemTime::now().duration_since(t).is_ok_and(|d| d > age))
}

/// Stops a server still running in an abandoned cluster (its owner was
/// killed, the server was not). The process id in `postmaster.pid` is only
/// trusted if that process runs on this very data directory: after a
/// restart the number may belong to anything.
fn stop_server_in(root: &Path) {
    let data = root.join("data");
    let Some(pid) = postmaster_pid(&data) else { return };
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let runs_here = String::from_utf8_lossy(&cmdline).contains(&*data.to_string_lossy());
    if !runs_here {
        return;
    }
    // SAFETY: sends a signal to a process checked above to be this
    // cluster's postmaster; SIGQUIT is PostgreSQL's immediate shutdown.
    unsafe { libc::kill(pid, libc::SIGQUIT) };
    for _ in 0..50 {
        if !PathBuf::from(format!("/proc/{pid}")).exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn postmaster_pid(data: &Path) -> Option<i32> {
    let text = std::fs::read_to_string(data.join("postmaster.pid")).ok()?;
    text.lines().next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch_parent(label: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pgrecon-abandoned-test-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn age(path: &Path, by: Duration) {
        let file = File::open(path).unwrap();
        file.set_modified(SystemTime::now() - by).unwrap();
    }

    /// A cluster whose owner holds its lock stays; one whose lock is free
    /// goes; other directories and recent ones are left alone.
    #[test]
    fn only_clusters_whose_owner_is_gone_are_removed() {
        let parent = scratch_parent("owners");
        let dir = |name: &str| parent.join(name);
        let (live, gone, just_made) =
            (dir(&format!("{PREFIX}1-1")), dir(&format!("{PREFIX}2-2")), dir(&format!("{PREFIX}3-3")));
        let (old_unlocked, new_unlocked, other) =
            (dir(&format!("{PREFIX}4-4")), dir(&format!("{PREFIX}5-5")), dir("not-a-cluster"));
        for d in [&live, &gone, &just_made, &old_unlocked, &new_unlocked, &other] {
            std::fs::create_dir(d).unwrap();
        }
        let held = OwnerLock::take(&live).unwrap();
        drop(OwnerLock::take(&gone).unwrap());
        drop(OwnerLock::take(&just_made).unwrap());
        File::create(other.join(LOCK_FILE)).unwrap();
        for d in [&live, &gone, &other] {
            age(d, Duration::from_secs(120));
        }
        age(&old_unlocked, Duration::from_secs(7200));

        remove_abandoned(&parent);

        assert!(live.is_dir(), "a cluster whose owner lives was removed");
        assert!(!gone.exists(), "a cluster whose owner is gone was left");
        assert!(just_made.is_dir(), "a cluster being set up was removed");
        assert!(!old_unlocked.exists(), "an old cluster without a lock was left");
        assert!(new_unlocked.is_dir(), "a new cluster without a lock yet was removed");
        assert!(other.is_dir(), "a directory that is not a cluster was removed");
        drop(held);
        let _ = std::fs::remove_dir_all(&parent);
    }
}
