"""Live collection against a moto server (one account, and an Organization of several accounts
audited through an assumed role), throttling retries and GetRole confirmation."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from iamfence.adapters.collect import (
    Backoff,
    Connection,
    OrgAccount,
    assume_role,
    authorization_pages,
    collect_account,
    collect_organization,
    confirm_roles,
)
from iamfence.audit import AuditBuilder, AuditConfig, check_account

BOUNDARY_DOC = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:*", "logs:*"], "Resource": "*"}],
}
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
NO_SLEEP = Backoff(sleep=lambda _s: None)


def populate(iam: Any, account: str) -> None:
    """Roles with, without and with the wrong boundary; a user without one."""
    iam.create_policy(PolicyName="DevBoundary", PolicyDocument=json.dumps(BOUNDARY_DOC))
    iam.create_policy(PolicyName="Other", PolicyDocument=json.dumps(BOUNDARY_DOC))
    good = f"arn:aws:iam::{account}:policy/DevBoundary"
    iam.create_role(RoleName="app-good", AssumeRolePolicyDocument=TRUST, PermissionsBoundary=good)
    iam.create_role(RoleName="app-none", AssumeRolePolicyDocument=TRUST)
    iam.create_role(
        RoleName="app-wrong",
        AssumeRolePolicyDocument=TRUST,
        PermissionsBoundary=f"arn:aws:iam::{account}:policy/Other",
    )
    iam.create_user(UserName="bob")


CONFIG = AuditConfig("arn:aws:iam::${AccountId}:policy/DevBoundary", role_prefix="app-")


@pytest.mark.moto
def test_single_account(moto_server: str) -> None:
    iam = boto3.client("iam", endpoint_url=moto_server, region_name="us-east-1")
    populate(iam, "123456789012")
    conn = Connection(endpoint_url=moto_server)
    snapshot = collect_account(conn.session(), conn, CONFIG.boundary_arn_for, NO_SLEEP)
    assert snapshot.account_id == "123456789012"
    found = sorted(
        (f.code, f.subject_arn.rsplit("/", 1)[1]) for f in check_account(snapshot, CONFIG)
    )
    assert found == [("IF701", "app-none"), ("IF702", "app-wrong"), ("IF703", "bob")]
    boundary = snapshot.policy("arn:aws:iam::123456789012:policy/DevBoundary")
    assert boundary is not None and boundary.document is not None


@pytest.mark.moto
def test_organization(moto_server: str) -> None:
    org = boto3.client("organizations", endpoint_url=moto_server, region_name="us-east-1")
    org.create_organization(FeatureSet="ALL")
    members = [
        org.create_account(Email=f"m{i}@example.com", AccountName=f"member-{i}")[
            "CreateAccountStatus"
        ]["AccountId"]
        for i in range(3)
    ]
    conn = Connection(endpoint_url=moto_server)
    for account in members[:2]:
        session = assume_role(
            conn.session(),
            conn,
            f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
            NO_SLEEP,
        )
        populate(session.client("iam", endpoint_url=moto_server), account)
    broken = members[2]

    def assume(session: Any, connection: Connection, role_arn: str, backoff: Backoff) -> Any:
        if f"::{broken}:" in role_arn:
            raise ClientError(
                {
                    "Error": {
                        "Code": "AccessDenied",
                        "Message": "not authorized to perform sts:AssumeRole",
                    }
                },
                "AssumeRole",
            )
        return assume_role(session, connection, role_arn, backoff)

    seen: list[str] = []
    builder = AuditBuilder(CONFIG, date(2026, 11, 28))
    for item in collect_organization(
        conn,
        "OrganizationAccountAccessRole",
        CONFIG.boundary_arn_for,
        concurrency=2,
        backoff=NO_SLEEP,
        assume=assume,
    ):
        seen.append(item.account.account_id)
        if item.snapshot is None:
            builder.add_unaudited(item.account.account_id, item.reason)
        else:
            builder.add_snapshot(item.snapshot)
    result = builder.build("o1", "t")
    assert sorted(seen) == sorted([*members, "123456789012"])
    by_account: dict[str, set[str]] = {}
    for f in result.findings:
        if not f.muted:
            by_account.setdefault(f.account, set()).add(
                f"{f.code} {f.subject_arn.rsplit('/', 1)[-1]}"
            )
    for account in members[:2]:
        # The audit role itself carries no boundary: a finding too (exempt it by file if wanted).
        assert by_account[account] == {
            "IF701 app-none",
            "IF702 app-wrong",
            "IF703 bob",
            "IF701 OrganizationAccountAccessRole",
        }
    assert by_account[broken] == {f"IF700 arn:aws:iam::{broken}:root"}
    [failed] = [f for f in result.findings if f.code == "IF700"]
    assert "AccessDenied" in str(failed.get("reason"))
    summary = result.summary()
    assert summary["accounts_not_audited"] == 1 and summary["compliant"] is False


def test_suspended_account_is_not_audited() -> None:
    conn = Connection(endpoint_url="http://127.0.0.1:9")
    [item] = list(
        collect_organization(
            conn,
            "Audit",
            CONFIG.boundary_arn_for,
            accounts=[OrgAccount("210987654321", "old", "SUSPENDED")],
        )
    )
    assert item.snapshot is None and "SUSPENDED" in item.reason


def _throttle(stubber: Stubber, method: str, times: int) -> None:
    for _ in range(times):
        stubber.add_client_error(
            method,
            service_error_code="Throttling",
            service_message="Rate exceeded",
            http_status_code=400,
        )


PAGE = {"UserDetailList": [], "GroupDetailList": [], "Policies": []}


def test_throttling_is_retried_with_backoff_and_pages_followed() -> None:
    iam = Connection().client(boto3.Session(region_name="us-east-1"), "iam")
    sleeps: list[float] = []
    backoff = Backoff(attempts=5, base=0.5, sleep=sleeps.append, jitter=lambda lo, hi: hi)
    with Stubber(iam) as stub:
        _throttle(stub, "get_account_authorization_details", 3)
        stub.add_response(
            "get_account_authorization_details",
            {**PAGE, "RoleDetailList": [], "IsTruncated": True, "Marker": "m1"},
            {"Filter": ["Role", "User", "LocalManagedPolicy"], "MaxItems": 1000},
        )
        _throttle(stub, "get_account_authorization_details", 1)
        stub.add_response(
            "get_account_authorization_details",
            {**PAGE, "RoleDetailList": [], "IsTruncated": False},
            {"Filter": ["Role", "User", "LocalManagedPolicy"], "MaxItems": 1000, "Marker": "m1"},
        )
        pages = authorization_pages(iam, backoff)
        stub.assert_no_pending_responses()
    assert len(pages) == 2
    assert sleeps == [0.5, 1.0, 2.0, 0.5]


def test_throttling_gives_up_after_the_attempts() -> None:
    iam = Connection().client(boto3.Session(region_name="us-east-1"), "iam")
    with Stubber(iam) as stub:
        _throttle(stub, "get_account_authorization_details", 3)
        with pytest.raises(ClientError):
            authorization_pages(iam, Backoff(attempts=3, sleep=lambda _s: None))


def test_other_errors_are_not_retried() -> None:
    iam = Connection().client(boto3.Session(region_name="us-east-1"), "iam")
    sleeps: list[float] = []
    with Stubber(iam) as stub:
        stub.add_client_error(
            "get_account_authorization_details", service_error_code="AccessDenied"
        )
        with pytest.raises(ClientError):
            authorization_pages(iam, Backoff(sleep=sleeps.append))
    assert sleeps == []


class _FakeIam:
    """GetRole answers that differ from the listing (the listing was stale)."""

    def __init__(self, roles: dict[str, dict[str, Any] | None]) -> None:
        self.roles = roles
        self.calls: list[str] = []

    def get_role(self, RoleName: str) -> dict[str, Any]:
        self.calls.append(RoleName)
        role = self.roles[RoleName]
        if role is None:
            raise ClientError({"Error": {"Code": "NoSuchEntity", "Message": "gone"}}, "GetRole")
        return {"Role": role}


def test_get_role_confirms_before_a_finding() -> None:
    expected = "arn:aws:iam::1:policy/B"
    pages = [
        {
            "RoleDetailList": [
                {"RoleName": "ok", "PermissionsBoundary": {"PermissionsBoundaryArn": expected}},
                {"RoleName": "stale"},
                {"RoleName": "really-none"},
                {"RoleName": "deleted"},
            ]
        }
    ]
    fake = _FakeIam(
        {
            "stale": {
                "RoleName": "stale",
                "PermissionsBoundary": {"PermissionsBoundaryArn": expected},
            },
            "really-none": {"RoleName": "really-none"},
            "deleted": None,
        }
    )
    assert confirm_roles(fake, pages, expected, NO_SLEEP) == 3
    assert fake.calls == ["stale", "really-none", "deleted"]
    roles = {r["RoleName"]: r.get("PermissionsBoundary") for r in pages[0]["RoleDetailList"]}
    assert roles == {
        "ok": {"PermissionsBoundaryArn": expected},
        "stale": {"PermissionsBoundaryArn": expected},
        "really-none": None,
    }


def test_organization_concurrency_is_bounded_and_every_account_yielded() -> None:
    import threading
    import time

    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def assume(session: Any, connection: Connection, role_arn: str, backoff: Backoff) -> Any:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "AssumeRole")

    accounts = [OrgAccount(f"{100000000000 + i}", f"a{i}", "ACTIVE") for i in range(10)]
    conn = Connection(endpoint_url="http://127.0.0.1:9")
    got = list(
        collect_organization(
            conn, "Audit", CONFIG.boundary_arn_for, concurrency=3, assume=assume, accounts=accounts
        )
    )
    assert sorted(c.account.account_id for c in got) == sorted(a.account_id for a in accounts)
    assert all(c.snapshot is None and "AccessDenied" in c.reason for c in got)
    assert 1 < state["max"] <= 3
