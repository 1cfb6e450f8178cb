"""Diagnostics: problems in user input, as data.

Every diagnostic has a stable code (IF1xx parse, IF2xx lint, IF3xx catalog lint, IF4xx spec,
IF5xx snapshot/account input, IF6xx request/case files), a severity, a message and a location
(file, JSON pointer, line and column). Codes are documented in docs/codes.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file (or "<input>"), a JSON pointer (RFC 6901), and 1-based line/column
    in the source text when the source was text (0 when unknown)."""

    file: str = "<input>"
    pointer: str = ""
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        return where


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    location: Location = Location()

    def __str__(self) -> str:
        pointer = f" [{self.location.pointer}]" if self.location.pointer else ""
        return f"{self.location} {self.code} {self.message}{pointer}"

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.location.file,
            "pointer": self.location.pointer,
            "line": self.location.line,
            "column": self.location.column,
        }


def has_errors(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def json_pointer(*parts: str | int) -> str:
    """Build an RFC 6901 pointer from path parts, escaping '~' and '/'."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
