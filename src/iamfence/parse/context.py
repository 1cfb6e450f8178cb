"""Where the parser collects diagnostics, resolving JSON pointers to line:column in the source."""

from __future__ import annotations

from dataclasses import dataclass, field

from iamfence.diagnostics import Diagnostic, Location
from iamfence.model.policy import PolicyType
from iamfence.parse.codes import Code
from iamfence.parse.scanner import LineIndex


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
        if self.index is None:
            return 0, 0
        probe = pointer
        while True:
            offset = self.keys.get(probe) if at_key else self.values.get(probe)
            if offset is None and at_key:
                offset = self.values.get(probe)
            if offset is not None:
                return self.index.position(offset)
            if not probe:
                return 0, 0
            probe = probe.rsplit("/", 1)[0]
