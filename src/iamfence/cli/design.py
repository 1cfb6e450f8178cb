"""Spec file -> design, for every command that reads a boundary spec (test, role-check, prove,
review, audit)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from iamfence.cli.common import read_bytes

if TYPE_CHECKING:
    from iamfence.model import BoundaryDesign

STAND_IN_ACCOUNT = "111122223333"
"""Stands for the account when a spec names none and the run is offline: the policies then name the
account through a placeholder the IaC fills in, and a consistent renaming of the account changes
no decision."""


def load_design(
    spec_path: str, account_id: str | None = None, *, announce: str | None = None
) -> BoundaryDesign:
    """The design of a spec file, with a concrete account id: the given one, the spec's, or
    STAND_IN_ACCOUNT (said on stderr as `iamfence <announce>: ...` when `announce` is given)."""
    from iamfence.boundary import build_design, load_spec
    from iamfence.boundary.codes import NOT_YAML
    from iamfence.catalog import load_catalog
    from iamfence.diagnostics import Location
    from iamfence.errors import InvalidInputError

    data = read_bytes(spec_path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = Location(spec_path)
        message = f"the spec is not UTF-8 text (offset {exc.start})"
        raise InvalidInputError((NOT_YAML.at(where, message),)) from None
    spec = load_spec(text, spec_path)
    if account_id is not None and not (len(account_id) == 12 and account_id.isdigit()):
        message = f"--account-id: {account_id!r} is not a 12-digit account id"
        raise InvalidInputError((), message)
    if account_id is None and spec.account_id is None and announce:
        print(
            f"iamfence {announce}: {spec_path} names no account; using {STAND_IN_ACCOUNT}",
            file=sys.stderr,
        )
    if account_id or spec.account_id is None:
        spec = spec.with_account_id(account_id or spec.account_id or STAND_IN_ACCOUNT)
    return build_design(spec, load_catalog())
