#!/usr/bin/env python3
"""pqshift's performance picture: results.json -> RESULTS.md, chart.svg, goals.

Python standard library only. Three uses:

    # regenerate the Markdown and the chart from a results.json alone
    python3 bench/report.py bench/results.json --md bench/RESULTS.md --svg bench/chart.svg

    # (scripts/bench) build results.json from one run's raw files, then render
    python3 bench/report.py --build RAWDIR [--tiny] [--records N] [--skip LIST] \\
        OUT/results.json --md OUT/RESULTS.md --svg OUT/chart.svg

    # (scripts/bench) snapshot criterion's estimates written since a time
    python3 bench/report.py --collect-criterion DIR --since EPOCH -o RAWDIR/rust.json

Every comparison carries `ratio` = pqshift's median time / the peer's median
time (< 1: pqshift is faster) and `speedup` = its inverse. The goals are
evaluated at build time and stored in results.json; rendering prints the
`goals:` block again from the JSON.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
from xml.sax.saxutils import escape

SCHEMA = "pqshift-bench/1"
STAGES = ["rust", "c", "go", "python", "migrate"]

INTERFACES = [
    ("rust", "Rust: facade vs the backend called directly (criterion)"),
    ("c", "C API vs the Rust facade (same operation, same run)"),
    ("go", "Go binding (cgo) vs Go's standard library and a C loop"),
    ("python", "Python binding vs pyca/cryptography (same process)"),
    ("migration", "Migration throughput vs the bound from criterion"),
]
INTERFACE_TITLE = dict(INTERFACES)


# ---------------------------------------------------------------- collecting

def collect_criterion(root, since):
    """Every criterion benchmark under root whose new/estimates.json is not
    older than `since` (seconds since the epoch)."""
    out = []
    for dirpath, _dirs, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "estimates.json" not in files:
            continue
        est_path = os.path.join(dirpath, "estimates.json")
        if os.path.getmtime(est_path) < since - 1:
            continue
        try:
            with open(os.path.join(dirpath, "benchmark.json"), encoding="utf-8") as f:
                bench = json.load(f)
            with open(est_path, encoding="utf-8") as f:
                est = json.load(f)
        except (OSError, ValueError):
            continue
        out.append({
            "group": bench.get("group_id"),
            "function": bench.get("function_id"),
            "value": bench.get("value_str"),
            "full_id": bench.get("full_id"),
            "median_ns": est["median"]["point_estimate"],
            "median_ci_ns": [est["median"]["confidence_interval"]["lower_bound"],
                             est["median"]["confidence_interval"]["upper_bound"]],
            "mean_ns": est["mean"]["point_estimate"],
        })
    out.sort(key=lambda b: natural_key(b["full_id"] or ""))
    return out


def natural_key(text):
    """ml-kem-512 < ml-kem-768 < ml-kem-1024."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def read_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def run_cmd(*cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if r.returncode != 0:
        return None
    return (r.stdout.strip() or r.stderr.strip()).splitlines()[0] if (r.stdout or r.stderr) else None


def machine_info():
    info = {"arch": platform.machine(), "os": platform.system(), "kernel": platform.release(),
            "cores": os.cpu_count()}
    cpuinfo = read_text("/proc/cpuinfo") or ""
    m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    info["cpu"] = m.group(1).strip() if m else platform.processor() or "unknown"
    meminfo = read_text("/proc/meminfo") or ""
    m = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    if m:
        info["memory_mib"] = int(m.group(1)) // 1024
    osrel = read_text("/etc/os-release") or ""
    m = re.search(r'^PRETTY_NAME="?([^"\n]+)"?', osrel, re.M)
    if m:
        info["distribution"] = m.group(1)
    return info


GO_LINE = re.compile(r"^(Benchmark\S+?)(?:-(\d+))?\s+(\d+)\s+([\d.]+) ns/op(.*)$")


def parse_go(text):
    """`go test -bench` output -> {name: {"median_ns", "samples", "bytes_per_op", "allocs_per_op"}}."""
    runs = {}
    for line in text.splitlines():
        m = GO_LINE.match(line.strip())
        if not m:
            continue
        name = m.group(1)[len("Benchmark"):]
        r = runs.setdefault(name, {"ns": [], "b": [], "allocs": []})
        r["ns"].append(float(m.group(4)))
        rest = m.group(5)
        mb = re.search(r"([\d.]+) B/op", rest)
        ma = re.search(r"([\d.]+) allocs/op", rest)
        if mb:
            r["b"].append(float(mb.group(1)))
        if ma:
            r["allocs"].append(float(ma.group(1)))
    out = {}
    for name, r in runs.items():
        out[name] = {"median_ns": statistics.median(r["ns"]), "samples": len(r["ns"]),
                     "bytes_per_op": statistics.median(r["b"]) if r["b"] else None,
                     "allocs_per_op": statistics.median(r["allocs"]) if r["allocs"] else None}
    return out


