"""BinaryEquals (IAM UG, Condition operators, "Binary condition operators"): base64-encoded
values compared byte for byte; a value that is not base64 never matches."""

from __future__ import annotations

import base64
import binascii

from iamfence.engine.conditions.base import Operator, pair, plain_text
from iamfence.engine.patterns import Part


def to_bytes(text: str) -> object | None:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None


def _prep(parts: tuple[Part, ...]) -> object | None:
    return to_bytes(plain_text(parts))


def _eq(ctx: object, pol: object) -> bool:
    return ctx == pol


OPERATORS: tuple[Operator, ...] = pair("BinaryEquals", None, _prep, to_bytes, _eq)
