"""Symbolic prover figures: the whole escalation property suite on each built-in profile's design
(target < 2 s each), and a semantic diff of two 20-statement boundaries (target < 3 s)."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

from iamfence.boundary import build_design, load_spec, profile_names, profile_text
from iamfence.catalog import load_catalog
from iamfence.model import NamedPolicy, PolicyType
from iamfence.parse import load_policy
from iamfence.symbolic import escalation_properties, prove_properties, subject_from_design
from iamfence.symbolic.diff import diff_policies
from iamfence.symbolic.types import Direction

GOOD = Path(__file__).resolve().parent.parent / "tests" / "symbolic" / "data" / "good-boundary.json"
SERVICES = ("sqs", "sns", "events", "states", "kms", "secretsmanager", "ssm", "cloudwatch", "xray")


def twenty_statement_boundary() -> dict[str, Any]:
    doc = json.loads(GOOD.read_text())
    for service in SERVICES:
        doc["Statement"].append(
            {
                "Sid": f"Allow{service.title().replace('-', '')}",
                "Effect": "Allow",
                "Action": [f"{service}:Get*", f"{service}:List*", f"{service}:Describe*"],
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}
                },
            }
        )
    assert len(doc["Statement"]) == 20
    return doc


def bench_profiles() -> None:
    catalog = load_catalog()
    for name in profile_names():
        design = build_design(load_spec(profile_text(name, account_id="111122223333")), catalog)
        properties = escalation_properties(subject_from_design(design))
        started = time.perf_counter()
        report = prove_properties(properties)
        seconds = time.perf_counter() - started
        verdict = report.verdict.value
        status = "ok" if seconds < 2.0 else "OVER TARGET"
        print(
            f"prove {name:16} {len(properties)} properties {verdict:8} {seconds:6.2f} s  (target < 2 s: {status})"
        )


def bench_diff() -> None:
    catalog = load_catalog()
    old = twenty_statement_boundary()
    new = copy.deepcopy(old)
    new["Statement"][-1]["Action"].append("xray:Put*")
    new["Statement"] = [s for s in new["Statement"] if s["Sid"] != "DenyBoundaryRemoval"]
    new["Statement"].append(
        {"Sid": "Wider", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
    )
    old_policy = NamedPolicy("old", load_policy(old), PolicyType.PERMISSIONS_BOUNDARY)
    new_policy = NamedPolicy("new", load_policy(new), PolicyType.PERMISSIONS_BOUNDARY)
    for service in SERVICES:  # load the catalog's services outside the timing
        catalog.service_actions(service)
    started = time.perf_counter()
    result = diff_policies(old_policy, new_policy, catalog)
    seconds = time.perf_counter() - started
    added = len(result.changes(Direction.ADDED))
    status = "ok" if seconds < 3.0 else "OVER TARGET"
    print(
        f"diff 20-statement boundaries: {result.classes} action classes, {added} newly allowed, "
        f"{seconds:.2f} s  (target < 3 s: {status})"
    )


def main() -> None:
    bench_profiles()
    bench_diff()


if __name__ == "__main__":
    main()
