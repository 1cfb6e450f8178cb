"""Containment of IAM wildcard patterns (`*` any run of characters, `?` exactly one), used by the
rules that compare statements. `covers(general, specific)` is sound: True only when every string
`specific` matches is also matched by `general`; it may answer False for some containments."""

from __future__ import annotations

import re
from functools import lru_cache

_WILDCARD = re.compile(r"[*?]")


def covers(general: str, specific: str, *, ignore_case: bool = False) -> bool:
    """True when every string matched by `specific` is matched by `general`."""
    if ignore_case:
        general, specific = general.lower(), specific.lower()
    if general in (specific, "*"):
        return True
    head = _WILDCARD.split(general, 1)[0]
    tail = _WILDCARD.split(general)[-1]
    if not specific.startswith(head) or not specific.endswith(tail):
        return False  # a literal prefix or suffix of `general` must be literal in `specific` too
    return _covers(general, specific)


@lru_cache(maxsize=4096)
def _covers(general: str, specific: str) -> bool:
    # reach[j] is True when general[:i] covers specific[:j]; walk general one token at a time.
    reach = [True] + [False] * len(specific)
    for token in general:
        if token == "*":
            seen = False
            for j in range(len(reach)):
                seen = seen or reach[j]
                reach[j] = seen
            continue
        step = [False] * len(reach)
        for j in range(1, len(reach)):
            other = specific[j - 1]
            if token == "?":
                step[j] = reach[j - 1] and other != "*"
            else:
                step[j] = reach[j - 1] and other == token
        reach = step
    return reach[-1]


def covers_all(general: tuple[str, ...], specific: tuple[str, ...], *, ignore_case: bool) -> bool:
    """True when each pattern of `specific` is covered by some pattern of `general`."""
    return all(any(covers(g, s, ignore_case=ignore_case) for g in general) for s in specific)
