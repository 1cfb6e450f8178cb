"""parse_policy / load_policy / serialization: the API contract other packages rely on."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from iamfence import InvalidInputError, load_policy, parse_policy, policy_to_json
from iamfence.diagnostics import Severity
from iamfence.model import (
    ActionSpec,
    ConditionClause,
    Effect,
    PolicyDocument,
    PolicyType,
    PrincipalEntry,
    PrincipalKind,
    PrincipalSpec,
    ResourceSpec,
    Statement,
)
from iamfence.parse import SizeLimit, policy_to_dict

GOOD = {
    "Version": "2012-10-17",
    "Id": "p1",
    "Statement": [
        {
            "Sid": "Read",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:List*"],
            "Resource": "arn:aws:s3:::bucket/*",
            "Condition": {
                "StringEquals": {"aws:PrincipalTag/team": ["a", "b"]},
                "Bool": {"aws:SecureTransport": True},
                "NumericLessThan": {"s3:max-keys": 10},
            },
        },
        {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "*"},
    ],
}


def test_parses_text_bytes_mapping_and_url_encoded_to_the_same_document() -> None:
    text = json.dumps(GOOD, indent=2)
    results = [
        parse_policy(text),
        parse_policy(text.encode()),
        parse_policy(GOOD),
        parse_policy(quote(json.dumps(GOOD))),
    ]
    assert all(r.ok and r.diagnostics == () for r in results)
    documents = {r.document for r in results}
    assert len(documents) == 1
    doc = results[0].document
    assert doc is not None
    assert doc.id == "p1" and doc.version == "2012-10-17"
    first = doc.statements[0]
    assert first.sid == "Read" and first.effect is Effect.ALLOW
    assert first.action == ActionSpec(("s3:GetObject", "s3:List*"))
    assert first.resource == ResourceSpec(("arn:aws:s3:::bucket/*",))
    assert first.conditions == (
        ConditionClause("StringEquals", "aws:PrincipalTag/team", ("a", "b")),
        ConditionClause("Bool", "aws:SecureTransport", (True,)),
        ConditionClause("NumericLessThan", "s3:max-keys", (10,)),
    )
    assert doc.statements[1] == Statement(
        Effect.DENY, ActionSpec(("iam:*",), negated=True), ResourceSpec(("*",), negated=True)
    )


def test_single_statement_object_is_accepted() -> None:
    doc = load_policy(
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
    )
    assert len(doc.statements) == 1


def test_canonical_serialization_order_and_single_values() -> None:
    doc = load_policy(GOOD)
    canonical = policy_to_dict(doc)
    assert list(canonical) == ["Version", "Id", "Statement"]
    assert list(canonical["Statement"][0]) == ["Sid", "Effect", "Action", "Resource", "Condition"]
    assert canonical["Statement"][0]["Resource"] == "arn:aws:s3:::bucket/*"
    assert canonical["Statement"][0]["Condition"]["Bool"] == {"aws:SecureTransport": True}
    assert canonical["Statement"][1] == {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "*"}
    assert parse_policy(policy_to_json(doc)).document == doc
    assert parse_policy(policy_to_json(doc, indent=2)).document == doc
    assert policy_to_json(doc).startswith(
        '{"Version":"2012-10-17","Id":"p1","Statement":[{"Sid":"Read"'
    )


def test_trust_policy_principals_round_trip() -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {
                    "AWS": ["arn:aws:iam::111122223333:root", "444455556666"],
                    "Service": "ec2.amazonaws.com",
                },
                "Action": "sts:AssumeRole",
            }
        ],
    }
    doc = load_policy(trust, kind=PolicyType.TRUST)
    statement = doc.statements[0]
    assert statement.resource is None
    assert statement.principal == PrincipalSpec(
        (
            PrincipalEntry(PrincipalKind.AWS, "arn:aws:iam::111122223333:root"),
            PrincipalEntry(PrincipalKind.AWS, "444455556666"),
            PrincipalEntry(PrincipalKind.SERVICE, "ec2.amazonaws.com"),
        )
    )
    assert policy_to_dict(doc)["Statement"][0]["Principal"] == trust["Statement"][0]["Principal"]  # type: ignore[index]
    assert parse_policy(policy_to_json(doc), kind=PolicyType.TRUST).document == doc


def test_everyone_principal_is_kept_apart_from_aws_star() -> None:
    base = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    star = load_policy(
        {"Version": "2012-10-17", "Statement": [{**base, "Principal": "*"}]},
        kind=PolicyType.RESOURCE,
    )
    aws_star = load_policy(
        {"Version": "2012-10-17", "Statement": [{**base, "Principal": {"AWS": "*"}}]},
        kind=PolicyType.RESOURCE,
    )
    assert star.statements[0].principal == PrincipalSpec((), everyone=True)
    assert aws_star.statements[0].principal == PrincipalSpec(
        (PrincipalEntry(PrincipalKind.AWS, "*"),)
    )


def test_load_policy_raises_with_located_diagnostics() -> None:
    with pytest.raises(InvalidInputError) as caught:
        load_policy(
            '{"Version": "2012-10-17",\n "Statement": [{"Action": "s3:*", "Resource": "*"}]}',
            file="p.json",
        )
    diagnostics = caught.value.diagnostics
    assert [d.code for d in diagnostics] == ["IF120"]  # type: ignore[attr-defined]
    assert str(diagnostics[0]).startswith("p.json:2:16 IF120")


def test_document_is_none_when_any_error_but_kept_with_warnings() -> None:
    warn_only = parse_policy({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    assert warn_only.ok and warn_only.document is not None and warn_only.document.version is None
    assert [d.code for d in warn_only.diagnostics] == ["IF110"]
    assert warn_only.diagnostics[0].severity is Severity.WARNING
    bad = parse_policy({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*"}]})
    assert not bad.ok and bad.document is None
    assert not bad.input_invalid


def test_input_invalid_flags_non_json() -> None:
    assert parse_policy("{").input_invalid
    assert parse_policy(b"\xc3\x28").input_invalid
    assert not parse_policy("{}").input_invalid


def test_size_limit_option_selects_the_limit() -> None:
    statement = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": [f"arn:aws:s3:::bucket-{i:04d}/*" for i in range(150)],
    }
    doc = {"Version": "2012-10-17", "Statement": [statement]}
    size = len(json.dumps(doc, separators=(",", ":")))
    assert 2048 < size < 6144
    assert parse_policy(doc).ok
    too_big = parse_policy(doc, limit=SizeLimit.USER_INLINE)
    assert [d.code for d in too_big.diagnostics] == ["IF170"]
    assert str(size) in too_big.diagnostics[0].message
    assert [d.code for d in parse_policy(doc, kind=PolicyType.SESSION).diagnostics] == ["IF170"]
    assert parse_policy(doc, limit=SizeLimit.ROLE_INLINE).ok


def test_size_ignores_whitespace() -> None:
    resources = [f"arn:aws:s3:::b{i:03d}/*" for i in range(80)]
    doc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resources}],
    }
    compact = json.dumps(doc, separators=(",", ":"))
    assert len(compact) < 2048 < len(json.dumps(doc, indent=8))
    assert parse_policy(json.dumps(doc, indent=8), limit=SizeLimit.USER_INLINE).ok


def test_model_built_by_hand_serializes() -> None:
    doc = PolicyDocument(
        (Statement(Effect.ALLOW, ActionSpec(("ec2:*",)), ResourceSpec(("*",)), sid="S1"),)
    )
    assert json.loads(policy_to_json(doc)) == {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "S1", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}],
    }


def test_source_map_locates_any_pointer() -> None:
    text = '{"Version": "2012-10-17",\n "Statement": [\n  {"Effect": "Allow", "Action": ["s3:A", "s3:B"], "Resource": "*"}]}'
    result = parse_policy(text, file="m.json")
    assert result.ok
    source = result.source_map
    assert source.position("/Statement/0") == (3, 3)
    assert source.position("/Statement/0/Action/1") == (3, 42)
    assert source.position("/Statement/0/Action", at_key=True) == (3, 23)
    assert source.position("/Statement/0/Condition/Bool") == (3, 3)  # nearest located ancestor
    assert "/Statement/0/Resource" in source and "/Nope" not in source
    location = source.location("m.json", "/Version")
    assert (location.file, location.line, location.column) == ("m.json", 1, 13)
    assert parse_policy(json.loads(text)).source_map.position("/Statement/0") == (0, 0)


def test_kind_none_infers_the_kind_from_the_shape() -> None:
    base = {"Effect": "Allow", "Action": "sts:AssumeRole"}
    trust = {"Version": "2012-10-17", "Statement": [{**base, "Principal": {"AWS": "111122223333"}}]}
    resource = {
        "Version": "2012-10-17",
        "Statement": [{**base, "Principal": "*", "Resource": "arn:aws:iam::111122223333:role/r"}],
    }
    identity = {"Version": "2012-10-17", "Statement": [{**base, "Resource": "*"}]}
    assert parse_policy(trust, kind=None).kind is PolicyType.TRUST
    assert parse_policy(resource, kind=None).kind is PolicyType.RESOURCE
    assert parse_policy(identity, kind=None).kind is PolicyType.IDENTITY
    assert parse_policy(identity, kind=PolicyType.SCP).kind is PolicyType.SCP
    assert parse_policy(trust, kind=None).ok and not parse_policy(trust).ok


def test_mapping_with_non_json_values_and_oversized_text() -> None:
    odd = parse_policy({"Version": "2012-10-17", "Statement": {1: "x"}, "Id": {1, 2}})  # type: ignore[dict-item]
    assert {d.code for d in odd.diagnostics} >= {"IF107"}
    assert odd.input_invalid and odd.document is None
    big = parse_policy('{"Id": "' + "a" * (10 * 1024 * 1024) + '"}')
    assert [d.code for d in big.diagnostics] == ["IF105"] and big.input_invalid
