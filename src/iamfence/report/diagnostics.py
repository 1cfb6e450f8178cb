"""Renderers for diagnostics (parse, lint, any IFxxx): text lines and a JSON list. They return
strings and never decide anything."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from iamfence.diagnostics import Diagnostic, Severity


def diagnostic_line(diagnostic: Diagnostic) -> str:
    """`file:line:col code message [pointer]`; a problem with no known position (the whole
    document, e.g. a file too big to read) is placed at 1:1, where the document starts."""
    location = diagnostic.location
    line, column = (location.line, location.column) if location.line else (1, 1)
    pointer = f" [{location.pointer}]" if location.pointer else ""
    label = "" if diagnostic.severity is Severity.ERROR else f"{diagnostic.severity.value}: "
    return f"{location.file}:{line}:{column} {diagnostic.code} {label}{diagnostic.message}{pointer}"


def render_text(diagnostics: Iterable[Diagnostic]) -> str:
    """One line per diagnostic, in the order given; empty when there are none."""
    return "".join(diagnostic_line(d) + "\n" for d in diagnostics)


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    """A JSON list of diagnostic objects (code, severity, message, file, pointer, line, column)."""
    return json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """`2 errors, 1 warning in 3 files` (a log line, not machine output)."""

    def count(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    return f"{count(errors, 'error')}, {count(warnings, 'warning')} in {count(files, 'file')}"
