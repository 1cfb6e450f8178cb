"""CloudTrail readers: log files as CloudTrail delivers them (.json or .json.gz objects holding a
`Records` array; AWS CloudTrail User Guide, "CloudTrail log file examples"), from a folder or an S3
prefix, or the LookupEvents API (IAM is a global service: its events are recorded in us-east-1).
Each reader yields event records one at a time."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from iamfence.diagnostics import Diagnostic, Location, Severity
from iamfence.errors import InfrastructureError, InvalidInputError

INVALID_TRAIL = "IF791"
IAM_EVENTS_REGION = "us-east-1"


def _bad(file: str, message: str, pointer: str = "") -> InvalidInputError:
    d = Diagnostic(INVALID_TRAIL, Severity.ERROR, message, Location(file, pointer))
    return InvalidInputError((d,))


def records_from_bytes(data: bytes, name: str) -> list[Mapping[str, object]]:
    """The `Records` of one log file; gzip is recognised by its magic number, not the name."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise _bad(name, f"not a readable gzip file: {exc}") from None
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        where = f" at line {exc.lineno} column {exc.colno}"
        raise _bad(name, f"not valid JSON: {exc.msg}{where}") from None
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        reason = "nesting too deep" if isinstance(exc, RecursionError) else str(exc)
        raise _bad(name, f"not valid JSON: {reason}") from None
    records = doc.get("Records") if isinstance(doc, dict) else None
    if not isinstance(records, list):
        raise _bad(name, "not a CloudTrail log file: no 'Records' array", "/Records")
    return [r for r in records if isinstance(r, dict)]


def _is_log(name: str) -> bool:
    return name.endswith((".json", ".json.gz"))


def read_path(path: str) -> Iterator[Mapping[str, object]]:
    """A log file, or every .json / .json.gz file under a folder (sorted, recursively)."""
    root = Path(path)
    if root.is_file():
        files = [root]
    elif root.is_dir():
        files = sorted(p for p in root.rglob("*") if p.is_file() and _is_log(p.name))
        if not files:  # reviewing nothing must not pass as "no suspicious events"
            raise _bad(path, "no CloudTrail log files (.json, .json.gz) under this folder")
    else:
        raise _bad(path, "no such file or folder")
    for file in files:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise _bad(str(file), f"cannot read: {exc.strerror or exc}") from None
        yield from records_from_bytes(data, str(file))


def read_s3(
    url: str, session: Any, endpoint_url: str | None = None
) -> Iterator[Mapping[str, object]]:
    """Every log object under s3://bucket/prefix."""
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    if not bucket:
        raise _bad(url, "expected s3://bucket/prefix")
    s3 = session.client("s3", endpoint_url=endpoint_url)
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                key = obj["Key"]
                if _is_log(key):
                    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
                    yield from records_from_bytes(body, f"s3://{bucket}/{key}")
    except (BotoCoreError, ClientError) as exc:
        raise InfrastructureError(f"reading {url}: {exc}") from exc


def read_lookup(
    session: Any,
    since: datetime | None,
    until: datetime | None,
    endpoint_url: str | None = None,
    client: Any = None,
) -> Iterator[Mapping[str, object]]:
    """LookupEvents for iam.amazonaws.com in us-east-1 (the last 90 days at most); each event's
    `CloudTrailEvent` is the full record."""
    from botocore.exceptions import BotoCoreError, ClientError

    if client is None:
        client = session.client(
            "cloudtrail", region_name=IAM_EVENTS_REGION, endpoint_url=endpoint_url
        )
    args: dict[str, Any] = {
        "LookupAttributes": [{"AttributeKey": "EventSource", "AttributeValue": "iam.amazonaws.com"}]
    }
    if since is not None:
        args["StartTime"] = since
    if until is not None:
        args["EndTime"] = until
    try:
        for page in client.get_paginator("lookup_events").paginate(**args):
            for event in page.get("Events", []):
                raw = event.get("CloudTrailEvent")
                if isinstance(raw, str):
                    record = json.loads(raw)
                    if isinstance(record, dict):
                        yield record
    except (BotoCoreError, ClientError) as exc:
        raise InfrastructureError(f"CloudTrail LookupEvents: {exc}") from exc
