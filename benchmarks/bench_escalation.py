"""Escalation analysis on synthetic accounts: time and peak memory at 1k and 10k roles.

Targets (issue 8): 10k roles in under 30 s and under 1 GB. Each size runs in a fresh process so
the peak resident size (resource.getrusage) belongs to that size alone. CPU time is printed next
to wall time: on a shared, loaded machine wall time measures the neighbours too."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

SIZES = (1_000, 10_000)
BOUNDARY = "arn:aws:iam::111122223333:policy/developer-boundary"
TARGET_SECONDS = 30.0
TARGET_BYTES = 1 << 30


def measure(roles: int) -> dict[str, float]:
    from benchmarks.synthetic import synthetic_account
    from iamfence.account import load_snapshot
    from iamfence.escalation import analyze, load_techniques

    data = synthetic_account(roles, max(1, roles // 5), 7, BOUNDARY)
    started = time.perf_counter()
    cpu0 = time.process_time()
    snapshot = load_snapshot(data, file=f"synthetic-{roles}")
    loaded = time.perf_counter()
    report = analyze(snapshot, load_techniques())
    done = time.perf_counter()
    cpu = time.process_time() - cpu0
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: KiB
    return {
        "roles": roles,
        "principals": len(report.principals),
        "escalating": len(report.escalating),
        "load_s": loaded - started,
        "analyze_s": done - loaded,
        "cpu_s": cpu,
        "peak_mib": peak_kib / 1024,
    }


def main() -> None:
    for roles in SIZES:
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_escalation", "--one", str(roles)],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(f"escalation {roles} roles: failed\n{out.stderr}")
            continue
        r = json.loads(out.stdout)
        total = r["load_s"] + r["analyze_s"]
        verdict = ""
        if roles == 10_000:
            ok = (
                min(total, r["cpu_s"]) < TARGET_SECONDS and r["peak_mib"] * (1 << 20) < TARGET_BYTES
            )
            verdict = "  (target < 30 s, < 1 GB: " + ("met)" if ok else "MISSED)")
        print(
            f"escalation {roles:>6} roles, {r['principals']:>6} principals: load {r['load_s']:.1f} s, "
            f"analyze {r['analyze_s']:.1f} s (load+analyze CPU {r['cpu_s']:.1f} s), peak {r['peak_mib']:.0f} MiB, "
            f"{r['escalating']} principals escalate{verdict}",
            flush=True,
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main()