def measurement(interface, name, median, unit, **extra):
    m = {"interface": interface, "name": name, "median": median, "unit": unit}
    m.update({k: v for k, v in extra.items() if v is not None})
    return m


def comparison(interface, operation, subject, subject_ns, peer, peer_ns, **extra):
    """One operation, pqshift (`subject`) against a peer; `name` is unique."""
    c = {"interface": interface, "name": f"{operation}: {subject} vs {peer}", "operation": operation,
         "subject": subject, "subject_median_ns": subject_ns, "peer": peer, "peer_median_ns": peer_ns,
         "ratio": subject_ns / peer_ns, "speedup": peer_ns / subject_ns}
    c.update({k: v for k, v in extra.items() if v is not None})
    return c


ALG_NAMES = {"ed25519": "Ed25519", "ml-dsa-44": "ML-DSA-44", "ml-dsa-65": "ML-DSA-65",
             "ml-dsa-87": "ML-DSA-87", "ml-kem-512": "ML-KEM-512", "ml-kem-768": "ML-KEM-768",
             "ml-kem-1024": "ML-KEM-1024", "insecure-test-hmac-sha256": "HMAC-SHA-256 placeholder"}
RUST_PEERS = {"liboqs": "liboqs direct (oqs crate)", "pqclean": "PQClean direct (pqcrypto)",
              "rustcrypto": "RustCrypto direct (ml-dsa / ml-kem)",
              "placeholder": "hmac crate direct (same framing)"}
RUST_SUBJECTS = {"facade": "facade (key object)", "facade-policy": "facade (Policy)",
                 "facade-public-key": "facade (PublicKey)"}


def rust_section(benches):
    meas, comps = [], []
    for b in benches:
        meas.append(measurement("rust", b["full_id"], b["median_ns"], "ns",
                                mean_ns=b["mean_ns"], ci_ns=b["median_ci_ns"]))
    benches = sorted(benches, key=lambda b: natural_key(b["full_id"] or ""))
    by_id = {b["full_id"]: b for b in benches}
    # Ed25519 verify: facade vs ed25519-dalek's verify_strict (what the provider calls).
    peer = by_id.get("ed25519-verify/dalek-direct")
    if peer:
        for v in ("facade-public-key", "facade-policy"):
            s = by_id.get(f"ed25519-verify/{v}")
            if s:
                comps.append(comparison("rust", "Ed25519 verify (dalek)", RUST_SUBJECTS[v], s["median_ns"],
                                        "ed25519-dalek verify_strict", peer["median_ns"],
                                        id=s["full_id"], peer_id=peer["full_id"]))
    # pq_facade: <alg>/<provider> groups, function = operation, value = direct | facade | facade-policy.
    for b in benches:
        group, fn, val = b["group"] or "", b["function"], b["value"]
        if "/" not in group or val in (None, "direct"):
            continue
        alg, provider = group.split("/", 1)
        peer = by_id.get(f"{group}/{fn}/direct")
        if not peer or provider not in RUST_PEERS:
            continue
        subject = RUST_SUBJECTS.get(val, val)
        comps.append(comparison(
            "rust", f"{ALG_NAMES.get(alg, alg)} {fn} ({provider})", subject, b["median_ns"],
            RUST_PEERS[provider], peer["median_ns"], id=b["full_id"], peer_id=peer["full_id"]))
    return meas, comps


def c_section(doc):
    meas, comps = [], []
    for op in doc.get("operations", []):
        meas.append(measurement("c", f"C API {op['name']}", op["c_ns"], "ns"))
        meas.append(measurement("c", f"Rust facade {op['name']} (c-baseline)", op["rust_ns"], "ns"))
        comps.append(comparison("c", op["name"], "C API", op["c_ns"], "Rust facade", op["rust_ns"],
                                overhead_ns=op["overhead_ns"]))
    return meas, comps


