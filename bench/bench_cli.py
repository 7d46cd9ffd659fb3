#!/usr/bin/env python3
"""Benchmark: `facet import`, `facet review --accept --all` and `facet export` against the script a data
engineer would write instead (../shared/bench/baseline_import.py: json.load + SQLite + FTS5 + update +
dump), on the same machine, in one run, on the same generated ShareGPT4V file. Prints wall times, peak
memory (max RSS of each process, from wait4) and the ratios ours/theirs.

usage: bench/bench_cli.py [--records N] [--facet PATH] [--work DIR] [--baseline DIR] [--markdown]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(cmd, env=None):
    """Runs cmd, returns (seconds, peak RSS in MiB, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit("benchmark step failed (%d): %s\n%s" % (code, " ".join(cmd), err.decode(errors="replace")))
    return elapsed, usage.ru_maxrss / 1024.0, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=200000)
    ap.add_argument("--facet", default=os.path.join(ROOT, "build", "app", "facet", "facet"))
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "bench-work"))
    ap.add_argument("--baseline", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--markdown", action="store_true", help="print a markdown table for docs/performance.md")
    a = ap.parse_args()

    os.makedirs(a.work, exist_ok=True)
    data = os.path.join(a.work, "scale_%d.json" % a.records)
    if not os.path.exists(data):
        subprocess.check_call([sys.executable, os.path.join(a.baseline, "gen_scale.py"), str(a.records), data])
    size_mb = os.path.getsize(data) / 1e6

    # The script (theirs). It times its own phases; its peak memory is the whole process's.
    base_db = os.path.join(a.work, "baseline.db")
    base_out = os.path.join(a.work, "baseline_out.jsonl")
    _, base_rss, out = run([sys.executable, os.path.join(a.baseline, "baseline_import.py"), data, base_db, base_out])
    base = json.loads(out)

    # Ours: three commands, each a fresh process, as a user runs them.
    project = os.path.join(a.work, "bench.facet")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(project + suffix):
            os.remove(project + suffix)
    ours_out = os.path.join(a.work, "facet_out.jsonl")
    t_import, rss_import, _ = run([a.facet, "import", project, data, "--images", a.work, "--json"])
    t_accept, rss_accept, _ = run([a.facet, "review", project, "--accept", "--all", "--json"])
    t_export, rss_export, _ = run([a.facet, "export", project, "-o", ours_out, "--json"])
    ours_rss = max(rss_import, rss_accept, rss_export)

    with open(ours_out, "rb") as f:
        exported = sum(1 for _ in f)
    if exported != a.records:
        sys.exit("facet exported %d records, expected %d" % (exported, a.records))

    rows = [
        ("import", t_import, base["import_s"], 1.0),
        ("review --accept --all", t_accept, base["bulk_accept_s"], 1.0),
        ("export", t_export, base["export_s"], 1.5),
    ]
    result = {
        "records": a.records,
        "file_mb": round(size_mb, 1),
        "cores": os.cpu_count(),
        "steps": [{"step": n, "facet_s": round(o, 3), "script_s": round(s, 3), "ratio": round(o / s, 3),
                   "target": t} for n, o, s, t in rows],
        "peak_rss_mb": {"facet_import": round(rss_import, 1), "facet_review": round(rss_accept, 1),
                        "facet_export": round(rss_export, 1), "script": round(base_rss, 1),
                        "ratio": round(ours_rss / base_rss, 3), "target": 0.5},
    }
    if a.markdown:
        print("| step | facet (s) | script (s) | ratio | target |")
        print("|---|---|---|---|---|")
        for s in result["steps"]:
            ok = "✓" if s["ratio"] <= s["target"] else "✗"
            print("| %s | %.2f | %.2f | %.2f× | ≤ %.1f× %s |" % (s["step"], s["facet_s"], s["script_s"], s["ratio"],
                                                               s["target"], ok))
        m = result["peak_rss_mb"]
        ok = "✓" if m["ratio"] <= m["target"] else "✗"
        print("| peak memory | %.0f MiB | %.0f MiB | %.2f× | ≤ 0.5× %s |" % (
            max(m["facet_import"], m["facet_review"], m["facet_export"]), m["script"], m["ratio"], ok))
    else:
        print(json.dumps(result, indent=2))
    failed = [s for s in result["steps"] if s["ratio"] > s["target"]]
    if failed or result["peak_rss_mb"]["ratio"] > 0.5:
        sys.exit(1)


if __name__ == "__main__":
    main()
