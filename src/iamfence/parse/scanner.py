"""A small JSON scanner (RFC 8259) that remembers where every value and key starts.

It yields plain Python values plus two maps from JSON pointer to character offset (values, and the
keys of object members), so every diagnostic can carry line:column. Unlike `json.loads` it reports
duplicate keys, NaN/Infinity and numbers out of range, and refuses nesting deeper than MAX_DEPTH
before it recurses further. It never raises on any text.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from iamfence.diagnostics import json_pointer
from iamfence.parse import codes
from iamfence.parse.codes import Code

MAX_DEPTH = 100
"""Deepest nesting accepted: the document object itself is level 1."""

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]

_WS = re.compile(r"[ \t\n\r]*")
_PLAIN_STRING = re.compile(r'"([^"\\\x00-\x1f]*)"')
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS: tuple[tuple[str, JsonValue], ...] = (("true", True), ("false", False), ("null", None))
_NON_FINITE: tuple[tuple[str, float], ...] = (
    ("NaN", math.nan),
    ("Infinity", math.inf),
    ("-Infinity", -math.inf),
)


@dataclass(frozen=True, slots=True)
class Problem:
    code: Code
    message: str
    pointer: str
    offset: int


@dataclass(slots=True)
class ScanResult:
    """The scanned value (None when `complete` is False), where each pointer starts, and problems."""

    value: JsonValue
    complete: bool
    values: dict[str, int] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class _Stop(Exception):
    """Internal: a syntax error or too-deep nesting ends the scan (never escapes this module)."""


class LineIndex:
    """Character offset -> 1-based (line, column)."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.result = ScanResult(value=None, complete=False)

    def fail(self, code: Code, message: str, pointer: str, offset: int) -> _Stop:
        self.result.problems.append(Problem(code, message, pointer, offset))
        return _Stop()

    def skip_ws(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        return match.end() if match else pos

    def value(self, pos: int, pointer: str, depth: int) -> tuple[JsonValue, int]:
        pos = self.skip_ws(pos)
        self.result.values[pointer] = pos
        text = self.text
        if pos >= len(text):
            raise self.fail(
                codes.NOT_JSON, "unexpected end of input: a value is missing", pointer, pos
            )
        char = text[pos]
        if char in "{[":
            if depth >= MAX_DEPTH:
                raise self.fail(
                    codes.TOO_DEEP, f"nesting deeper than {MAX_DEPTH} levels", pointer, pos
                )
            if char == "{":
                return self.object(pos, pointer, depth + 1)
            return self.array(pos, pointer, depth + 1)
        if char == '"':
            return self.string(pos, pointer)
        return self.scalar(pos, pointer)

    def string(self, pos: int, pointer: str) -> tuple[str, int]:
        plain = _PLAIN_STRING.match(self.text, pos)
        if plain:
            return plain.group(1), plain.end()
        match = _STRING.match(self.text, pos)
        if not match:
            raise self.fail(codes.NOT_JSON, "unterminated string or invalid escape", pointer, pos)
        decoded: str = json.loads(match.group(0))
        return decoded, match.end()

    def scalar(self, pos: int, pointer: str) -> tuple[JsonValue, int]:
        text = self.text
        for word, constant in _NON_FINITE:
            if text.startswith(word, pos):
                self.result.problems.append(
                    Problem(codes.NON_FINITE, f"{word} is not a JSON number", pointer, pos)
                )
                return constant, pos + len(word)
        for word, literal in _LITERALS:
            if text.startswith(word, pos):
                return literal, pos + len(word)
        match = _NUMBER.match(text, pos)
        if not match:
            shown = text[pos : pos + 12]
            raise self.fail(codes.NOT_JSON, f"unexpected text {shown!r}", pointer, pos)
        literal_text = match.group(0)
        if match.group(1) is None and match.group(2) is None:
            return int(literal_text), match.end()
        number = float(literal_text)
        if math.isinf(number):
            self.result.problems.append(
                Problem(codes.NON_FINITE, f"number {literal_text} is out of range", pointer, pos)
            )
        return number, match.end()

    def object(self, pos: int, pointer: str, depth: int) -> tuple[JsonValue, int]:
        members: dict[str, JsonValue] = {}
        pos = self.skip_ws(pos + 1)
        if self.text.startswith("}", pos):
            return members, pos + 1
        while True:
            pos = self.skip_ws(pos)
            if not self.text.startswith('"', pos):
                raise self.fail(codes.NOT_JSON, "expected a string key", pointer, pos)
            key_pos = pos
            key, pos = self.string(pos, pointer)
            member = pointer + json_pointer(key)
            if key in members:
                self.result.problems.append(
                    Problem(codes.DUPLICATE_KEY, f"duplicate key {key!r}", member, key_pos)
                )
            self.result.keys[member] = key_pos
            pos = self.skip_ws(pos)
            if not self.text.startswith(":", pos):
                raise self.fail(codes.NOT_JSON, f"expected ':' after key {key!r}", member, pos)
            members[key], pos = self.value(pos + 1, member, depth)
            pos = self.skip_ws(pos)
            if self.text.startswith(",", pos):
                pos += 1
                continue
            if self.text.startswith("}", pos):
                return members, pos + 1
            raise self.fail(codes.NOT_JSON, "expected ',' or '}' in an object", pointer, pos)

    def array(self, pos: int, pointer: str, depth: int) -> tuple[JsonValue, int]:
        items: list[JsonValue] = []
        pos = self.skip_ws(pos + 1)
        if self.text.startswith("]", pos):
            return items, pos + 1
        while True:
            item, pos = self.value(pos, f"{pointer}/{len(items)}", depth)
            items.append(item)
            pos = self.skip_ws(pos)
            if self.text.startswith(",", pos):
                pos += 1
                continue
            if self.text.startswith("]", pos):
                return items, pos + 1
            raise self.fail(codes.NOT_JSON, "expected ',' or ']' in an array", pointer, pos)


def scan(text: str) -> ScanResult:
    """Scan one JSON text. `complete` is False after a syntax error or too-deep nesting."""
    scanner = _Scanner(text)
    try:
        value, end = scanner.value(0, "", 0)
        end = scanner.skip_ws(end)
        if end != len(text):
            raise scanner.fail(codes.NOT_JSON, "extra text after the JSON value", "", end)
    except _Stop:
        return scanner.result
    except RecursionError:  # only reachable if the interpreter's stack is tiny
        scanner.result.problems.append(Problem(codes.TOO_DEEP, "nesting too deep", "", 0))
        return scanner.result
    scanner.result.value = value
    scanner.result.complete = True
    return scanner.result
