"""Catalog figures: load time (cold process, one service, all services, from a snapshot) and
expansion of a permissions boundary with 200 action patterns; plus effective permissions of that
boundary under `*` (engine-decided)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable

COLD = """
import time
t0 = time.perf_counter()
from iamfence.catalog import load_catalog
cat = load_catalog()
t1 = time.perf_counter()
cat.service_actions("s3")
t2 = time.perf_counter()
n = len(cat.expand("*"))
t3 = time.perf_counter()
print(f"{(t1 - t0) * 1000:.1f} {(t2 - t1) * 1000:.1f} {(t3 - t2) * 1000:.1f} {n}")
"""


def _best(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000


def boundary_patterns(n: int = 200) -> tuple[str, ...]:
    """200 realistic patterns: Get*/List*/Describe* for many services plus exact actions."""
    from iamfence.catalog import load_catalog

    cat = load_catalog()
    out: list[str] = []
    for service in cat.services():
        for verb in ("Get*", "List*", "Describe*"):
            if len(out) < n * 3 // 4:
                out.append(f"{service}:{verb}")
    for action in cat.service_actions("s3") + cat.service_actions("ec2"):
        if len(out) >= n:
            break
        out.append(action.full_name)
    return tuple(out[:n])


def _cold() -> None:
    runs = []
    for _ in range(3):
        line = subprocess.run(
            [sys.executable, "-c", COLD], capture_output=True, text=True, check=True
        ).stdout.split()
        runs.append(tuple(float(x) for x in line[:3]))
    med = [statistics.median(r[i] for r in runs) for i in range(3)]
    print(f"cold process: import + load_catalog {med[0]:.1f} ms (metadata and service list)")
    print(f"cold process: first service (s3) {med[1]:.1f} ms")
    print(f"cold process: all services (expand '*', {line[3]} actions) {med[2]:.1f} ms")


def main() -> None:
    from iamfence.catalog import Catalog, load_catalog

    _cold()
    warm = load_catalog()
    warm.expand("*")
    data = warm.snapshot_bytes()
    print(f"snapshot: {len(data)} bytes gzipped; encode {_best(warm.snapshot_bytes, 3):.0f} ms")
    print(
        "snapshot load + all services: "
        f"{_best(lambda: Catalog.from_snapshot(data).expand('*'), 3):.0f} ms"
    )
    patterns = boundary_patterns()
    fresh_ms = _best(lambda: load_catalog().expand_all(patterns), 3)
    warm_ms = _best(lambda: warm.expand_all(patterns))
    expanded = len(warm.expand_all(patterns))
    print(
        f"boundary with {len(patterns)} patterns -> {expanded} actions: "
        f"{warm_ms:.1f} ms warm catalog, {fresh_ms:.0f} ms with a new Catalog value"
    )
    _effective(warm, patterns)


def _effective(catalog: object, patterns: tuple[str, ...]) -> None:
    from iamfence.analysis.effective import effective_permissions
    from iamfence.catalog import Catalog
    from iamfence.model import (
        ActionSpec,
        Effect,
        NamedPolicy,
        PolicyDocument,
        PolicyType,
        ResourceSpec,
        Statement,
    )

    assert isinstance(catalog, Catalog)
    boundary = PolicyDocument(
        (Statement(Effect.ALLOW, ActionSpec(patterns), ResourceSpec(("*",))),)
    )
    identity = PolicyDocument((Statement(Effect.ALLOW, ActionSpec(("*",)), ResourceSpec(("*",))),))
    identities = (NamedPolicy("identity", identity),)
    bound = NamedPolicy("boundary", boundary, PolicyType.PERMISSIONS_BOUNDARY)
    t0 = time.perf_counter()
    result = effective_permissions(catalog, identity=identities, permissions_boundary=bound)
    ms = (time.perf_counter() - t0) * 1000
    print(
        f"effective permissions, identity '*' under that boundary: {result.candidates} "
        f"candidates, {len(result.actions)} allowed, {ms:.0f} ms"
    )
    everything = catalog.expand_infos(("*",))
    t0 = time.perf_counter()
    full = effective_permissions(
        catalog, identity=identities, permissions_boundary=bound, actions=everything
    )
    ms = (time.perf_counter() - t0) * 1000
    print(
        f"  same, engine asked about all {full.candidates} actions: {len(full.actions)} allowed, "
        f"{ms:.0f} ms ({ms * 1000 / max(full.candidates, 1):.0f} us per action)"
    )


if __name__ == "__main__":
    main()
