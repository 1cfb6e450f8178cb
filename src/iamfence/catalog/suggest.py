""" "Did you mean" for unknown services and actions: the closest catalog names by edit similarity
(difflib ratio, case-insensitive), or None when nothing is close."""

from __future__ import annotations

import difflib

from iamfence.catalog.catalog import Catalog
from iamfence.catalog.patterns import split_action

CUTOFF = 0.75
SHORT_CUTOFF = 0.5
"""Short words (service prefixes like "s4" for "s3") need a looser ratio: one typo in three
letters is already a ratio of 0.67 or less."""


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _closest(word: str, candidates: list[str]) -> str | None:
    """The best candidate by ratio, ties broken by the longer common prefix, then by name."""
    target = word.lower()
    cutoff = SHORT_CUTOFF if len(word) <= 3 else CUTOFF
    scored = []
    for candidate in candidates:
        lower = candidate.lower()
        ratio = difflib.SequenceMatcher(None, target, lower).ratio()
        if ratio >= cutoff:
            scored.append((-ratio, -_common_prefix(target, lower), lower, candidate))
    return min(scored)[3] if scored else None


def suggest_service(catalog: Catalog, service: str) -> str | None:
    return _closest(service, list(catalog.services()))


def suggest_action(catalog: Catalog, action: str) -> str | None:
    """The closest "service:Action" for an unknown action (fixing the service first when the
    service is unknown)."""
    parts = split_action(action)
    if parts is None:
        return None
    service, name = parts
    if not catalog.has_service(service):
        fixed = suggest_service(catalog, service)
        if fixed is None:
            return None
        exact = catalog.action(f"{fixed}:{name}")
        if exact is not None:
            return exact.full_name
        service = fixed
    names = [a.name for a in catalog.service_actions(service)]
    best = _closest(name, names)
    return f"{service.lower()}:{best}" if best else None
