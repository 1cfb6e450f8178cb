"""A managed policy without PolicyName (as moto writes it) takes its name from its ARN."""

from iamfence.account import load_snapshot

DOC = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
}


def test_policy_name_comes_from_the_arn_when_missing() -> None:
    data = {
        "UserDetailList": [],
        "GroupDetailList": [],
        "RoleDetailList": [],
        "Policies": [
            {
                "Arn": "arn:aws:iam::111122223333:policy/team/app-reader",
                "Path": "/team/",
                "DefaultVersionId": "v1",
                "PolicyVersionList": [
                    {"VersionId": "v1", "IsDefaultVersion": True, "Document": DOC}
                ],
            }
        ],
    }
    snapshot = load_snapshot(data, file="s.json")
    (policy,) = snapshot.policies
    assert policy.name == "app-reader" and policy.path == "/team/"


def test_zero_pages_is_not_an_empty_account() -> None:
    import pytest

    from iamfence.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as caught:
        load_snapshot([], file="s.json")
    assert [d.code for d in caught.value.diagnostics] == ["IF520"]  # type: ignore[attr-defined]
