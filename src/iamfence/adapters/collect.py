"""Live collection with boto3: one account (GetAccountAuthorizationDetails with the Role, User and
LocalManagedPolicy filters, every page; each role it reports without the expected boundary or with
another is confirmed with GetRole) or an Organization (ListAccounts, AssumeRole into each account
with bounded concurrency). Throttling is retried with capped exponential backoff and full jitter.
Accounts are yielded as they finish, so the caller keeps one account in memory per worker."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from iamfence.account import AccountSnapshot, load_snapshot
from iamfence.errors import InfrastructureError, InvalidInputError

T = TypeVar("T")

# Error codes AWS uses for request throttling (AWS SDKs and Tools Reference Guide, "Retry
# behavior": throttling errors are retried with exponential backoff).
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
        "PriorRequestNotComplete",
        "Rate exceeded",
    }
)
FILTERS = ["Role", "User", "LocalManagedPolicy"]
DEFAULT_CONCURRENCY = 16


@dataclass(frozen=True, slots=True)
class Backoff:
    attempts: int = 8
    base: float = 0.25
    cap: float = 8.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[float, float], float] = random.uniform

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call `fn`, retrying throttling errors; other errors propagate at once."""
        from botocore.exceptions import ClientError

        for attempt in range(self.attempts):
            try:
                return fn(*args, **kwargs)
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                if code not in THROTTLING_CODES or attempt == self.attempts - 1:
                    raise
                self.sleep(self.jitter(0, min(self.cap, self.base * 2**attempt)))
        raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class Connection:
    """How to reach AWS: a profile and region, or an endpoint (a moto server in tests)."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None

    def session(self) -> Any:
        import boto3
        from botocore.exceptions import BotoCoreError

        try:
            return boto3.Session(profile_name=self.profile, region_name=self.region or "us-east-1")
        except BotoCoreError as exc:  # e.g. ProfileNotFound: one line, never a traceback
            raise InfrastructureError(f"AWS session: {exc}") from None

    def client(self, session: Any, service: str) -> Any:
        from botocore.config import Config

        # One retry layer (Backoff), so that the number of attempts is ours to state.
        config = Config(
            retries={"total_max_attempts": 1, "mode": "standard"}, max_pool_connections=4
        )
        return session.client(service, endpoint_url=self.endpoint_url, config=config)


def authorization_pages(iam: Any, backoff: Backoff) -> list[dict[str, Any]]:
    """Every page of GetAccountAuthorizationDetails (Marker/IsTruncated), as returned."""
    pages: list[dict[str, Any]] = []
    marker: str | None = None
    while True:
        args: dict[str, Any] = {"Filter": FILTERS, "MaxItems": 1000}
        if marker:
            args["Marker"] = marker
        page = backoff.call(iam.get_account_authorization_details, **args)
        page.pop("ResponseMetadata", None)
        _fill_policy_names(page)
        pages.append(page)
        if not page.get("IsTruncated"):
            return pages
        marker = page.get("Marker")
        if not marker:
            raise InfrastructureError(
                "GetAccountAuthorizationDetails: IsTruncated without a Marker"
            )


def _fill_policy_names(page: dict[str, Any]) -> None:
    """AWS always sends PolicyName; some emulators (moto 5) omit it: take it from the ARN."""
    for policy in page.get("Policies", []):
        if (
            isinstance(policy, dict)
            and "PolicyName" not in policy
            and isinstance(policy.get("Arn"), str)
        ):
            policy["PolicyName"] = policy["Arn"].rsplit("/", 1)[-1]


_KEEP_ROLE = ("Arn", "RoleName", "RoleId", "Path", "CreateDate", "PermissionsBoundary", "Tags")
_KEEP_USER = ("Arn", "UserName", "UserId", "Path", "CreateDate", "PermissionsBoundary", "Tags")
_PAGE_KEYS = ("IsTruncated", "Marker")


def account_of_pages(pages: list[dict[str, Any]]) -> str:
    """The account id of the first ARN in the pages ("" when there is none)."""
    for page in pages:
        if not isinstance(page, dict):  # the snapshot loader reports it (IF510)
            continue
        for key in ("RoleDetailList", "UserDetailList", "Policies"):
            items = page.get(key)
            for item in items if isinstance(items, list) else []:
                arn = item.get("Arn") if isinstance(item, dict) else None
                if (
                    isinstance(arn, str)
                    and arn.count(":") >= 5
                    and arn.split(":")[4] not in ("", "aws")
                ):
                    return arn.split(":")[4]
    return ""


def audit_view(pages: list[dict[str, Any]], expected: str) -> tuple[list[dict[str, Any]], int]:
    """What the audit reads of get-account-authorization-details pages: each role's and user's
    identity and permissions boundary, and the expected boundary policy with its versions. Trust,
    inline and other managed policies are left out (never parsed), which keeps a 10k-role account
    cheap. Returns the pages and the number of customer managed policies the account holds."""
    out: list[dict[str, Any]] = []
    policies = 0
    for page in pages:
        if not isinstance(page, dict):
            out.append(page)
            continue
        view: dict[str, Any] = {k: page[k] for k in _PAGE_KEYS if k in page}
        for key, keep in (("RoleDetailList", _KEEP_ROLE), ("UserDetailList", _KEEP_USER)):
            if key in page:
                items = page[key]
                view[key] = (
                    [{k: i[k] for k in keep if k in i} if isinstance(i, dict) else i for i in items]
                    if isinstance(items, list)
                    else items
                )
        if "Policies" in page:
            items = page["Policies"]
            if isinstance(items, list):
                policies += sum(
                    1
                    for p in items
                    if isinstance(p, dict) and ":aws:policy/" not in str(p.get("Arn"))
                )
                view["Policies"] = [
                    p for p in items if isinstance(p, dict) and p.get("Arn") == expected
                ]
            else:
                view["Policies"] = items
        out.append(view)
    return out, policies


def _boundary_of(entity: dict[str, Any]) -> str | None:
    value = entity.get("PermissionsBoundary")
    return value.get("PermissionsBoundaryArn") if isinstance(value, dict) else None


def confirm_roles(iam: Any, pages: list[dict[str, Any]], expected: str, backoff: Backoff) -> int:
    """GetRole for every role reported without `expected` as its boundary, replacing what the
    listing said by what GetRole says (a role deleted meanwhile is dropped). Returns the number of
    GetRole calls."""
    from botocore.exceptions import ClientError

    calls = 0
    for page in pages:
        kept = []
        for role in page.get("RoleDetailList", []):
            if _boundary_of(role) == expected:
                kept.append(role)
                continue
            calls += 1
            try:
                current = backoff.call(iam.get_role, RoleName=role["RoleName"])["Role"]
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") == "NoSuchEntity":
                    continue
                raise
            role.pop("PermissionsBoundary", None)
            if "PermissionsBoundary" in current:
                role["PermissionsBoundary"] = current["PermissionsBoundary"]
            kept.append(role)
        if "RoleDetailList" in page:
            page["RoleDetailList"] = kept
    return calls


def collect_account(
    session: Any,
    connection: Connection,
    expected_for: Callable[[str], str],
    backoff: Backoff = Backoff(),
) -> AccountSnapshot:
    """One account's snapshot, from the credentials in `session`."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        account = backoff.call(connection.client(session, "sts").get_caller_identity)["Account"]
        iam = connection.client(session, "iam")
        pages = authorization_pages(iam, backoff)
        confirm_roles(iam, pages, expected_for(account), backoff)
    except (BotoCoreError, ClientError) as exc:
        raise InfrastructureError(f"collecting IAM data: {exc}") from exc
    view, _ = audit_view(pages, expected_for(account))
    snapshot = load_snapshot(view, file=f"live:{account}")
    return snapshot if snapshot.account_id else replace(snapshot, account_id=account)


