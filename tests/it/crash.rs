//! Crash safety (SPEC.md: "A write is atomic and durable ... The previous
//! version is kept as vault.toml.bak"). Writers are SIGKILLed at random points
//! of their run; afterwards the vault always holds the old or the new state,
//! never a corrupt one, the backup reads, temporary files do not pile up, and
//! the lock a killed writer held never blocks the next one.
//!
//! Each run's delay comes from a PRNG seeded with the run number: a failing
//! run is reported with its seed and reproduces.

use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use crate::common::{PASSPHRASE, TestVault, stderr};
use crate::security_support::Key;
use crate::security_support::{Rng, data_key, read_with_key, session_token, spawnable, temp_files};
use vault::vault::model::{Payload, SecretId};

const RUNS: u64 = 200;
const BUDGET: Duration = Duration::from_secs(22);
const SEED: u64 = 0xC0FF_EE05;

/// Reads the vault and its backup through the library; both must be whole.
fn current(vault: &TestVault, key: &Key, context: &str) -> Payload {
    let bytes = vault.vault_bytes();
    let payload = read_with_key(&bytes, key)
        .unwrap_or_else(|err| panic!("{context}: the vault is unreadable: {}", err.message));
    let backup = vault.path().join("data/vault.toml.bak");
    if backup.exists() {
        let bytes = std::fs::read(&backup).unwrap();
        read_with_key(&bytes, key)
            .unwrap_or_else(|err| panic!("{context}: the backup is unreadable: {}", err.message));
    }
    payload
}

fn value<'a>(payload: &'a Payload, secret: &str, key: &str) -> Option<&'a str> {
    payload
        .org
        .get(&SecretId::plain(secret))
        .and_then(|s| s.env_var(key))
        .map(|v| v.value.expose())
}

/// Times one unkilled run of `args`, to spread the kills over a whole run.
fn typical_duration(vault: &TestVault, token: &str, args: &[&str], session: bool) -> Duration {
    let start = Instant::now();
    let output = command(vault, token, args, session).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    start.elapsed()
}

fn command(vault: &TestVault, token: &str, args: &[&str], session: bool) -> std::process::Command {
    let mut cmd = spawnable(vault, args);
    // A stale lock must not stall the next writer: a short timeout makes it fail instead.
    cmd.env("VAULT_LOCK_TIMEOUT", "3");
    if session {
        cmd.env_remove("VAULT_PASSPHRASE")
            .env("VAULT_SESSION", token);
    }
    cmd
}

fn kill_after(mut child: Child, delay: Duration) -> bool {
    std::thread::sleep(delay);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill(); // SIGKILL
    let status = child.wait().unwrap();
    finished || status.success()
}

