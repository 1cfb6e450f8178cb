"""Audit benchmark: a synthetic 10k-role get-account-authorization-details snapshot audited by
`iamfence audit` (time, peak memory) and scanned by cloudsplaining's `scan` on the same file in the
same run, each in its own process (wall time and peak RSS from wait4), with the ratio."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import ACCOUNT, synthetic_account

ROLES = 10_000
POLICIES = 500
BOUNDARY = f"arn:aws:iam::{ACCOUNT}:policy/DevBoundary"


def _run(cmd: list[str], cwd: str, ok: tuple[int, ...] = (0, 2)) -> tuple[float, float, int]:
    """(seconds, peak RSS in MiB, exit code) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in ok:
        print(f"   {cmd[0]} failed ({proc.returncode}): {err[-500:]}")
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        snapshot = Path(tmp) / "account.json"
        snapshot.write_text(json.dumps(synthetic_account(ROLES, POLICIES, 7, BOUNDARY)))
        size_mb = snapshot.stat().st_size / 1e6
        print(f"snapshot: {ROLES} roles, {POLICIES} policies, {size_mb:.1f} MB")
        ours = [
            str(bin_dir / "iamfence"),
            "audit",
            "--snapshot",
            str(snapshot),
            "--boundary-arn",
            BOUNDARY,
            "--no-history",
            "--no-drift",
            "--format",
            "json",
            "-o",
            str(Path(tmp) / "audit.json"),
        ]
        t_ours, m_ours, code = _run(ours, tmp)
        findings = (
            len(json.loads((Path(tmp) / "audit.json").read_text())["findings"])
            if code in (0, 2)
            else -1
        )
        print(
            f"iamfence audit:       {t_ours:7.2f} s  peak {m_ours:7.1f} MiB  ({findings} findings, exit {code})"
        )
        with_history = [
            *ours[:-6],
            "--db",
            str(Path(tmp) / "h.sqlite3"),
            "--format",
            "html",
            "-o",
            str(Path(tmp) / "r.html"),
        ]
        t_hist, m_hist, _ = _run(with_history, tmp)
        print(f"  + history + drift + html: {t_hist:7.2f} s  peak {m_hist:7.1f} MiB")
        splain = shutil.which("cloudsplaining", path=str(bin_dir)) or shutil.which("cloudsplaining")
        if splain is None:
            print("cloudsplaining not installed (pip install cloudsplaining): no ratio")
            return
        # Same content; cloudsplaining's schema rejects the paging keys the AWS CLI writes.
        plain = Path(tmp) / "account-cs.json"
        data = json.loads(snapshot.read_text())
        data.pop("IsTruncated", None)
        data.pop("Marker", None)
        plain.write_text(json.dumps(data))
        (Path(tmp) / "cs").mkdir()
        theirs = [splain, "scan", "--input-file", str(plain), "--output", str(Path(tmp) / "cs")]
        theirs.append("--skip-open-report")
        t_theirs, m_theirs, code = _run(theirs, tmp, ok=(0,))
        print(f"cloudsplaining scan:  {t_theirs:7.2f} s  peak {m_theirs:7.1f} MiB  (exit {code})")
        print(
            f"ratio (cloudsplaining / iamfence): time {t_theirs / t_ours:.1f}x, memory {m_theirs / m_ours:.1f}x"
        )


if __name__ == "__main__":
    main()