@dataclass(frozen=True, slots=True)
class OrgAccount:
    account_id: str
    name: str
    status: str


@dataclass(frozen=True, slots=True)
class Collected:
    """One account's outcome: a snapshot, or the reason it could not be audited."""

    account: OrgAccount
    snapshot: AccountSnapshot | None
    reason: str = ""


def caller_account(connection: Connection, backoff: Backoff = Backoff()) -> str:
    """The account of the caller's credentials (the Organization's management account when run
    from there): audited with those credentials, as the audit role usually exists only in members."""
    from botocore.exceptions import BotoCoreError, ClientError

    session = connection.session()
    try:
        return str(backoff.call(connection.client(session, "sts").get_caller_identity)["Account"])
    except (BotoCoreError, ClientError) as exc:
        raise InfrastructureError(f"STS GetCallerIdentity: {exc}") from exc


def list_accounts(
    session: Any, connection: Connection, backoff: Backoff = Backoff()
) -> list[OrgAccount]:
    from botocore.exceptions import BotoCoreError, ClientError

    org = connection.client(session, "organizations")
    out: list[OrgAccount] = []
    token: str | None = None
    try:
        while True:
            page = backoff.call(org.list_accounts, **({"NextToken": token} if token else {}))
            out.extend(
                OrgAccount(a["Id"], a.get("Name", ""), a.get("Status", ""))
                for a in page["Accounts"]
            )
            token = page.get("NextToken")
            if not token:
                return out
    except (BotoCoreError, ClientError) as exc:
        raise InfrastructureError(f"Organizations ListAccounts: {exc}") from exc