#[test]
fn writers_killed_at_random_leave_the_old_or_the_new_state() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "counter", "-e", "N=0"]);
    let key = data_key(&vault.vault_path(), PASSPHRASE);
    let token = session_token(&vault);
    let data_dir = vault.path().join("data");
    let local = vault.path().join("cert.pem");
    std::fs::write(&local, vec![b'x'; 2048]).unwrap();
    let file_arg = format!("{}:cert.pem", local.display());

    // How long a run takes, with a session and with the passphrase; measured
    // again every 20 runs, since the machine's load changes.
    let measure = |expected_n: u64| {
        let n_arg = format!("N={expected_n}"); // rewrites the same value
        let args = ["update", "secret", "counter", "-e", &n_arg];
        (
            typical_duration(&vault, &token, &args, true),
            typical_duration(&vault, &token, &args, false),
        )
    };
    let (mut fast, mut slow) = measure(0);
    eprintln!("an update takes {fast:?} with a session, {slow:?} with the passphrase");

    let started = Instant::now();
    let mut expected_n = 0u64;
    let mut created = Vec::new();
    let (mut old_states, mut new_states, mut runs, mut max_temp, mut runs_with_temp) =
        (0, 0, 0, 0, 0);
    for run in 1..=RUNS {
        if started.elapsed() > BUDGET {
            break;
        }
        runs += 1;
        let mut rng = Rng::new(SEED ^ run);
        let context = format!("run {run} (seed {:#x})", SEED ^ run);
        if run % 20 == 0 {
            (fast, slow) = measure(expected_n);
        }
        let session = rng.below(8) != 0;
        let typical = if session { fast } else { slow };
        // Half the kills land anywhere in the run; half in the write itself,
        // a random moment after its temporary file appears.
        let at_write = rng.below(2) == 0;
        let delay = if at_write {
            Duration::from_micros(rng.below(2_000))
        } else {
            Duration::from_micros(rng.below(typical.as_micros() as u64 * 13 / 10))
        };
        let kind = rng.below(3);
        let before = current(&vault, &key, &context);
        let name = format!("c{run}");
        let n = run.to_string();
        let n_arg = format!("N={n}");
        let args: Vec<&str> = match kind {
            0 => vec!["update", "secret", "counter", "-e", &n_arg],
            1 => vec!["create", "secret", &name, "-e", "K=v", "-f", &file_arg],
            _ => vec!["update", "secret", "counter", "-e", &n_arg, "-f", &file_arg],
        };
        let left_over = temp_files(&data_dir);
        let mut child = command(&vault, &token, &args, session).spawn().unwrap();
        if at_write {
            let give_up = Instant::now() + typical * 3;
            while !temp_files(&data_dir).iter().any(|t| !left_over.contains(t))
                && child.try_wait().unwrap().is_none()
                && Instant::now() < give_up
            {
                std::thread::sleep(Duration::from_micros(200));
            }
        }
        let succeeded = kill_after(child, delay);

        let after = current(&vault, &key, &context);
        let changed = if kind == 1 {
            let exists = after.org.contains_key(&SecretId::plain(&name));
            assert_eq!(
                after.org.len(),
                before.org.len() + exists as usize,
                "{context}"
            );
            if exists {
                created.push(name.clone());
            }
            exists
        } else {
            let now = value(&after, "counter", "N").expect("counter survives");
            assert!(
                now == n || now == expected_n.to_string(),
                "{context}: N is {now}, neither old {expected_n} nor new {n}"
            );
            if now == n {
                expected_n = run;
            }
            now == n
        };
        if succeeded {
            assert!(
                changed,
                "{context}: the writer succeeded but its change is missing"
            );
        }
        if changed {
            new_states += 1;
        } else {
            old_states += 1;
        }
        // Everything else is untouched.
        for name in &created {
            assert!(
                after.org.contains_key(&SecretId::plain(name)),
                "{context}: lost secret {name}"
            );
        }
        let temps = temp_files(&data_dir);
        max_temp = max_temp.max(temps.len());
        runs_with_temp += !temps.is_empty() as usize;
        assert!(
            temps.len() <= 2,
            "{context}: temporary files pile up: {temps:?}"
        );
    }
    eprintln!(
        "{runs} writers killed in {:?}: {old_states} left the old state, {new_states} the new; \
         {runs_with_temp} runs left temporary files (at most {max_temp} at once)",
        started.elapsed()
    );
    assert!(runs >= 40, "only {runs} runs in the time budget");
    // The kills landed both before and after the commit point.
    assert!(old_states > 0 && new_states > 0);

    // The binary agrees, and its next write sweeps any leftover temporary file.
    vault.ok(&["get", "secrets"]);
    vault.ok(&["update", "secret", "counter", "-e", "N=final"]);
    assert_eq!(temp_files(&data_dir), Vec::<String>::new());
    let last = current(&vault, &key, "after the final write");
    assert_eq!(value(&last, "counter", "N"), Some("final"));
    // The audit trail survived writers killed while appending to it.
    let log = vault.json(&["log", "-o", "json"]);
    assert!(!log.as_array().unwrap().is_empty());
}

