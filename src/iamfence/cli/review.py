"""`iamfence review`: one report for a pull request: lint, the semantic diff against the base, the
test battery and the proofs (docs/review.md).

    iamfence review SPEC --base REF     the spec as committed at REF vs the working tree
    iamfence review OLD NEW             two specs, or two policy JSON files (told apart by content)

Exit codes: 0 clean; 2 a lint error, a failed test or a violated property (or new access with
--fail-on-new-access); 4 an undecided property and nothing worse; 3 invalid input; 1 tool failure.
New access alone is reported for the reviewer, not failed."""

from __future__ import annotations

import enum
import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from iamfence.cli.common import Exit, fail_invalid, read_bytes, write_text
from iamfence.diagnostics import Diagnostic, Location, Severity

if TYPE_CHECKING:
    from iamfence.catalog import Catalog
    from iamfence.model import BoundaryDesign, PolicyDocument, Statement
    from iamfence.parse import ParseResult
    from iamfence.report.review import DocumentDiff, LintedDocument, Review, ReviewVerdict

_ACCOUNT = re.compile(r"^[0-9]{12}$")
_EXIT = {"clean": Exit.OK, "findings": Exit.DENIED, "unknown": Exit.UNKNOWN}


class ReviewFormat(enum.StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"


def _invalid(message: str, file: str = "<command line>") -> Diagnostic:
    return Diagnostic("IF000", Severity.ERROR, message, Location(file))


# ------------------------------------------------------------------------------------ inputs


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except FileNotFoundError:
        from iamfence.errors import InfrastructureError

        raise InfrastructureError("git is not installed (needed for --base)") from None


def _base_text(spec_path: str, ref: str) -> tuple[str | None, str]:
    """The spec's text at REF (None when it did not exist there) and its path from the repo root:
    `git show REF:<path>`."""
    if ref.startswith("-") or not ref.strip():
        fail_invalid([_invalid(f"--base: {ref!r} is not a git ref")])
    path = Path(spec_path).resolve()
    top = _git(path.parent, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        fail_invalid([_invalid("--base needs the spec inside a git work tree", spec_path)])
    rel = path.relative_to(Path(top.stdout.decode().strip()).resolve()).as_posix()
    if _git(path.parent, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode:
        fail_invalid([_invalid(f"--base: unknown git ref {ref!r}")])
    if _git(path.parent, "cat-file", "-e", f"{ref}:{rel}").returncode:
        return None, rel
    shown = _git(path.parent, "show", f"{ref}:{rel}")
    if shown.returncode != 0:
        from iamfence.errors import InfrastructureError

        raise InfrastructureError(f"git show {ref}:{rel}: {shown.stderr.decode().strip()}")
    return shown.stdout.decode("utf-8", errors="replace"), rel


def _old_design(text: str, name: str, account_id: str) -> tuple[BoundaryDesign | None, str]:
    """The base design, in the same account as the new one; (None, why) when the base spec does
    not build (the review then has no base: that is reported, it is not the change's fault)."""
    from iamfence.boundary import build_design, load_spec
    from iamfence.catalog import load_catalog
    from iamfence.errors import InvalidInputError

    try:
        spec = load_spec(text, name)
        if spec.account_id is None:
            spec = spec.with_account_id(account_id)
        return build_design(spec, load_catalog()), ""
    except InvalidInputError as exc:
        first = exc.diagnostics[0] if exc.diagnostics else str(exc)
        return None, f"the base spec {name} does not build ({first}): reviewed as new"


def _is_policy(data: bytes) -> bool:
    """A JSON object with a Statement (any case) is a policy document; anything else a spec."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return False
    return isinstance(value, dict) and any(str(k).lower() == "statement" for k in value)


# -------------------------------------------------------------------------------------- lint


def _lint_text(
    text: str | bytes, label: str, file: str, kind: object, catalog: Catalog, *, counted: bool
) -> tuple[LintedDocument, ParseResult]:
    from iamfence.lint import lint_policy
    from iamfence.parse import parse_policy
    from iamfence.report.review import LintedDocument

    parsed = parse_policy(text, kind=kind, file=file)  # type: ignore[arg-type]  # PolicyType | None
    found = parsed.diagnostics
    if parsed.document is not None:
        found += lint_policy(
            parsed.document,
            kind=parsed.kind,
            file=file,
            catalog=catalog,
            source_map=parsed.source_map,
        )
    return LintedDocument(label, found, counted), parsed


def _lint_design(design: BoundaryDesign, catalog: Catalog) -> tuple[LintedDocument, ...]:
    """The generated documents, linted as `iamfence build` writes them (so lines match)."""
    from iamfence.boundary import policy_json
    from iamfence.model import PolicyType

    return tuple(
        _lint_text(policy_json(doc), f"{label} ({file})", file, kind, catalog, counted=True)[0]
        for label, file, doc, kind in (
            (
                "boundary policy",
                "boundary.json",
                design.boundary_policy,
                PolicyType.PERMISSIONS_BOUNDARY,
            ),
            (
                "developer policy",
                "developer-policy.json",
                design.developer_policy,
                PolicyType.IDENTITY,
            ),
        )
    )


# -------------------------------------------------------------------------------------- diff


def _applicable(document: PolicyDocument, action: str) -> Counter[Statement]:
    """The statements whose Action/NotAction element matches `action`, with the action element and
    the Sid (neither affects a decision once the action matches) blanked."""
    from iamfence.model import ActionSpec
    from iamfence.symbolic.patterns import glob_match

    matched = ActionSpec(("<matches>",))
    found: Counter[Statement] = Counter()
    for s in document.statements:
        if s.action is None:
            found[replace(s, sid=None)] += 1
            continue
        hit = any(
            glob_match(p.strip().lower(), action.lower(), ignore_case=True)
            for p in s.action.patterns
        )
        if hit is not s.action.negated:
            found[replace(s, action=matched, sid=None)] += 1
    return found


def _diff(
    label: str,
    old: PolicyDocument | None,
    new: PolicyDocument,
    catalog: Catalog,
    principal: str,
    timeout: float,
) -> DocumentDiff:
    """What NEW allows that OLD does not and the reverse, per action class (symbolic/diff.py).

    Fast path, sound: every action of a class matches the same patterns, so when the statements
    that apply to the class's representative are equal on both sides (Sid and the action element
    aside, same Version), every request for the class is decided the same way: HOLDS in both
    directions without a solver query. Other classes get one `differs` query per direction."""
    from iamfence.model import NamedPolicy, PolicyType
    from iamfence.report.review import DiffStatus, DocumentDiff
    from iamfence.symbolic import DiffEntry, DiffResult, Direction, Verdict, differs
    from iamfence.symbolic.diff import action_classes, action_patterns

    if old is None:
        return DocumentDiff(label, DiffStatus.NEW)
    if old == new:
        return DocumentDiff(label, DiffStatus.IDENTICAL)
    from iamfence.engine.types import PolicySet

    before = NamedPolicy(f"{label} (base)", old, PolicyType.IDENTITY)
    after = NamedPolicy(label, new, PolicyType.IDENTITY)
    account = principal.split(":")[4]
    old_set = PolicySet(identity=(before,), resource_account=account)
    new_set = PolicySet(identity=(after,), resource_account=account)
    classes = action_classes(action_patterns((before, after)), catalog)
    entries: list[DiffEntry] = []
    identical = 0
    for action_class in classes:
        action = action_class.representative
        if old.version == new.version and _applicable(old, action) == _applicable(new, action):
            identical += 1
            entries += [
                DiffEntry(d, action_class, Verdict.HOLDS, None, None, 0.0) for d in Direction
            ]
            continue
        for direction, more, less in (
            (Direction.ADDED, new_set, old_set),
            (Direction.REMOVED, old_set, new_set),
        ):
            r = differs(more, less, principal, action, timeout=timeout)
            entries.append(
                DiffEntry(direction, action_class, r.verdict, r.counterexample, r.reason, r.seconds)
            )
    result = DiffResult(before.name, after.name, tuple(entries), len(classes))
    return DocumentDiff(label, DiffStatus.COMPARED, result, identical)


# ------------------------------------------------------------------------------------ review


def _verdict(review: Review, fail_on_new_access: bool) -> ReviewVerdict:
    from iamfence.report.review import ReviewVerdict, counts

    c = counts(review)
    if c.lint_errors or c.tests_failed or c.violated or (fail_on_new_access and c.new_access):
        return ReviewVerdict.FINDINGS
    if c.unknown or (fail_on_new_access and c.new_access_unknown):
        return ReviewVerdict.UNKNOWN
    return ReviewVerdict.CLEAN


def _review_designs(
    subject: str,
    base: str,
    new: BoundaryDesign,
    old: BoundaryDesign | None,
    timeout: float,
    notes: tuple[str, ...],
) -> Review:
    from iamfence.catalog import load_catalog
    from iamfence.report.review import Review, ReviewVerdict
    from iamfence.symbolic import escalation_properties, prove_properties, subject_from_design
    from iamfence.testing import DesignNames, design_tests, generate_battery, run_local

    catalog = load_catalog()
    principal = f"arn:{new.partition}:iam::{new.account_id}:role/iamfence-review"
    print("iamfence review: lint, diff, tests, proofs", file=sys.stderr)
    diffs = tuple(
        _diff(
            label,
            getattr(old, attr) if old else None,
            getattr(new, attr),
            catalog,
            principal,
            timeout,
        )
        for label, attr in (
            ("boundary policy", "boundary_policy"),
            ("developer policy", "developer_policy"),
        )
    )
    names = DesignNames(new, (new.allowed_regions or ("us-east-1",))[0])
    tests = run_local(new, generate_battery(new, catalog) + design_tests(new, names))
    proofs = prove_properties(escalation_properties(subject_from_design(new)), timeout=timeout)
    return Review(
        subject, base, _lint_design(new, catalog), diffs, tests, proofs, ReviewVerdict.CLEAN,
        notes=notes,
    )  # fmt: skip


def _review_specs_at_base(
    spec: str, ref: str, account_id: str | None, timeout: float
) -> tuple[Review, str]:
    """The review and the spec's path from the repository root."""
    from iamfence.cli.design import load_design

    if spec == "-":
        fail_invalid([_invalid("--base needs a spec file, not stdin")])
    new = load_design(spec, account_id)
    text, rel = _base_text(spec, ref)
    old, why = (None, "") if text is None else _old_design(text, f"{ref}:{rel}", new.account_id)
    notes: tuple[str, ...] = ()
    if text is None:
        notes = (f"`{rel}` did not exist at `{ref}`: the spec is new.",)
    notes += (why,) if why else ()
    return _review_designs(spec, ref, new, old, timeout, notes), rel


def _review_spec_files(old: str, new: str, account_id: str | None, timeout: float) -> Review:
    from iamfence.cli.design import load_design

    new_design = load_design(new, account_id)
    text = read_bytes(old).decode("utf-8", errors="replace")
    old_design, why = _old_design(text, old, new_design.account_id)
    return _review_designs(new, old, new_design, old_design, timeout, (why,) if why else ())


def _review_policy_files(
    old: str, new: str, old_data: bytes, new_data: bytes, account_id: str | None, timeout: float
) -> Review:
    from iamfence.catalog import load_catalog
    from iamfence.cli.design import STAND_IN_ACCOUNT
    from iamfence.report.review import Review, ReviewVerdict

    catalog = load_catalog()
    linted_old, parsed_old = _lint_text(old_data, old, old, None, catalog, counted=False)
    linted_new, parsed_new = _lint_text(new_data, new, new, None, catalog, counted=True)
    for parsed in (parsed_old, parsed_new):
        if parsed.document is None:
            fail_invalid([d for d in parsed.diagnostics if d.severity is Severity.ERROR])
    assert parsed_old.document is not None and parsed_new.document is not None
    principal = f"arn:aws:iam::{account_id or STAND_IN_ACCOUNT}:role/iamfence-review"
    diff = _diff(new, parsed_old.document, parsed_new.document, catalog, principal, timeout)
    return Review(new, old, (linted_new, linted_old), (diff,), None, None, ReviewVerdict.CLEAN)


def _mixed_inputs(files: list[str], data: tuple[bytes, bytes], kinds: tuple[bool, bool]) -> None:
    """One file is a policy document and the other is not: a JSON file that fails to parse as a
    policy gets the parser's located diagnostics; anything else one line naming both files."""
    from iamfence.parse import parse_policy

    policy, other = (0, 1) if kinds[0] else (1, 0)
    looks_json = files[other].endswith(".json") or data[other].lstrip()[:1] in (b"{", b"[")
    if looks_json:
        parsed = parse_policy(data[other], file=files[other])
        errors = [d for d in parsed.diagnostics if d.severity is Severity.ERROR]
        if errors:
            fail_invalid(errors)
    message = (
        f"not a policy document, but {files[policy]} is one: OLD and NEW must both be specs "
        "or both be policy documents"
    )
    fail_invalid([_invalid(message, files[other])])


def _sarif_path(path: str) -> str:
    """A repository-relative path for SARIF (relative to the working folder when possible)."""
    p = Path(path)
    if p.is_absolute():
        try:
            return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return p.as_posix()
    return p.as_posix()


def review_command(
    files: list[str] = typer.Argument(..., metavar="SPEC | OLD NEW", help="A spec, or two files."),
    base: str | None = typer.Option(None, "--base", help="Git ref to compare SPEC with."),
    fmt: ReviewFormat = typer.Option(ReviewFormat.MARKDOWN, "--format", help="markdown or json."),
    output: str | None = typer.Option(None, "-o", "--output", help="Report file (default stdout)."),
    sarif: str | None = typer.Option(None, "--sarif", help="Also write SARIF 2.1.0 to this file."),
    account_id: str | None = typer.Option(None, "--account-id", help="Account id for the ARNs."),
    timeout: float = typer.Option(5.0, "--timeout", help="Seconds per solver query."),
    fail_on_new_access: bool = typer.Option(
        False, "--fail-on-new-access", help="Exit 2 when the change grants new access."
    ),
) -> None:
    """Review a change to a boundary spec (or a policy) for a pull request: lint, diff against the
    base, test battery, proofs, as one Markdown report. Exit 0 clean, 2 findings, 4 undecided."""
    from iamfence import __version__
    from iamfence.report.review import (
        render_review_json,
        render_review_markdown,
        render_review_sarif,
    )

    if account_id is not None and not _ACCOUNT.match(account_id):
        fail_invalid([_invalid(f"--account-id: {account_id!r} is not a 12-digit account id")])
    if timeout <= 0:
        fail_invalid([_invalid("--timeout must be a positive number of seconds")])
    generated = True
    if len(files) == 1 and base is not None:
        review, artifact = _review_specs_at_base(files[0], base, account_id, timeout)
    elif len(files) == 2 and base is None:
        old_data, new_data = read_bytes(files[0]), read_bytes(files[1])
        kinds = (_is_policy(old_data), _is_policy(new_data))
        if kinds[0] != kinds[1]:
            _mixed_inputs(files, (old_data, new_data), kinds)
        if kinds[0]:
            review = _review_policy_files(
                files[0], files[1], old_data, new_data, account_id, timeout
            )
            generated = False
        else:
            review = _review_spec_files(files[0], files[1], account_id, timeout)
        artifact = _sarif_path(files[1])
    else:
        fail_invalid([_invalid("give SPEC --base REF, or OLD NEW (two specs or two policies)")])
    review = replace(
        review, verdict=_verdict(review, fail_on_new_access), fail_on_new_access=fail_on_new_access
    )
    match fmt:
        case ReviewFormat.JSON:
            write_text(output, render_review_json(review))
        case ReviewFormat.MARKDOWN:
            write_text(output, render_review_markdown(review))
    if sarif:
        write_text(
            sarif, render_review_sarif(review, artifact, generated=generated, version=__version__)
        )
    raise typer.Exit(_EXIT[review.verdict.value])


def register(app: typer.Typer) -> None:
    app.command("review")(review_command)