GO_COMPARISONS = [
    ("Ed25519Sign/pqshift-tagged", "Ed25519Sign/stdlib", "Ed25519 sign, tagged", "crypto/ed25519"),
    ("Ed25519Sign/pqshift-raw", "Ed25519Sign/stdlib", "Ed25519 sign, raw", "crypto/ed25519"),
    ("Ed25519Verify/pqshift-tagged", "Ed25519Verify/stdlib", "Ed25519 verify, tagged", "crypto/ed25519"),
    ("Ed25519Verify/pqshift-raw", "Ed25519Verify/stdlib", "Ed25519 verify, raw", "crypto/ed25519"),
    ("MLKEM768/keygen/pqshift", "MLKEM768/keygen/stdlib", "ML-KEM-768 keygen (from seed)", "crypto/mlkem"),
    ("MLKEM768/encapsulate/pqshift", "MLKEM768/encapsulate/stdlib", "ML-KEM-768 encaps", "crypto/mlkem"),
    ("MLKEM768/decapsulate/pqshift", "MLKEM768/decapsulate/stdlib", "ML-KEM-768 decaps", "crypto/mlkem"),
    ("Ed25519Sign/pqshift-raw", "Ed25519Sign/c-loop-raw", "Ed25519 sign, raw", "C loop (no cgo)"),
    ("Ed25519Verify/pqshift-raw", "Ed25519Verify/c-loop-raw", "Ed25519 verify, raw", "C loop (no cgo)"),
    ("Cgo/sha256-empty/go-cgo", "Cgo/sha256-empty/c-loop", "SHA-256 of 0 bytes, bare cgo call", "C loop (no cgo)"),
    ("Cgo/sha256-empty/SHA256", "Cgo/sha256-empty/c-loop", "SHA-256 of 0 bytes, pqshift.SHA256", "C loop (no cgo)"),
]


def go_section(benches):
    meas, comps = [], []
    for name, b in sorted(benches.items()):
        meas.append(measurement("go", name, b["median_ns"], "ns", samples=b["samples"],
                                bytes_per_op=b["bytes_per_op"], allocs_per_op=b["allocs_per_op"]))
    for subj, peer, label, peer_name in GO_COMPARISONS:
        if subj in benches and peer in benches:
            s, p = benches[subj]["median_ns"], benches[peer]["median_ns"]
            comps.append(comparison("go", label, "pqshift (cgo)", s, peer_name, p,
                                    id=subj, peer_id=peer, overhead_ns=s - p))
    return meas, comps


def python_section(doc):
    meas, comps = [], []
    for op in doc.get("operations", []):
        meas.append(measurement("python", f"pqshift {op['name']}", op["pqshift_ns"], "ns", batch=op.get("batch")))
        meas.append(measurement("python", f"pyca {op['name']}", op["pyca_ns"], "ns", batch=op.get("batch")))
        comps.append(comparison("python", op["name"], "pqshift", op["pqshift_ns"],
                                f"pyca/cryptography {doc.get('cryptography_version', '')}".strip(),
                                op["pyca_ns"]))
    t = doc.get("threads")
    if t:
        meas.append(measurement("python", f"ML-DSA-65 sign x{t['signatures']}: 2 threads speed-up over 1",
                                t["speedup"], "x", one_thread_s=t["one_thread_s"], two_threads_s=t["two_threads_s"]))
    return meas, comps


def migrate_section(doc):
    cores = doc["jobs"]
    meas = [
        measurement("migration", "throughput", doc["records_per_second"], "records/s", records=doc["records"]),
        measurement("migration", f"bound ({cores} cores, from criterion)", doc["bound_records_per_second"], "records/s"),
        measurement("migration", f"efficiency vs the {cores}-core bound", doc["efficiency_percent"], "%"),
        measurement("migration", "peak RSS", doc["peak_rss_mib"], "MiB"),
        measurement("migration", "CPU time per record (user+sys)", doc["cpu_ns_per_record"], "ns"),
        measurement("migration", "elapsed", doc["elapsed_seconds"], "s"),
    ]
    for k, v in doc["cost_ns"].items():
        meas.append(measurement("migration", f"cost per record: {k} (criterion mean)", v, "ns"))
    per_record = cores * 1e9 / doc["records_per_second"]
    bound_per_record = cores * 1e9 / doc["bound_records_per_second"]
    comps = [comparison("migration", f"time per record ({doc['records']} records, {cores} jobs)",
                        "pqshift migrate", per_record, f"{cores}-core bound", bound_per_record,
                        goal_ratio=1 / 0.9)]
    return meas, comps


