"""Access-level normalisation (rule in catalog/levels.py)."""

from __future__ import annotations

import pytest

from iamfence.catalog import AccessLevel, normalise_access_level, parse_level_option

_P, _T, _W, _R, _L = (
    AccessLevel.PERMISSIONS_MANAGEMENT,
    AccessLevel.TAGGING,
    AccessLevel.WRITE,
    AccessLevel.READ,
    AccessLevel.LIST,
)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("List", _L),
        ("Read", _R),
        ("Write", _W),
        ("Tagging", _T),
        ("Permissions management", _P),
        ("Permissions management, Write", _P),
        ("Write, Permissions management", _P),
        ("Tagging, Write", _T),
        ("Read, List", _R),
        ("  write ", _W),
        ("Unknown", None),
        ("", None),
    ],
)
def test_normalise(text: str, level: AccessLevel | None) -> None:
    assert normalise_access_level(text) is level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("read", _R),
        ("permissions-management", _P),
        ("Permissions management", _P),
        ("PERMISSIONS_MANAGEMENT", _P),
        ("tagging", _T),
        ("admin", None),
    ],
)
def test_level_option(text: str, level: AccessLevel | None) -> None:
    assert parse_level_option(text) is level
