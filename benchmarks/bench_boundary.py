"""Boundary authoring figures: spec load, design build (catalog warm) and all outputs, per profile;
and the boundary size against the 6,144-character limit."""

from __future__ import annotations

import time

from iamfence.boundary import (
    MANAGED_POLICY_LIMIT,
    build_design,
    design_files,
    load_spec,
    policy_size,
    profile_names,
    profile_text,
)
from iamfence.catalog import load_catalog


def _best(fn: object, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]  # a zero-argument callable
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    catalog = load_catalog()
    for name in profile_names():
        text = profile_text(name, "111122223333")
        spec = load_spec(text, name)
        build_design(spec, catalog)  # warm the catalog's services
        t_load = _best(lambda: load_spec(text, name))  # noqa: B023
        t_build = _best(lambda: build_design(spec, catalog))  # noqa: B023
        design = build_design(spec, catalog)
        t_out = _best(lambda: design_files(design))  # noqa: B023
        size = policy_size(design.boundary_policy)
        print(
            f"{name:15} load {t_load * 1000:6.1f} ms  build {t_build * 1000:6.1f} ms  "
            f"outputs {t_out * 1000:6.1f} ms  boundary {size}/{MANAGED_POLICY_LIMIT} chars"
        )


if __name__ == "__main__":
    main()