def find_comp(comps, interface, operation, subject=None):
    for c in comps:
        if c["interface"] == interface and c["operation"] == operation and subject in (None, c["subject"]):
            return c
    return None


def evaluate_goals(comps, go, cdoc, mdoc, stage_status):
    goals = []

    def add(gid, desc, target, status, text, **extra):
        g = {"id": gid, "description": desc, "target": target, "status": status, "text": text}
        g.update(extra)
        goals.append(g)

    def no_data(stage):
        return f"stage {stage} {stage_status.get(stage, 'not run')}"

    for gid, desc, op in [
        ("rust-ed25519-verify", "Rust facade overhead, Ed25519 verify (facade / ed25519-dalek)",
         "Ed25519 verify (dalek)"),
        ("rust-ml-dsa-65-sign", "Rust facade overhead, ML-DSA-65 sign (facade / liboqs)",
         "ML-DSA-65 sign (liboqs)"),
    ]:
        # Every facade entry point (key object, Policy) must meet it: the worst one counts.
        found = [c for c in comps if c["interface"] == "rust" and c["operation"] == op]
        if not found:
            add(gid, desc, "ratio <= 1.02", "no data", no_data("rust"))
            continue
        worst = max(found, key=lambda c: c["ratio"])
        for c in found:
            c["goal_ratio"] = 1.02
        parts = ", ".join(f"{c['subject']} {c['ratio']:.3f}" for c in found)
        add(gid, desc, "ratio <= 1.02", "met" if worst["ratio"] <= 1.02 else "not met",
            f"facade/direct {worst['ratio']:.3f} ({parts}); goal <= 1.02", ratio=worst["ratio"])

    for gid, op, need in [("python-ml-dsa-65-sign", "ML-DSA-65 sign", 5.0),
                          ("python-ml-dsa-65-verify", "ML-DSA-65 verify", 3.0)]:
        desc = f"Python {op}: speed-up over pyca/cryptography (pyca time / pqshift time)"
        c = find_comp(comps, "python", op)
        if not c:
            add(gid, desc, f"speed-up >= {need:g}x", "no data", no_data("python"))
            continue
        c["goal_ratio"] = 1 / need
        add(gid, desc, f"speed-up >= {need:g}x", "met" if c["speedup"] >= need else "not met",
            f"{c['speedup']:.2f}x faster than pyca (time ratio {c['ratio']:.3f}); goal >= {need:g}x",
            ratio=c["speedup"])

    desc = "Go cgo call overhead (no goal stated in bench_test.go or scripts/test-go: information)"
    if go and "Cgo/noop" in go:
        noop = go["Cgo/noop"]["median_ns"]
        text = f"empty cgo call {noop:.1f} ns"
        extra = {"noop_ns": noop}
        if "Cgo/sha256-empty/go-cgo" in go and "Cgo/sha256-empty/c-loop" in go:
            ov = go["Cgo/sha256-empty/go-cgo"]["median_ns"] - go["Cgo/sha256-empty/c-loop"]["median_ns"]
            ratio = go["Cgo/sha256-empty/go-cgo"]["median_ns"] / go["Cgo/sha256-empty/c-loop"]["median_ns"]
            text += f"; pqshift_sha256(0 B) from Go vs from a C loop: +{ov:.1f} ns ({ratio:.2f}x)"
            extra.update(sha256_overhead_ns=ov, ratio=ratio)
        add("go-cgo-overhead", desc, "information", "info", text, **extra)
    else:
        add("go-cgo-overhead", desc, "information", "no data", no_data("go"))

    desc = "C API call overhead vs the Rust facade (scripts/bench-c), every operation"
    if cdoc and cdoc.get("operations"):
        goal_ns = cdoc.get("goal_overhead_ns", 50)
        ops = cdoc["operations"]
        worst = max(ops, key=lambda o: o["overhead_ns"])
        parts = ", ".join(f"{o['name']} {o['overhead_ns']:+.1f} ns ({o['c_ns'] / o['rust_ns']:.3f}x)" for o in ops)
        add("c-call-overhead", desc, f"overhead <= {goal_ns} ns per call",
            "met" if worst["overhead_ns"] <= goal_ns else "not met",
            f"worst {worst['name']} {worst['overhead_ns']:+.1f} ns; {parts}; goal <= {goal_ns} ns",
            ratio=worst["c_ns"] / worst["rust_ns"], overhead_ns=worst["overhead_ns"])
    else:
        add("c-call-overhead", desc, "overhead <= 50 ns per call", "no data", no_data("c"))

    desc = "Migration throughput vs the bound, and peak RSS (scripts/bench-migrate)"
    if mdoc:
        eff, rss, cores = mdoc["efficiency_percent"], mdoc["peak_rss_mib"], mdoc["jobs"]
        ok = eff >= 90 and rss < 100
        add("migration", desc, f">= 90 % of the {cores}-core bound, peak RSS < 100 MiB",
            "met" if ok else "not met",
            f"{eff:.1f} % of the {cores}-core bound ({mdoc['records_per_second']:.0f} of "
            f"{mdoc['bound_records_per_second']:.0f} records/s, {mdoc['records']} records), "
            f"peak RSS {rss:.1f} MiB; goal >= 90 %, < 100 MiB",
            ratio=eff / 100, peak_rss_mib=rss)
    else:
        add("migration", desc, ">= 90 % of the bound, peak RSS < 100 MiB", "no data", no_data("migrate"))
    return goals