#[test]
fn a_killed_init_leaves_no_vault_or_a_whole_one() {
    let mut rng = Rng::new(SEED);
    let (mut none, mut whole) = (0, 0);
    for run in 0..8 {
        let vault = TestVault::empty();
        let child = spawnable(
            &vault,
            &["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"],
        )
        .spawn()
        .unwrap();
        kill_after(child, Duration::from_micros(rng.below(250_000)));
        if vault.vault_path().exists() {
            whole += 1;
            let key = data_key(&vault.vault_path(), PASSPHRASE);
            read_with_key(&vault.vault_bytes(), &key)
                .unwrap_or_else(|e| panic!("run {run}: {}", e.message));
        } else {
            none += 1;
            // A second init is not blocked by what the first left behind.
            vault.ok(&["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"]);
        }
        vault.ok(&["get", "secrets"]);
    }
    eprintln!("killed inits: {none} left no vault, {whole} a whole one");
}

/// Holds the vault's write lock in another process, the way a writer does
/// (flock on the sidecar `.lock` file), until killed.
// The caller kills and waits for the child it is handed.
#[allow(clippy::zombie_processes)]
fn hold_lock(lock: &Path) -> Child {
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg("exec 9>>\"$1\" && flock -x 9 && exec sleep 60")
        .arg("sh")
        .arg(lock)
        .spawn()
        .expect("sh and flock(1)");
    // Wait until the lock is really held.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let free = std::process::Command::new("flock")
            .args(["-n", "-x"])
            .arg(lock)
            .arg("true")
            .status()
            .unwrap()
            .success();
        if !free {
            return child;
        }
        assert!(Instant::now() < deadline, "the lock was never taken");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_stale_lock_file_of_a_killed_writer_does_not_block_the_next_one() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "s", "-e", "K=v"]);
    let lock = vault.path().join("data/vault.toml.lock");
    assert!(lock.exists(), "writers lock a sidecar file");

    // While another process holds the lock, a writer waits, then gives up (exit 6).
    let mut holder = hold_lock(&lock);
    let start = Instant::now();
    let output = vault
        .cmd(&["update", "secret", "s", "-e", "K=blocked"])
        .env("VAULT_LOCK_TIMEOUT", "0.5")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    assert!(stderr(&output).contains("lock"), "{}", stderr(&output));
    assert!(start.elapsed() >= Duration::from_millis(500));
    let key = data_key(&vault.vault_path(), PASSPHRASE);
    let payload = read_with_key(&vault.vault_bytes(), &key).unwrap();
    assert_eq!(value(&payload, "s", "K"), Some("v"), "nothing written");

    // SIGKILL the holder: the kernel releases the flock, the file stays behind.
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert!(lock.exists());
    let start = Instant::now();
    vault
        .cmd(&["update", "secret", "s", "-e", "K=after"])
        .env("VAULT_LOCK_TIMEOUT", "2")
        .assert()
        .success();
    assert!(start.elapsed() < Duration::from_secs(2));
    let payload = read_with_key(&vault.vault_bytes(), &key).unwrap();
    assert_eq!(value(&payload, "s", "K"), Some("after"));
}

/// A writer killed between keeping the backup and renaming its new file in
/// leaves `vault.toml.bak` as a hard link to `vault.toml` (the same inode).
/// The next write must still leave no temporary file behind: `rename(2)`
/// between two links of one inode does nothing, so the staging link stays
/// unless removed.
#[test]
fn a_backup_linked_to_the_vault_file_leaves_no_staging_file() {
    let vault = TestVault::new();
    vault.ok(&["create", "secret", "s", "-e", "K=v"]);
    let data_dir = vault.path().join("data");
    let backup = data_dir.join("vault.toml.bak");
    std::fs::remove_file(&backup).unwrap();
    std::fs::hard_link(vault.vault_path(), &backup).unwrap();

    vault.ok(&["update", "secret", "s", "-e", "K=w"]);
    assert_eq!(temp_files(&data_dir), Vec::<String>::new());
    let key = data_key(&vault.vault_path(), PASSPHRASE);
    let previous = read_with_key(&std::fs::read(&backup).unwrap(), &key).unwrap();
    assert_eq!(value(&previous, "s", "K"), Some("v"));
    let now = read_with_key(&vault.vault_bytes(), &key).unwrap();
    assert_eq!(value(&now, "s", "K"), Some("w"));
}
