import boto3


def test_moto_server_serves_iam(moto_server: str) -> None:
    iam = boto3.client("iam", endpoint_url=moto_server, region_name="us-east-1")
    iam.create_role(RoleName="app-probe", AssumeRolePolicyDocument="{}")
    names = [r["RoleName"] for r in iam.list_roles()["Roles"]]
    assert names == ["app-probe"]