def build(raw, args):
    stages = {}
    for line in (read_text(os.path.join(raw, "stages.txt")) or "").splitlines():
        parts = line.split()
        if len(parts) >= 3:
            stages[parts[0]] = {"name": parts[0], "status": parts[1], "seconds": int(parts[2])}
    stage_status = {k: v["status"] for k, v in stages.items()}

    measurements, comparisons = [], []
    rust = load_json(os.path.join(raw, "rust.json")) or []
    m, c = rust_section(rust)
    measurements += m
    comparisons += c
    cdoc = load_json(os.path.join(raw, "c.json"))
    if cdoc:
        m, c = c_section(cdoc)
        measurements += m
        comparisons += c
    go_text = read_text(os.path.join(raw, "go.txt"))
    go = parse_go(go_text) if go_text else {}
    if go:
        m, c = go_section(go)
        measurements += m
        comparisons += c
    pydoc = load_json(os.path.join(raw, "python.json"))
    if pydoc:
        m, c = python_section(pydoc)
        measurements += m
        comparisons += c
    mdoc = load_json(os.path.join(raw, "migrate.json"))
    if mdoc:
        m, c = migrate_section(mdoc)
        measurements += m
        comparisons += c
    goals = evaluate_goals(comparisons, go, cdoc, mdoc, stage_status)
    if args.tiny:
        # Tiny figures are no measurement: keep what they would say, apart.
        for g in goals:
            if g["status"] != "no data":
                g["tiny_evaluation"], g["status"] = g["status"], "tiny"

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    commit = run_cmd("git", "-C", root, "rev-parse", "HEAD")
    dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=False).stdout.strip()
    go_version = run_cmd("go", "env", "GOVERSION")
    versions = {
        "rustc": run_cmd("rustc", "--version"),
        "cargo": run_cmd("cargo", "--version"),
        "go": go_version,
        "gcc": run_cmd("gcc", "--version"),
        "python": pydoc.get("python_version") if pydoc else platform.python_version(),
        "pyca_cryptography": pydoc.get("cryptography_version") if pydoc else None,
        "pqshift_python": pydoc.get("pqshift_version") if pydoc else None,
    }
    machine = machine_info()
    gocpu = re.search(r"^cpu:\s*(.+)$", go_text or "", re.M)
    if gocpu:
        machine["cpu_go"] = gocpu.group(1).strip()
    machine["load_average_start"] = (read_text(os.path.join(raw, "load-start")) or "").strip() or None
    machine["load_average_end"] = (read_text(os.path.join(raw, "load-end")) or "").strip() or None
    return {
        "schema": SCHEMA,
        "tiny": bool(args.tiny),
        "date": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        "git": {"commit": commit, "dirty": bool(dirty), "modified_files": len(dirty.splitlines()) if dirty else 0},
        "machine": machine,
        "versions": versions,
        "run": {
            "command": args.command,
            "profile": "dev" if args.tiny else "release",
            "records": args.records,
            "skipped": [s for s in (args.skip or "").split(",") if s],
            "stages": [stages.get(s, {"name": s, "status": "not run", "seconds": 0}) for s in STAGES],
            "ratio_definition": "pqshift median time / peer median time (< 1: pqshift is faster); "
                                "speedup = peer / pqshift",
        },
        "measurements": measurements,
        "comparisons": comparisons,
        "goals": goals,
    }


# ---------------------------------------------------------------- rendering

def fmt_ns(ns):
    if ns is None:
        return "-"
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


