//! The masker alone, for `bench/mask.sh`: set-up time for N values (the part
//! `vault exec` waits for before starting the child, and the whole build on
//! its thread) and in-process throughput over a log, through `mask::pump` in
//! reads of 64 KiB as from a pipe, into a sink.
//!
//! ```text
//! cargo run --release --example mask_bench -- setup N [RUNS]
//! cargo run --release --example mask_bench -- throughput LOG N [RUNS]
//! ```
//!
//! Values are those of `bench_gen`'s secrets: 32 characters that look random,
//! 5 per secret, `svc-00000`'s first; prints one JSON object.

use std::io::Read;
use std::time::{Duration, Instant};

use vault::exec::mask::{self, Masker};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize, default: usize| {
        args.get(i)
            .map_or(default, |a| a.parse().expect("a number"))
    };
    match args.first().map(String::as_str) {
        Some("setup") => setup(num(1, 5000), num(2, 21)),
        Some("throughput") => throughput(&args[1], num(2, 100), num(3, 5)),
        _ => {
            eprintln!("usage: mask_bench setup N [RUNS] | throughput LOG N [RUNS]");
            std::process::exit(2);
        }
    }
}

/// The first `n` values of bench_gen's secrets, in its order.
fn values(n: usize) -> Vec<String> {
    (0..n).map(|v| value(v / 5, v % 5)).collect()
}

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

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

fn setup(n: usize, runs: usize) {
    let values = values(n);
    let (mut start, mut full) = (Vec::new(), Vec::new());
    let mut shown = String::new();
    for _ in 0..runs {
        let t = Instant::now();
        let masker = Masker::in_background(&values);
        start.push(t.elapsed());
        // The first output waits for the rest of the build.
        let _ = masker.mask_all(b"x");
        full.push(t.elapsed());
        shown = format!("{masker:?}");
    }
    println!(
        r#"{{"values": {n}, "critical_path_ms": {:.3}, "full_build_ms": {:.2}, "masker": "{shown}"}}"#,
        median(start),
        median(full)
    );
}

fn throughput(log: &str, n: usize, runs: usize) {
    let mut data = Vec::new();
    std::fs::File::open(log)
        .expect("the log")
        .read_to_end(&mut data)
        .expect("read");
    let masker = Masker::new(values(n));
    let (mut times, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (t, c) = (Instant::now(), thread_cpu_time());
        mask::pump(&masker, PipeReads(&data), std::io::sink()).expect("pump");
        cpu.push(thread_cpu_time() - c);
        times.push(t.elapsed());
    }
    let (ms, cpu_ms) = (median(times), median(cpu));
    println!(
        r#"{{"values": {n}, "megabytes": {:.0}, "median_ms": {ms:.1}, "mb_per_s": {:.0}, "cpu_ms": {cpu_ms:.1}, "mb_per_cpu_s": {:.0}}}"#,
        data.len() as f64 / 1e6,
        data.len() as f64 / 1e3 / ms,
        data.len() as f64 / 1e3 / cpu_ms,
    );
}

/// The CPU time this thread has used (on a machine shared with other
/// work, less noisy than the wall clock).
fn thread_cpu_time() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_THREAD).expect("getrusage");
    let time = |t: nix::sys::time::TimeVal| {
        Duration::from_secs(t.tv_sec() as u64) + Duration::from_micros(t.tv_usec() as u64)
    };
    time(usage.user_time()) + time(usage.system_time())
}

/// Reads of at most 64 KiB, as from a pipe.
struct PipeReads<'a>(&'a [u8]);

impl Read for PipeReads<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.0.len()).min(64 * 1024);
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}
