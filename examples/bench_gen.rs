//! Test data for `bench/run.sh`: a vault of N org-level secrets (5 variables
//! each, plus a few files), the same values as a `.env` file for peer tools, and
//! a large log with secret values sprinkled through it for the masking runs.
//!
//! ```text
//! VAULT_PASSPHRASE=… cargo run --release --example bench_gen -- vault PATH N [MEMORY_MIB ITERATIONS]
//! cargo run --release --example bench_gen -- dotenv PATH N
//! cargo run --release --example bench_gen -- log PATH MEGABYTES SECRETS
//! ```
//!
//! Everything is deterministic: secret `svc-00042` has the same values in the
//! vault, the `.env` file and the log, so the masking runs can select the
//! secrets whose values the log holds (`svc-00000` … `svc-{SECRETS-1}`).

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::exit;

use vault::secret::{SecretBytes, SecretString};
use vault::vault::crypto::KdfParams;
use vault::vault::model::{EnvVar, Metadata, Payload, Secret, SecretFile, SecretId};
use vault::vault::storage::Store;
use vault::vault::{KeySource, Vault};

const KEYS: [&str; 5] = ["API_KEY", "DB_URL", "DB_PASSWORD", "TOKEN", "REGION"];
/// Every this-many secrets carries a file (so 10,000 secrets carry 10 files).
const FILE_EVERY: usize = 1000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or_else(|| usage());
    let num = |i: usize| arg(i).parse::<usize>().unwrap_or_else(|_| usage());
    match arg(0) {
        "vault" => {
            let kdf = match args.len() {
                3 => KdfParams::DEFAULT,
                5 => KdfParams {
                    memory_kib: num(3) as u32 * 1024,
                    iterations: num(4) as u32,
                    parallelism: 1,
                },
                _ => usage(),
            };
            write_vault(PathBuf::from(arg(1)), num(2), kdf);
        }
        "dotenv" => write_dotenv(PathBuf::from(arg(1)), num(2)),
        "log" => write_log(PathBuf::from(arg(1)), num(2), num(3)),
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!(
        "usage: bench_gen vault PATH N [MEMORY_MIB ITERATIONS] | dotenv PATH N | log PATH MB SECRETS"
    );
    exit(2)
}

pub fn secret_name(i: usize) -> String {
    format!("svc-{i:05}")
}

/// Variable names differ between secrets, so that selecting several secrets
/// injects (and masks) all of their values instead of overriding them.
fn key_name(i: usize, key: &str) -> String {
    format!("S{i:05}_{key}")
}

/// The value of variable `key` of secret `i`: 32 characters that look random.
fn value(i: usize, key: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut state = (i as u64) << 8 | key as u64;
    (0..32)
        .map(|_| {
            state = splitmix(state);
            ALPHABET[(state % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn secret(i: usize) -> Secret {
    let at = "2025-01-01T00:00:00Z".to_owned();
    let by = "bench@vault".to_owned();
    let files = if i.is_multiple_of(FILE_EVERY) {
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            (0..25)
                .map(|l| value(i, 100 + l))
                .collect::<Vec<_>>()
                .join("\n")
        );
        vec![SecretFile {
            path: format!("keys/{}.pem", secret_name(i)),
            contents: SecretBytes::new(pem.into_bytes()),
        }]
    } else {
        Vec::new()
    };
    Secret {
        env: KEYS
            .iter()
            .enumerate()
            .map(|(k, name)| EnvVar {
                name: key_name(i, name),
                value: SecretString::new(value(i, k)),
            })
            .collect(),
        files,
        description: format!("service {i} credentials"),
        allowed_projects: Vec::new(),
        allowed_branches: Vec::new(),
        rotate_every: None,
        rotated_at: at.clone(),
        meta: Metadata {
            created_at: at.clone(),
            created_by: by.clone(),
            updated_at: at,
            updated_by: by,
        },
    }
}

fn write_vault(path: PathBuf, count: usize, kdf: KdfParams) {
    let passphrase = std::env::var("VAULT_PASSPHRASE").unwrap_or_else(|_| {
        eprintln!("set VAULT_PASSPHRASE");
        exit(2)
    });
    let passphrase = SecretString::new(passphrase);
    let store = Store::new(path);
    let fail = |e: vault::error::Error| -> ! {
        eprintln!("error: {}", e.message);
        exit(1)
    };
    Vault::init(&store, &passphrase, kdf).unwrap_or_else(|e| fail(e));
    let mut vault = Vault::new(store, KeySource::Passphrase(passphrase));
    vault
        .modify(|payload: &mut Payload| {
            payload.org = (0..count)
                .map(|i| (SecretId::plain(&secret_name(i)), secret(i)))
                .collect();
            Ok(())
        })
        .unwrap_or_else(|e| fail(e));
}

fn write_dotenv(path: PathBuf, count: usize) {
    let mut out = BufWriter::new(std::fs::File::create(path).expect("create the .env file"));
    for i in 0..count {
        for (k, name) in KEYS.iter().enumerate() {
            writeln!(out, "{}={}", key_name(i, name), value(i, k)).expect("write");
        }
    }
    out.flush().expect("write");
}

/// A log of `megabytes` MB in which every 50th line carries one of the values
/// of secrets 0..secrets (5 values each), round robin.
fn write_log(path: PathBuf, megabytes: usize, secrets: usize) {
    let values: Vec<String> = (0..secrets)
        .flat_map(|i| (0..KEYS.len()).map(move |k| value(i, k)))
        .collect();
    let mut out = BufWriter::new(std::fs::File::create(path).expect("create the log"));
    let target = megabytes * 1_000_000;
    let (mut written, mut line) = (0, 0usize);
    while written < target {
        let text = if line.is_multiple_of(50) && !values.is_empty() {
            let v = &values[(line / 50) % values.len()];
            format!(
                "2025-01-01T00:00:{:02}Z INFO request {line} authorised with token={v} in 12ms\n",
                line % 60
            )
        } else {
            format!(
                "2025-01-01T00:00:{:02}Z INFO GET /api/v1/items/{line} 200 OK bytes=5123 user=u{} in 3ms\n",
                line % 60,
                line % 977
            )
        };
        out.write_all(text.as_bytes()).expect("write");
        written += text.len();
        line += 1;
    }
    out.flush().expect("write");
}
