"""Exception tree. Exceptions are for misuse and infrastructure failures; problems in user input are
`Diagnostic` values (see diagnostics.py), never exceptions."""

from __future__ import annotations


class IamfenceError(Exception):
    """Base of every exception iamfence raises on purpose."""


class UsageError(IamfenceError):
    """The library was called wrongly (a bug in the caller, not bad user input)."""


class InvalidInputError(IamfenceError):
    """User input cannot be used; carries the diagnostics that say why (CLI exit code 3)."""

    def __init__(self, diagnostics: tuple[object, ...], message: str | None = None) -> None:
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else None
        super().__init__(message or (str(first) if first is not None else "invalid input"))


class InfrastructureError(IamfenceError):
    """Something outside iamfence failed: AWS, a database, a subprocess (CLI exit code 1)."""


class InternalError(IamfenceError):
    """iamfence contradicted itself, e.g. a symbolic counterexample the engine does not confirm."""