def assume_role(session: Any, connection: Connection, role_arn: str, backoff: Backoff) -> Any:
    """A session with the credentials of `role_arn` (STS AssumeRole)."""
    import boto3

    sts = connection.client(session, "sts")
    creds = backoff.call(sts.assume_role, RoleArn=role_arn, RoleSessionName="iamfence-audit")[
        "Credentials"
    ]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=session.region_name,
    )


Assume = Callable[[Any, Connection, str, Backoff], Any]


def _audit_one(
    account: OrgAccount,
    connection: Connection,
    *,
    audit_role: str,
    partition: str,
    expected_for: Callable[[str], str],
    backoff: Backoff,
    assume: Assume,
    own_account: str = "",
) -> Collected:
    from botocore.exceptions import BotoCoreError, ClientError

    if account.status and account.status != "ACTIVE":
        return Collected(account, None, f"account status is {account.status}")
    role_arn = f"arn:{partition}:iam::{account.account_id}:role/{audit_role}"
    try:
        if account.account_id == own_account:
            session = connection.session()  # the caller's own account: its own credentials
        else:
            session = assume(connection.session(), connection, role_arn, backoff)
    except (BotoCoreError, ClientError) as exc:
        return Collected(account, None, f"cannot assume {role_arn}: {exc}")
    try:
        snapshot = collect_account(session, connection, expected_for, backoff)
    except (InfrastructureError, InvalidInputError) as exc:
        return Collected(account, None, str(exc))
    if snapshot.account_id != account.account_id:
        reason = f"credentials of {role_arn} reached account {snapshot.account_id}"
        return Collected(account, None, reason)
    return Collected(account, snapshot)


def collect_organization(
    connection: Connection,
    audit_role: str,
    expected_for: Callable[[str], str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    backoff: Backoff = Backoff(),
    partition: str = "aws",
    assume: Assume = assume_role,
    accounts: list[OrgAccount] | None = None,
    own_account: str = "",
) -> Iterator[Collected]:
    """Every account of the Organization, at most `concurrency` at a time, yielded as each
    finishes (never more than `concurrency` snapshots are held). An account that cannot be
    audited is yielded with its reason, never skipped."""
    if accounts is None:
        accounts = list_accounts(connection.session(), connection, backoff)
        own_account = own_account or caller_account(connection, backoff)
    pending: set[Future[Collected]] = set()
    queue = iter(accounts)
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        while True:
            for account in queue:
                pending.add(
                    pool.submit(
                        _audit_one,
                        account,
                        connection,
                        audit_role=audit_role,
                        partition=partition,
                        expected_for=expected_for,
                        backoff=backoff,
                        assume=assume,
                        own_account=own_account,
                    )
                )
                if len(pending) >= concurrency:
                    break
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def put_role_boundary(
    session: Any,
    connection: Connection,
    role_name: str,
    boundary_arn: str,
    backoff: Backoff = Backoff(),
) -> None:
    """PutRolePermissionsBoundary (raises botocore's ClientError on failure)."""
    iam = connection.client(session, "iam")
    backoff.call(
        iam.put_role_permissions_boundary, RoleName=role_name, PermissionsBoundary=boundary_arn
    )