def fmt_value(m):
    if m["unit"] == "ns":
        return fmt_ns(m["median"])
    v = m["median"]
    if m["unit"] in ("records/s",):
        return f"{v:,.0f} {m['unit']}"
    if m["unit"] == "x":
        return f"{v:.2f}x"
    return f"{v:,.1f} {m['unit']}"


def goal_status_text(doc, g):
    if g["status"] == "tiny" or (doc.get("tiny") and g["status"] in ("met", "not met", "info")):
        return "tiny mode — not a measurement"
    return g["status"]


def goals_block(doc):
    lines = ["goals:" + ("   (TINY MODE — not a measurement)" if doc.get("tiny") else "")]
    for g in doc["goals"]:
        lines.append(f"  {g['id']:<24} {goal_status_text(doc, g)}: {g['text']}")
    return "\n".join(lines)


def md_escape(s):
    return str(s).replace("|", "\\|")


def render_md(doc, svg_name):
    tiny = doc.get("tiny")
    g, mach, ver, run = doc["git"], doc["machine"], doc["versions"], doc["run"]
    out = ["# pqshift performance", ""]
    if tiny:
        out += ["> **TINY MODE — not a measurement.** Every stage ran with minimal time and the",
                "> dev profile, to check that the pipeline works. Goals are not evaluated.", ""]
    commit = (g.get("commit") or "unknown")[:12] + (" (with uncommitted changes)" if g.get("dirty") else "")
    out += [f"Measured {doc['date']} at commit `{commit}` with `{run.get('command') or 'scripts/bench'}` "
            f"({run['profile']}-profile builds). Ratio = pqshift's median time / the peer's (**< 1: pqshift is "
            f"faster**); speed-up = the inverse. Regenerate this page and the chart from the JSON: "
            f"`python3 bench/report.py results.json --md RESULTS.md --svg chart.svg`.", ""]
    out += ["| | |", "|---|---|"]
    mrow = f"{mach.get('cpu', '?')}, {mach.get('cores', '?')} cores, {mach.get('memory_mib', '?')} MiB, " \
           f"{mach.get('distribution') or mach.get('os', '')} (Linux {mach.get('kernel', '')}, {mach.get('arch', '')})"
    out.append(f"| machine | {md_escape(mrow)} |")
    out.append(f"| load average | start {mach.get('load_average_start') or '?'}, end {mach.get('load_average_end') or '?'} |")
    for k in ("rustc", "cargo", "go", "gcc", "python", "pyca_cryptography", "pqshift_python"):
        if ver.get(k):
            out.append(f"| {k.replace('_', ' ')} | {md_escape(ver[k])} |")
    stages = ", ".join(f"{s['name']} {s['status']}" + (f" ({s['seconds']} s)" if s["seconds"] else "")
                       for s in run["stages"])
    out.append(f"| stages | {stages} |")
    if run.get("records"):
        out.append(f"| migration corpus | {run['records']} records |")
    out += ["", f"![ratio vs peer, per comparison]({svg_name})" if svg_name else "", ""]

    out += ["## Goals", "", "| goal | target | status | measured |", "|---|---|---|---|"]
    for goal in doc["goals"]:
        st = goal_status_text(doc, goal)
        st = {"met": "**met**", "not met": "**NOT MET**"}.get(st, st)
        out.append(f"| {md_escape(goal['description'])} | {md_escape(goal['target'])} | {st} | {md_escape(goal['text'])} |")
    out.append("")

    out += ["## Comparisons", ""]
    for iface, title in INTERFACES:
        comps = [c for c in doc["comparisons"] if c["interface"] == iface]
        if not comps:
            continue
        out += [f"### {title}", "", "| operation | pqshift | median | peer | median | ratio | speed-up |",
                "|---|---|---:|---|---:|---:|---:|"]
        for c in comps:
            extra = f" ({c['overhead_ns']:+.1f} ns)" if "overhead_ns" in c and iface in ("c", "go") else ""
            out.append(f"| {md_escape(c['operation'])} | {md_escape(c['subject'])} | {fmt_ns(c['subject_median_ns'])} | "
                       f"{md_escape(c['peer'])} | {fmt_ns(c['peer_median_ns'])} | {c['ratio']:.3f}{extra} | "
                       f"{c['speedup']:.2f}x |")
        out.append("")

    out += ["## All measurements", ""]
    for iface, title in INTERFACES:
        ms = [m for m in doc["measurements"] if m["interface"] == iface]
        if not ms:
            continue
        out += [f"### {iface}", "", "| benchmark | median |", "|---|---:|"]
        for m in ms:
            out.append(f"| {md_escape(m['name'])} | {fmt_value(m)} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


FASTER, PARITY, SLOWER = "#2a9d8f", "#9aa5b1", "#e76f51"
NICE_TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]


