"""Where the parser collects diagnostics, resolving JSON pointers to line:column in the source."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from iamfence.diagnostics import Diagnostic, Location
from iamfence.model.policy import PolicyType
from iamfence.parse.codes import Code
from iamfence.parse.scanner import LineIndex


def resolve(
    index: LineIndex | None,
    values: Mapping[str, int],
    keys: Mapping[str, int],
    pointer: str,
    *,
    at_key: bool = False,
) -> tuple[int, int]:
    """1-based (line, column) of `pointer` (of its key when `at_key`), or of its nearest ancestor
    that has a position; (0, 0) when the source had no text."""
    if index is None:
        return 0, 0
    probe = pointer
    while True:
        offset = keys.get(probe) if at_key else values.get(probe)
        if offset is None and at_key:
            offset = values.get(probe)
        if offset is not None:
            return index.position(offset)
        if not probe:
            return 0, 0
        probe = probe.rsplit("/", 1)[0]


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Where each JSON pointer of a parsed text starts, so later layers (lint) can locate what they
    find. Empty (every position 0:0) when the source was a mapping."""

    index: LineIndex | None = None
    values: Mapping[str, int] = field(default_factory=dict)
    keys: Mapping[str, int] = field(default_factory=dict)

    def __contains__(self, pointer: object) -> bool:
        return pointer in self.values

    def position(self, pointer: str, *, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at `pointer` (of its key when `at_key`), falling
        back to the nearest located ancestor; (0, 0) when unknown."""
        return resolve(self.index, self.values, self.keys, pointer, at_key=at_key)

    def location(self, file: str, pointer: str, *, at_key: bool = False) -> Location:
        line, column = self.position(pointer, at_key=at_key)
        return Location(file, pointer, line, column)


@dataclass(slots=True)
class Sink:
    """Collects diagnostics for one document. `values`/`keys` map pointers to source offsets (empty
    when the source was a mapping, and then every location has line 0)."""

    file: str
    kind: PolicyType
    index: LineIndex | None = None
    values: dict[str, int] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, code: Code, message: str, pointer: str, *, at_key: bool = False) -> None:
        line, column = self.position(pointer, at_key=at_key)
        location = Location(self.file, pointer, line, column)
        self.diagnostics.append(Diagnostic(code.code, code.severity, message, location))

    def add_at_offset(self, code: Code, message: str, pointer: str, offset: int) -> None:
        line, column = self.index.position(offset) if self.index is not None else (0, 0)
        location = Location(self.file, pointer, line, column)
        self.diagnostics.append(Diagnostic(code.code, code.severity, message, location))

    def position(self, pointer: str, *, at_key: bool = False) -> tuple[int, int]:
        return resolve(self.index, self.values, self.keys, pointer, at_key=at_key)

    def source_map(self) -> SourceMap:
        return SourceMap(self.index, self.values, self.keys)
