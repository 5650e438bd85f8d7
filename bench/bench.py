#!/usr/bin/env python3
"""Benchmarks of `vault` against the targets of issue #6 (run through bench/run.sh).

Generates vaults of 10, 1,000 and 10,000 secrets (5 variables each, a file on
every 1,000th), unlocks each once (Argon2 paid once), then measures side by side
in one run: `vault exec -- true` against a bare `true`, the get/create/update
commands, masking throughput against `cat | cat`, peak memory, the unlock time
with the default Argon2 parameters, and the same runs for peers that are
installed (sops with an age key, dotenvx, a sed mask). Medians throughout.

Writes the tables between the markers of bench/RESULTS.md (creating it if
needed) and prints them. Installs nothing: a missing tool is named and skipped.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where cargo builds (bench/run.sh builds first): CARGO_TARGET_DIR when set.
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
VAULT = TARGET / "release/vault"
GEN = TARGET / "release/examples/bench_gen"
RESULTS = ROOT / "bench/RESULTS.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
PASSPHRASE = "bench-passphrase"
SIZES = [10, 1000, 10000]
# Targets (issue #6), medians on this machine.
EXEC_TARGET_MS = {1000: 3.0, 10000: 10.0}
COMMAND_TARGET_MS = {1000: 50.0, 10000: 150.0}
MASK_TARGET_RATIO = 0.70
MEMORY_TARGET_MB = 20.0

missing = []


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def tool(name, why):
    path = shutil.which(name)
    if path is None:
        missing.append(f"`{name}` ({why})")
        log(f"{name} is not installed: {why} skipped")
    return path


class Timer:
    """hyperfine when installed (medians from its JSON), else a plain timer."""

    def __init__(self, hyperfine, work):
        self.hyperfine = hyperfine
        self.work = work
        self.count = 0

    def run(self, commands, env, runs, warmup=2, shell=False, prepare=None, cwd=None):
        """Times each command; returns {command: median seconds or None on failure}."""
        if self.hyperfine:
            return self._hyperfine(commands, env, runs, warmup, shell, prepare, cwd)
        return {c: self._plain(c, env, runs, warmup, shell, prepare, cwd) for c in commands}

    def _hyperfine(self, commands, env, runs, warmup, shell, prepare, cwd):
        self.count += 1
        out = self.work / f"hyperfine-{self.count}.json"
        args = [self.hyperfine, "--style", "none", "--runs", str(runs), "--warmup", str(warmup)]
        args += ["--export-json", str(out)]
        if not shell:
            args.append("-N")
        if prepare:
            args += ["--prepare", prepare]
        results = {}
        # One invocation for all commands keeps them side by side; a failing
        # command makes hyperfine stop, so then time them one by one.
        done = subprocess.run(args + commands, env=env, cwd=cwd, capture_output=True, text=True)
        if done.returncode == 0:
            for r in json.loads(out.read_text())["results"]:
                results[r["command"]] = r["median"]
            return results
        for command in commands:
            done = subprocess.run(args + [command], env=env, cwd=cwd, capture_output=True, text=True)
            if done.returncode == 0:
                results[command] = json.loads(out.read_text())["results"][0]["median"]
            else:
                log(f"failed: {command}: {done.stderr.strip().splitlines()[-1:]}")
                results[command] = None
        return results

    def _plain(self, command, env, runs, warmup, shell, prepare, cwd):
        times = []
        for i in range(warmup + runs):
            if prepare:
                subprocess.run(prepare, shell=True, env=env, cwd=cwd, capture_output=True)
            start = time.perf_counter()
            done = subprocess.run(
                command if shell else command.split(),
                shell=shell, env=env, cwd=cwd,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                log(f"failed: {command}")
                return None
            if i >= warmup:
                times.append(elapsed)
        return statistics.median(times)


def max_rss_mb(gnu_time, command, env, shell=False, cwd=None):
    """Peak resident memory of one run, in MB (GNU time's %M, KiB)."""
    if not gnu_time:
        return None
    args = [gnu_time, "-f", "%M"] + (["sh", "-c", command] if shell else command.split())
    done = subprocess.run(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = done.stderr.strip().splitlines()
    try:
        return int(lines[-1]) / 1024
    except (ValueError, IndexError):
        return None


def ms(seconds):
    return "–" if seconds is None else f"{seconds * 1e3:.1f}"


def mb(value):
    return "–" if value is None else f"{value:.1f}"


def verdict(ok):
    return "–" if ok is None else ("met" if ok else "**missed**")


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")
    )
    return f"{cpu}, {os.cpu_count()} cores, {mem_kb / 1024 / 1024:.0f} GiB, Linux {platform.release()}"


def load():
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def base_env():
    env = dict(os.environ)
    for name in ["VAULT_SESSION", "VAULT_PASSPHRASE", "VAULT_PASSPHRASE_FILE", "VAULT_PROJECT", "VAULT_MASK"]:
        env.pop(name, None)
    return env


def kdf_of(header):
    """The passphrase's Argon2id parameters as the vault file states them: format 1's
    `kdf_*` header lines, or format 2's `member passphrase MEMORY_KIB ITERATIONS LANES …`."""
    kdf = {k.strip(): v.strip() for k, _, v in (l.partition("=") for l in header if l.startswith("kdf_"))}
    if not kdf:
        line = next(l for l in header if l.startswith("member passphrase "))
        memory, iterations, lanes = line.split()[2:5]
        kdf = {"kdf_memory_kib": memory, "kdf_iterations": iterations, "kdf_parallelism": lanes}
    return (
        f"{int(kdf['kdf_memory_kib']) // 1024} MiB, {kdf['kdf_iterations']} iterations, "
        f"{kdf['kdf_parallelism']} lane(s)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and a 20 MB log")
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--log-mb", type=int, default=None)
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = 5 if args.quick else 30
    write_runs = 5 if args.quick else 20
    log_mb = args.log_mb or (20 if args.quick else 200)

    hyperfine = tool("hyperfine", "the timer; a plain Python timer is used instead")
    gnu_time = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
    if not gnu_time:
        missing.append("`/usr/bin/time` (GNU time, for peak memory: `apt-get install time`)")
        log("/usr/bin/time is missing: peak memory skipped")
    sops = tool("sops", "the sops exec-env peer")
    age_keygen = tool("age-keygen", "the age key for sops")
    dotenvx = tool("dotenvx", "the dotenvx run peer")
    sed = tool("sed", "the sed masking peer")
    for path in (VAULT, GEN):
        if not path.exists():
            sys.exit(f"bench: {path} is missing: run bench/run.sh, which builds it")

    work = Path(tempfile.mkdtemp(prefix="vault-bench-"))
    timer = Timer(hyperfine, work)
    # A copy: others may rebuild target/release while this runs.
    binary = work / "vault"
    shutil.copy2(VAULT, binary)
    started = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    load_before = load()
    log(f"working in {work}; load average {load_before}")
    env0 = base_env()
    V = str(binary)

    # ---- vaults, sessions ----
    sessions = {}
    for n in sizes:
        path = work / f"v{n}" / "vault.toml"
        path.parent.mkdir()
        log(f"generating a vault of {n} secrets (default Argon2 parameters)")
        subprocess.run([str(GEN), "vault", str(path), str(n)], env={**env0, "VAULT_PASSPHRASE": PASSPHRASE}, check=True)
        out = subprocess.run(
            [V, "--vault", str(path), "unlock", "--ttl", "3h"],
            env={**env0, "VAULT_PASSPHRASE": PASSPHRASE}, capture_output=True, text=True, check=True,
        ).stdout
        token = out.strip().split("VAULT_SESSION=", 1)[1]
        sessions[n] = {**env0, "VAULT_FILE": str(path), "VAULT_SESSION": token}

    # ---- unlock with the default Argon2 parameters ----
    log("timing vault unlock (default Argon2 parameters)")
    first = sizes[0]
    unlock_env = {**env0, "VAULT_FILE": str(work / f"v{first}" / "vault.toml"), "VAULT_PASSPHRASE": PASSPHRASE}
    unlock_cmd = f"{V} unlock --ttl 1m"
    unlock = timer.run([unlock_cmd], unlock_env, runs=3 if args.quick else 7, warmup=1)[unlock_cmd]
    unlock_rss = max_rss_mb(gnu_time, unlock_cmd, unlock_env)
    header = (work / f"v{first}" / "vault.toml").read_text().splitlines()
    kdf_text = kdf_of(header)

    # ---- exec overhead and the commands ----
    rows = {}
    for n in sizes:
        env = sessions[n]
        log(f"{n} secrets: exec against true")
        exec_in_place = f"{V} exec --no-mask -s svc-00001 -- true"
        exec_masked = f"{V} exec -s svc-00001 -- true"
        version = f"{V} --version"
        r = timer.run(["true", version, exec_in_place, exec_masked], env, runs=runs, warmup=3)
        row = {"true": r["true"], "in_place": r[exec_in_place], "masked": r[exec_masked]}
        row["version"] = r[version]
        log(f"{n} secrets: get, create, update")
        get_list, get_one = f"{V} get secrets", f"{V} get secret svc-00001"
        update = f"{V} update secret svc-00002 -e S00002_TOKEN=rotated-value-0123456789"
        r = timer.run([get_list, get_one], env, runs=runs, warmup=2)
        row["get_list"], row["get_one"] = r[get_list], r[get_one]
        row["update"] = timer.run([update], env, runs=write_runs, warmup=2)[update]
        create = f"{V} create secret bench-new -e NEW_KEY=new-value-0123456789 -e OTHER=x"
        prepare = f"sh -c '{V} delete secret bench-new --yes >/dev/null 2>&1 || true'"
        row["create"] = timer.run([create], env, runs=write_runs, warmup=1, prepare=prepare)[create]
        subprocess.run(prepare, shell=True, env=env)
        log(f"{n} secrets: peak memory")
        row["rss"] = {
            "exec (in place)": max_rss_mb(gnu_time, exec_in_place, env),
            "exec (masked)": max_rss_mb(gnu_time, exec_masked, env),
            "get secrets": max_rss_mb(gnu_time, get_list, env),
            "get secret": max_rss_mb(gnu_time, get_one, env),
            "update": max_rss_mb(gnu_time, update, env),
            "create": max_rss_mb(gnu_time, create, env),
        }
        subprocess.run(prepare, shell=True, env=env)
        rows[n] = row

    # ---- peers: sops exec-env, dotenvx run ----
    peers = {}
    if sops and age_keygen:
        key = work / "age.key"
        subprocess.run([age_keygen, "-o", str(key)], check=True, capture_output=True)
        public = next(l.split(":", 1)[1].strip() for l in key.read_text().splitlines() if "public key" in l)
        sops_env = {**env0, "SOPS_AGE_KEY_FILE": str(key)}
        for n in sizes:
            plain, sealed = work / f"sops{n}.env", work / f"sops{n}.enc.env"
            subprocess.run([str(GEN), "dotenv", str(plain), str(n)], check=True)
            with sealed.open("w") as out:
                subprocess.run(
                    [sops, "encrypt", "--age", public, "--input-type", "dotenv", "--output-type", "dotenv", str(plain)],
                    stdout=out, check=True, env=sops_env,
                )
            log(f"sops exec-env with {n * 5} values")
            command = f"{sops} exec-env {sealed} true"
            median = timer.run([command], sops_env, runs=max(3, runs // 3), warmup=1)[command]
            peers.setdefault(n, {})["sops"] = (median, max_rss_mb(gnu_time, command, sops_env) if median else None)
    if dotenvx:
        # dotenvx takes seconds per run at 1,000 values: 10 secrets' worth, and 1,000 values.
        for n in [s for s in sizes if s <= 10] + ([] if args.quick else [200]):
            folder = work / f"dotenvx{n}"
            folder.mkdir()
            subprocess.run([str(GEN), "dotenv", str(folder / ".env"), str(n)], check=True)
            subprocess.run([dotenvx, "encrypt", "-f", ".env"], cwd=folder, check=True, capture_output=True)
            log(f"dotenvx run with {n * 5} values")
            command = f"{dotenvx} run -f .env -- true"
            median = timer.run([command], env0, runs=3, warmup=0, cwd=folder)[command]
            peers.setdefault(n, {})["dotenvx"] = (median, max_rss_mb(gnu_time, command, env0, cwd=folder) if median else None)

    # ---- masking throughput ----
    log(f"masking: generating a {log_mb} MB log holding 100 secret values")
    mask_n = 1000 if 1000 in sizes else max(sizes)
    if mask_n < 20:
        sys.exit("bench: the masking runs select 20 secrets: include a size of at least 20 in --sizes")
    env = sessions[mask_n]
    log_path = work / "app.log"
    subprocess.run([str(GEN), "log", str(log_path), str(log_mb), "20"], check=True)
    size_mb = log_path.stat().st_size / 1e6
    small_log = work / "small.log"
    subprocess.run([str(GEN), "log", str(small_log), "2", "20"], check=True)
    names = " ".join(f"-s svc-{i:05d}" for i in range(20))
    mask_cmd = f"{V} exec --mask {names} -- cat {log_path}"
    catcat = f"cat {log_path} | cat"
    commands = [catcat, mask_cmd]
    values = []
    for i in range(20):
        out = subprocess.run(
            [V, "export", f"svc-{i:05d}", "--format", "json"], env=env, capture_output=True, text=True, check=True
        ).stdout
        values += list(json.loads(out).values())
    # The masked output must hold none of the values, and a *** where each was.
    small_masked = subprocess.run(
        f"{V} exec --mask {names} -- cat {small_log}", shell=True, env=env, capture_output=True, check=True
    ).stdout
    leaked = sum(small_masked.count(v.encode()) for v in values)
    hidden = small_masked.count(b"***")
    expected = sum(small_log.read_bytes().count(v.encode()) for v in values)
    log(f"masking check: {hidden} masked of {expected} occurrences, {leaked} leaked")
    sed_cmd = None
    if sed:
        script = work / "mask.sed"
        script.write_text("".join(f"s/{v}/***/g\n" for v in values))
        sed_cmd = f"cat {log_path} | sed -f {script}"
        commands.append(sed_cmd)
    mask_runs = 2 if args.quick else 5
    log("masking: timing")
    r = timer.run(commands, env, runs=mask_runs, warmup=1, shell=True)
    masking = {
        "cat | cat": r[catcat],
        "vault exec --mask -- cat": r[mask_cmd],
        "sed, 100 values": r[sed_cmd] if sed_cmd else None,
    }
    mask_rss = {
        f"{size_mb:.0f} MB log": max_rss_mb(gnu_time, mask_cmd + " > /dev/null", env, shell=True),
        "2 MB log": max_rss_mb(gnu_time, f"{V} exec --mask {names} -- cat {small_log} > /dev/null", env, shell=True),
    }

    finished = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    report = render(
        started, finished, load_before, load(), sizes, rows, unlock, unlock_rss,
        peers, masking, size_mb, mask_rss, args, timer, (hidden, expected, leaked), kdf_text,
    )
    print(report)
    write_results(Path(args.out), report)
    if args.keep:
        log(f"data kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


def render(started, finished, load_before, load_after, sizes, rows, unlock, unlock_rss,
           peers, masking, size_mb, mask_rss, args, timer, mask_check, kdf_text):
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    out = []
    w = out.append
    w(f"Run: `bench/run.sh{' ' + ' '.join(sys.argv[1:]) if sys.argv[1:] else ''}` at commit `{commit}`"
      f"{' (with uncommitted changes)' if dirty else ''}, {started:%Y-%m-%d %H:%M}–{finished:%H:%M} UTC.  ")
    w(f"Machine: {machine()}.  ")
    w(f"Load average (1, 5, 15 min): {load_before} at the start, {load_after} at the end.  ")
    w(f"Timer: {'hyperfine ' + subprocess.run([timer.hyperfine, '--version'], capture_output=True, text=True).stdout.split()[-1] if timer.hyperfine else 'plain Python timer (hyperfine missing)'}; "
      f"medians; release build; every vault command runs with a session (`vault unlock`).")
    w("")
    w("### `vault exec -- true` against a bare `true` (median ms)")
    w("")
    w("`-s svc-00001` injects one secret (5 variables). Under the timer stdout is not a terminal, so plain "
      "`vault exec` masks (spawns the command and pumps its output); `--no-mask` execs in place.")
    w("")
    w("| secrets | `true` | `exec --no-mask` (in place) | overhead | ratio | `exec` (masked: spawn + pump) | overhead | ratio | target (overhead) |")
    w("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    checks = []
    for n in sizes:
        r = rows[n]
        t = r["true"]
        cells = []
        oks = []
        for key in ("in_place", "masked"):
            v = r[key]
            over = None if v is None or t is None else v - t
            cells += [ms(v), ms(over), "–" if over is None else f"{v / t:.1f}×"]
            if n in EXEC_TARGET_MS and over is not None:
                oks.append(over * 1e3 <= EXEC_TARGET_MS[n])
        target = "–"
        if n in EXEC_TARGET_MS and oks:
            target = f"≤ {EXEC_TARGET_MS[n]:.0f} ms: in place {verdict(oks[0])}, masked {verdict(oks[1])}"
            checks.append((f"exec overhead at {n:,} secrets ≤ {EXEC_TARGET_MS[n]:.0f} ms", all(oks)))
        w(f"| {n:,} | {ms(t)} | " + " | ".join(cells) + f" | {target} |")
    w("")
    w("Start-up floor: `vault --version` (process start, dynamic linking, argument parsing) took "
      + ", ".join(f"{ms(rows[n]['version'])} ms" for n in sizes) + " in the same runs.")
    w("")
    w("### Commands (median ms)")
    w("")
    w("| secrets | `get secrets` | `get secret NAME` | `create secret` | `update secret` | target |")
    w("| ---: | ---: | ---: | ---: | ---: | --- |")
    for n in sizes:
        r = rows[n]
        values = [r["get_list"], r["get_one"], r["create"], r["update"]]
        target = "–"
        if n in COMMAND_TARGET_MS:
            limit = COMMAND_TARGET_MS[n]
            ok = all(v is not None and v * 1e3 < limit for v in values)
            target = f"< {limit:.0f} ms: {verdict(ok)}"
            checks.append((f"get/create/update at {n:,} secrets < {limit:.0f} ms", ok))
        w(f"| {n:,} | " + " | ".join(ms(v) for v in values) + f" | {target} |")
    w("")
    w("### Peak memory (max RSS, MB)")
    w("")
    names = list(rows[sizes[0]]["rss"].keys())
    w("| secrets | " + " | ".join(f"`{k}`" for k in names) + " |")
    w("| ---: |" + " ---: |" * len(names))
    worst = 0.0
    for n in sizes:
        values = [rows[n]["rss"][k] for k in names]
        worst = max([worst] + [v for v in values if v is not None])
        w(f"| {n:,} | " + " | ".join(mb(v) for v in values) + " |")
    w("")
    w(f"`vault unlock` (Argon2id, default parameters): {mb(unlock_rss)} MB. Masking `cat` of the "
      + ", ".join(f"{k}: {mb(v)} MB" for k, v in mask_rss.items()) + ".")
    mem_values = [v for v in mask_rss.values() if v is not None]
    worst = max([worst] + mem_values)
    checks.append((f"peak memory outside Argon2 < {MEMORY_TARGET_MB:.0f} MB (worst {worst:.1f} MB)", worst < MEMORY_TARGET_MB))
    if len(mem_values) == 2:
        checks.append(("masking memory independent of output size", abs(mem_values[0] - mem_values[1]) < 2.0))
    w("")
    w(f"### Masking throughput ({size_mb:.0f} MB log, 100 secret values, median of {2 if args.quick else 5})")
    w("")
    w("| pipeline | median s | MB/s | vs `cat \\| cat` |")
    w("| --- | ---: | ---: | ---: |")
    base = masking["cat | cat"]
    for name, v in masking.items():
        rate = None if v is None else size_mb / v
        ratio = "–" if v is None or base is None else f"{base / v:.0%}"
        w(f"| `{name}` | {'–' if v is None else f'{v:.2f}'} | {'–' if rate is None else f'{rate:.0f}'} | {ratio} |")
    w("")
    w(f"Check on a 2 MB log: {mask_check[0]:,} `***` for {mask_check[1]:,} occurrences of the values, "
      f"{mask_check[2]} left unmasked.")
    vm = masking["vault exec --mask -- cat"]
    if vm and base:
        checks.append((f"masking ≥ {MASK_TARGET_RATIO:.0%} of `cat | cat` ({base / vm:.0%})", base / vm >= MASK_TARGET_RATIO))
    w("")
    w("### Unlock")
    w("")
    w(f"`vault unlock` with the default Argon2id parameters ({kdf_text}): median "
      f"{'–' if unlock is None else f'{unlock:.2f} s'}.")
    w("")
    w("### Peers (median ms; max RSS MB)")
    w("")
    w("Peers inject every value of their file; `vault exec -s` injects one secret's 5.")
    w("")
    w("| values in the file | `sops exec-env FILE true` | `dotenvx run -- true` |")
    w("| ---: | ---: | ---: |")
    for n in sorted(peers):
        cells = []
        for peer in ("sops", "dotenvx"):
            v = peers[n].get(peer)
            cells.append("not run" if v is None else ("failed" if v[0] is None else f"{ms(v[0])} ms; {mb(v[1])} MB"))
        w(f"| {n * 5:,} | " + " | ".join(cells) + " |")
    if not peers:
        w("| – | not installed | not installed |")
    w("")
    if missing:
        w("Skipped, not installed: " + "; ".join(missing) + ".")
        w("")
    w("### Targets")
    w("")
    for name, ok in checks:
        w(f"- {name}: {verdict(ok)}")
    return "\n".join(out)


def write_results(path, report):
    block = f"{BEGIN}\n{report}\n{END}"
    if path.exists():
        text = path.read_text()
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            tail = rest.split(END, 1)[1]
            path.write_text(head + block + tail)
            return
        path.write_text(text.rstrip() + "\n\n" + block + "\n")
        return
    path.write_text(f"# Benchmark results\n\n{block}\n")


if __name__ == "__main__":
    main()
