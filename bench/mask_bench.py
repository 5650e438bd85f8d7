"""The masker's benchmarks; run through bench/mask.sh. See bench/RESULTS.md."""

import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

QUICK = "--quick" in sys.argv
ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release"
V, GEN, MB = TARGET / "vault", TARGET / "examples/bench_gen", TARGET / "examples/mask_bench"
RESULTS = ROOT / "bench/RESULTS.md"
BEGIN, END = "<!-- mask-bench:begin -->", "<!-- mask-bench:end -->"


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def hyperfine(commands, runs, env, shell=True):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        args = ["hyperfine", "-w", "1", "-r", str(runs), "--export-json", out.name, "-S", "bash"]
        subprocess.run(args + ["-N"] * (not shell) + commands, env=env, check=True, capture_output=True)
        return {r["command"]: r["median"] for r in json.load(open(out.name))["results"]}


def main():
    work = Path(tempfile.mkdtemp(prefix="vault-mask-bench-"))
    env = dict(os.environ, VAULT_PASSPHRASE="bench", VAULT_FILE=str(work / "vault.toml"))
    log("a vault of 1,000 secrets x 5 values (bench_gen, weak KDF) and a log")
    subprocess.run([GEN, "vault", work / "vault.toml", "1000", "8", "1"], env=env, check=True)
    log_mb = 50 if QUICK else 200
    subprocess.run([GEN, "log", work / "app.log", str(log_mb), "20"], check=True)
    load = os.getloadavg()
    started = datetime.now(timezone.utc)

    log("set-up")
    setup = {}
    for n in [100, 1000, 5000, 50000]:
        runs = 3 if n == 50000 or QUICK else 11
        out = subprocess.run([MB, "setup", str(n), str(runs)], capture_output=True, text=True, check=True)
        setup[n] = json.loads(out.stdout)

    log("in-process throughput")
    inproc = {}
    for n in [100, 5000]:
        out = subprocess.run([MB, "throughput", work / "app.log", str(n), "3"], capture_output=True, text=True, check=True)
        inproc[n] = json.loads(out.stdout)

    log("pipelines")
    names = " ".join(f"-s svc-{i:05d}" for i in range(20))
    catcat = f"cat {work}/app.log | cat"
    m100 = f"{V} exec --mask {names} -- cat {work}/app.log"
    m5000 = f"{V} exec --mask -- cat {work}/app.log"
    # The same commands with a child that prints nothing: what `vault exec`
    # costs before any output flows (reading the vault, starting the child),
    # so that the masking itself can be told apart from the start-up.
    t100 = f"{V} exec --mask {names} -- true"
    t5000 = f"{V} exec --mask -- true"
    runs = 3 if QUICK else 7
    pipes = hyperfine([catcat, m100, m5000, t100, t5000], runs, env)
    leaked = subprocess.run(f"{m5000} | grep -c -E '[A-Za-z0-9]{{32}} in 12ms' || true", shell=True, env=env,
                            capture_output=True, text=True).stdout.strip()

    log("a child that prints nothing")
    quiet = {
        "true": "true",
        "no-mask": f"{V} exec --no-mask -- true",
        "masked": f"{V} exec -- true | cat",
    }
    q = hyperfine(list(quiet.values()), 5 if QUICK else 30, env)
    ended = datetime.now(timezone.utc)
    load_end = os.getloadavg()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()

    size = (work / "app.log").stat().st_size / 1e6
    rate = lambda s: size / s
    cat_rate = rate(pipes[catcat])
    lines = [
        BEGIN,
        f"Run: `bench/mask.sh{' --quick' if QUICK else ''}` at commit `{commit}`, "
        f"{started:%Y-%m-%d %H:%M}–{ended:%H:%M} UTC, release build. "
        f"Load average {load[0]:.1f} at the start, {load_end[0]:.1f} at the end "
        "(2 cores shared with other builds: absolute figures are noisy, ratios less so).",
        "",
        "### Masker set-up (median ms)",
        "",
        "Values as bench_gen's (32 characters each). *Before the child* is what `vault exec` waits for "
        "(`Masker::in_background`: copying the values and starting the build thread); *whole build* is "
        "until the first output can be masked, on its own thread while the child starts.",
        "",
        "| values | before the child | whole build | patterns | memory |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, r in setup.items():
        m = re.search(r"patterns: (\d+), memory_bytes: (\d+)", r["masker"])
        lines.append(f"| {n:,} | {r['critical_path_ms']:.2f} | {r['full_build_ms']:.1f} | {int(m[1]):,} | {int(m[2]) / 1e6:.1f} MB |")
    ratio_crit = setup[50000]["critical_path_ms"] / setup[5000]["critical_path_ms"]
    ratio_full = setup[50000]["full_build_ms"] / setup[5000]["full_build_ms"]
    lines += [
        "",
        f"10,000 secrets x 5 values against 1,000 x 5: before the child {ratio_crit:.1f}x, whole build {ratio_full:.1f}x (target within 10x).",
        "",
        f"### Masking throughput ({size:.0f} MB log, median of {runs})",
        "",
        "| pipeline | s | MB/s | vs `cat \\| cat` | start-up (`-- true`) s | MB/s without it | vs `cat \\| cat` |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| `cat log \\| cat` | {pipes[catcat]:.3f} | {cat_rate:.0f} | 100% | | | |",
    ]
    for label, masked, quiet_cmd in [
        ("20 secrets, 100 values", m100, t100),
        ("all 1,000 secrets, 5,000 values and 1 file", m5000, t5000),
    ]:
        flowing = rate(max(pipes[masked] - pipes[quiet_cmd], 1e-9))
        lines.append(
            f"| `vault exec --mask` ({label}) `-- cat log` | {pipes[masked]:.3f} | {rate(pipes[masked]):.0f} "
            f"| {rate(pipes[masked]) / cat_rate:.0%} | {pipes[quiet_cmd]:.3f} | {flowing:.0f} | {flowing / cat_rate:.0%} |"
        )
    lines += [
        "",
        "The masker alone (`mask::pump` over the log in memory, in reads of 64 KiB as from a pipe, into a sink): "
        + ", ".join(f"{n:,} values {r['mb_per_s']} MB/s ({r['mb_per_cpu_s']} MB per CPU second)" for n, r in inproc.items())
        + f". Log lines still holding a 32-character value after masking with all secrets: {leaked}.",
        "",
        "### A child that prints nothing (median ms)",
        "",
        "| `true` | `vault exec --no-mask -- true` (in place) | `vault exec -- true \\| cat` (masked, all secrets) |",
        "| ---: | ---: | ---: |",
        f"| {q[quiet['true']] * 1000:.1f} | {q[quiet['no-mask']] * 1000:.1f} | {q[quiet['masked']] * 1000:.1f} |",
        END,
    ]
    text = RESULTS.read_text()
    section = "\n".join(lines)
    if BEGIN in text:
        text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n## Masking (issue 14, masker targets of issue 15)\n\n" + section + "\n"
    RESULTS.write_text(text)
    print(section)


main()