def render_svg(doc):
    comps = doc["comparisons"]
    tiny = doc.get("tiny")
    width, label_w, right_w = 1200, 500, 170
    x0, x1 = label_w + 10, width - right_w
    row_h, head_h, top = 20, 30, 112
    values = [c["ratio"] for c in comps] + [c["goal_ratio"] for c in comps if c.get("goal_ratio")] + [1.0]
    lo_v, hi_v = min(values) / 1.15, max(values) * 1.15
    lo = max([t for t in NICE_TICKS if t <= lo_v] or [NICE_TICKS[0]])
    hi = min([t for t in NICE_TICKS if t >= hi_v] or [NICE_TICKS[-1]])
    if hi <= lo:
        hi = lo * 10
    llo, lhi = math.log10(lo), math.log10(hi)

    def xpos(r):
        r = min(max(r, lo), hi)
        return x0 + (math.log10(r) - llo) / (lhi - llo) * (x1 - x0)

    groups = [(iface, title, [c for c in comps if c["interface"] == iface]) for iface, title in INTERFACES]
    groups = [g for g in groups if g[2]]
    height = top + sum(head_h + row_h * len(g[2]) for g in groups) + 60
    s = []
    s.append(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">')
    s.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>')
    title = "pqshift: median time relative to each peer (log scale; < 1 = pqshift faster)"
    s.append(f'<text x="12" y="24" font-size="17" font-weight="bold">{escape(title)}</text>')
    commit = (doc["git"].get("commit") or "unknown")[:12] + ("+dirty" if doc["git"].get("dirty") else "")
    mach = doc["machine"]
    sub = f"{doc['date']} · commit {commit} · {mach.get('cpu', '?')}, {mach.get('cores', '?')} cores · " \
          f"{doc['run']['profile']}-profile builds"
    missing = [f"{st['name']} ({st['status']})" for st in doc["run"]["stages"] if st["status"] != "ok"]
    if missing:
        sub += " · not in this chart: " + ", ".join(missing)
    s.append(f'<text x="12" y="44" fill="#444">{escape(sub)}</text>')
    if tiny:
        s.append('<text x="12" y="64" fill="#c0392b" font-weight="bold">TINY MODE — NOT A MEASUREMENT '
                 '(minimal iterations, dev builds)</text>')
    # legend
    ly = 64 if not tiny else 84
    lx = 12
    for color, text in [(FASTER, "pqshift faster"), (PARITY, "within 2 %"), (SLOWER, "pqshift slower")]:
        s.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="10" fill="{color}"/>'
                 f'<text x="{lx + 16}" y="{ly}">{text}</text>')
        lx += 130
    s.append(f'<line x1="{lx}" y1="{ly - 11}" x2="{lx}" y2="{ly + 1}" stroke="#000" stroke-width="2"/>'
             f'<text x="{lx + 6}" y="{ly}">goal: the bar must end left of it</text>')
    plot_top, plot_bottom = top, height - 50
    ticks = [t for t in NICE_TICKS if lo <= t <= hi]
    for t in ticks:
        x = xpos(t)
        s.append(f'<line x1="{x:.1f}" y1="{plot_top}" x2="{x:.1f}" y2="{plot_bottom}" stroke="#e3e3e3"/>')
        lab = f"{t:g}x"
        s.append(f'<text x="{x:.1f}" y="{plot_bottom + 16}" text-anchor="middle" fill="#444">{lab}</text>')
        s.append(f'<text x="{x:.1f}" y="{plot_top - 4}" text-anchor="middle" fill="#444">{lab}</text>')
    s.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{plot_bottom + 36}" text-anchor="middle" fill="#222">'
             f'pqshift median time / peer median time  (← pqshift faster · pqshift slower →)</text>')
    y = plot_top
    for iface, title, cs in groups:
        s.append(f'<rect x="0" y="{y + 4}" width="{width}" height="{head_h - 8}" fill="#f2f4f7"/>')
        s.append(f'<text x="12" y="{y + head_h / 2 + 4:.0f}" font-weight="bold">{escape(title)}</text>')
        y += head_h
        for c in cs:
            cy = y + row_h / 2
            label = c["name"]
            if len(label) > 78:
                label = label[:77] + "…"
            s.append(f'<text x="{label_w}" y="{cy + 4:.1f}" text-anchor="end">{escape(label)}</text>')
            r = c["ratio"]
            xa, xb = sorted((xpos(1.0), xpos(r)))
            color = PARITY if abs(r - 1) <= 0.02 else FASTER if r < 1 else SLOWER
            tip = (f"{c['name']}: {c['subject']} {fmt_ns(c['subject_median_ns'])}, {c['peer']} "
                   f"{fmt_ns(c['peer_median_ns'])}, ratio {r:.3f}, speed-up {c['speedup']:.2f}x")
            s.append(f'<rect x="{xa:.1f}" y="{y + 4}" width="{max(xb - xa, 1.5):.1f}" height="{row_h - 8}" '
                     f'fill="{color}"><title>{escape(tip)}</title></rect>')
            if c.get("goal_ratio"):
                gx = xpos(c["goal_ratio"])
                s.append(f'<line x1="{gx:.1f}" y1="{y + 1}" x2="{gx:.1f}" y2="{y + row_h - 1}" stroke="#000" '
                         f'stroke-width="2"><title>goal: ratio {c["goal_ratio"]:.3f}</title></line>')
            clipped = "" if lo <= r <= hi else ("◀" if r < lo else "▶")
            how = "same" if abs(r - 1) < 0.005 else f"{c['speedup']:.2f}x faster" if r < 1 else f"{r:.2f}x slower"
            s.append(f'<text x="{x1 + 8}" y="{cy + 4:.1f}" fill="#222">{r:.3f}{clipped}</text>')
            s.append(f'<text x="{x1 + 58}" y="{cy + 4:.1f}" fill="#666">({how})</text>')
            y += row_h
    x = xpos(1.0)
    s.append(f'<line x1="{x:.1f}" y1="{plot_top}" x2="{x:.1f}" y2="{plot_bottom}" stroke="#222" stroke-width="1.5"/>')
    if tiny:
        s.append(f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" font-size="64" '
                 f'fill="#c0392b" fill-opacity="0.12" transform="rotate(-20 {width / 2:.0f} {height / 2:.0f})">'
                 f'TINY — NOT A MEASUREMENT</text>')
    s.append("</svg>")
    return "\n".join(s) + "\n"


