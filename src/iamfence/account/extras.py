"""Optional inputs next to the snapshot: SCPs by organization level, and compute known to run as
roles (Lambda functions, instances, stacks, ...). Pure: the CLI reads the files.

SCP levels follow AWS Organizations User Guide, "Service control policies": the root, each OU on
the way down, then the account; every level must allow. Compute entries are
`{"kind": "lambda", "arn": "arn:aws:lambda:...:function:f", "role_arn": "arn:aws:iam::...:role/r"}`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from iamfence.account.loader_docs import parse_document
from iamfence.account.model import AccountSnapshot, ComputeResource
from iamfence.diagnostics import Diagnostic, Location, Severity, json_pointer
from iamfence.errors import InvalidInputError
from iamfence.model import Arn, NamedPolicy, PolicyType

COMPUTE_KINDS = frozenset(
    {"lambda", "ec2", "glue", "codebuild", "cloudformation", "sagemaker", "ecs"}
)
BAD_COMPUTE = "IF521"  # a compute entry is malformed
BAD_SCP = "IF522"  # an SCP level is not a policy or a list of policies


def _error(code: str, message: str, file: str, pointer: str) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, Location(file, pointer))


def parse_compute(data: Any, *, file: str) -> tuple[ComputeResource, ...]:
    problems: list[Diagnostic] = []
    out: list[ComputeResource] = []
    if not isinstance(data, list):
        raise InvalidInputError(
            (_error(BAD_COMPUTE, "compute must be a JSON list of objects", file, ""),)
        )
    for i, item in enumerate(data):
        where = json_pointer(i)
        if not isinstance(item, Mapping):
            problems.append(
                _error(BAD_COMPUTE, "each compute entry must be an object", file, where)
            )
            continue
        kind, arn, role = item.get("kind"), item.get("arn"), item.get("role_arn")
        if kind not in COMPUTE_KINDS:
            problems.append(
                _error(
                    BAD_COMPUTE,
                    f"kind must be one of {', '.join(sorted(COMPUTE_KINDS))}",
                    file,
                    where + "/kind",
                )
            )
        if not isinstance(arn, str) or Arn.parse(arn) is None:
            problems.append(_error(BAD_COMPUTE, "arn must be an ARN", file, where + "/arn"))
        if not isinstance(role, str) or ":role/" not in role or Arn.parse(role) is None:
            problems.append(
                _error(BAD_COMPUTE, "role_arn must be an IAM role ARN", file, where + "/role_arn")
            )
        if not problems:
            out.append(ComputeResource(str(kind), str(arn), str(role)))
    if problems:
        raise InvalidInputError(tuple(problems))
    return tuple(out)


def parse_scp_level(data: Any, *, file: str, level: int) -> tuple[NamedPolicy, ...]:
    """One organization level: a policy document, or a list of them."""
    documents = data if isinstance(data, list) else [data]
    out: list[NamedPolicy] = []
    problems: list[Diagnostic] = []
    for i, doc in enumerate(documents):
        pointer = json_pointer(i) if isinstance(data, list) else ""
        if not isinstance(doc, Mapping | str):
            problems.append(_error(BAD_SCP, "an SCP must be a policy document", file, pointer))
            continue
        parsed, diagnostics = parse_document(
            doc, kind=PolicyType.SCP, file=file, pointer=pointer, limit="scp"
        )
        problems.extend(d for d in diagnostics if d.severity is Severity.ERROR)
        if parsed is not None:
            out.append(NamedPolicy(f"{file}#scp-level-{level}[{i}]", parsed, PolicyType.SCP))
    if problems:
        raise InvalidInputError(tuple(problems))
    return tuple(out)


def with_optional_inputs(
    snapshot: AccountSnapshot,
    *,
    scp_levels: Sequence[tuple[NamedPolicy, ...]] = (),
    compute: Sequence[ComputeResource] = (),
) -> AccountSnapshot:
    return replace(snapshot, scp_levels=tuple(scp_levels), compute=(*snapshot.compute, *compute))
