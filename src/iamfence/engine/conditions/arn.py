"""ARN operators (IAM UG, Condition operators, "Amazon Resource Name (ARN) condition operators"):
case-sensitive; each of the six colon-delimited parts is compared separately and may hold `*` and
`?`; ArnEquals and ArnLike behave alike. A context value that is not an ARN never matches."""

from __future__ import annotations

import re

from iamfence.engine.conditions.base import Operator, pair
from iamfence.engine.patterns import QMARK, STAR, Part


def _segment_regex(parts: tuple[Part, ...]) -> str:
    out: list[str] = []
    segment = 0
    for part in parts:
        if part == STAR:
            out.append(".*" if segment >= 5 else "[^:]*")
        elif part == QMARK:
            out.append("." if segment >= 5 else "[^:]")
        else:
            assert isinstance(part, str)
            for ch in part:
                if ch == ":" and segment < 5:
                    segment += 1
                out.append(re.escape(ch))
    return "".join(out)


def _prep(parts: tuple[Part, ...]) -> object | None:
    return re.compile(_segment_regex(parts) + r"\Z", re.DOTALL)


def to_arn(text: str) -> object | None:
    pieces = text.split(":", 5)
    return text if len(pieces) == 6 and pieces[0] == "arn" else None


def _like(ctx: object, pol: object) -> bool:
    assert isinstance(pol, re.Pattern) and isinstance(ctx, str)
    return pol.match(ctx) is not None


OPERATORS: tuple[Operator, ...] = (
    *pair("ArnEquals", "ArnNotEquals", _prep, to_arn, _like),
    *pair("ArnLike", "ArnNotLike", _prep, to_arn, _like),
)