def write(path, text):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n".join(__doc__.splitlines()[2:]))
    p.add_argument("results", nargs="?", help="results.json: read it (or, with --build, write it)")
    p.add_argument("--md", metavar="FILE", help="write the Markdown report")
    p.add_argument("--svg", metavar="FILE", help="write the chart")
    p.add_argument("--quiet", action="store_true", help="do not print the goals block")
    p.add_argument("--build", metavar="RAWDIR", help="first build results.json from the raw files of a run")
    p.add_argument("--tiny", action="store_true", help="(--build) mark the results tiny: not a measurement")
    p.add_argument("--records", type=int, help="(--build) migration corpus size")
    p.add_argument("--skip", default="", help="(--build) the stages skipped, comma-separated")
    p.add_argument("--command", default="", help="(--build) the command line, for the record")
    p.add_argument("--collect-criterion", metavar="DIR", help="snapshot criterion's estimates under DIR")
    p.add_argument("--since", type=float, default=0, help="(--collect-criterion) only those written since EPOCH")
    p.add_argument("-o", "--output", help="(--collect-criterion) the snapshot file")
    args = p.parse_args()

    if args.collect_criterion:
        if not args.output:
            p.error("--collect-criterion needs -o FILE")
        benches = collect_criterion(args.collect_criterion, args.since)
        write(args.output, json.dumps(benches, indent=1) + "\n")
        print(f"criterion: {len(benches)} benchmarks from {args.collect_criterion}")
        return 0 if benches else 1
    if not args.results:
        p.error("results.json is required")
    if args.build:
        doc = build(args.build, args)
        write(args.results, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        doc = load_json(args.results)
        if not doc or doc.get("schema") != SCHEMA:
            sys.exit(f"error: {args.results} is not a {SCHEMA} results file")
    if args.svg:
        write(args.svg, render_svg(doc))
    if args.md:
        svg_rel = os.path.relpath(os.path.abspath(args.svg), os.path.dirname(os.path.abspath(args.md))) \
            if args.svg else None
        write(args.md, render_md(doc, svg_rel))
    if not args.quiet:
        print(goals_block(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
