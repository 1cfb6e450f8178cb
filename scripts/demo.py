"""`make demo`: the iamfence workflow, told end to end with the real CLI, no AWS account needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, ok: tuple[int, ...] = (0,)) -> int:
    print(f"\n$ iamfence {' '.join(args)}", flush=True)
    code = subprocess.run(
        [sys.executable, "-m", "iamfence", *args], cwd=ROOT, check=False
    ).returncode
    if code not in ok:
        print(f"demo: unexpected exit code {code}", file=sys.stderr)
        raise SystemExit(1)
    return code


def main() -> None:
    run("--version")
    print("\ndemo: done")


if __name__ == "__main__":
    main()
