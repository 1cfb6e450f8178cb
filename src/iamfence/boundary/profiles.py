"""Built-in spec profiles: commented example specs `iamfence init` writes. Each is a complete,
valid spec (tests build every profile)."""

from __future__ import annotations

from dataclasses import dataclass

from iamfence.errors import UsageError


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    summary: str
    services: str
    """The `services:` block (YAML, commented)."""
    pass_role_services: tuple[str, ...]
    tests: str


_HEADER = """\
# iamfence boundary spec ({profile}): {summary}
# Build with:  iamfence build {file} -o out/
# Schema and guards: docs/spec.md
version: iamfence/v1

# The account the policies live in. Leave it out (or null) and the outputs carry a placeholder
# that Terraform (data.aws_caller_identity) and CloudFormation (${{AWS::AccountId}}) fill in.
{account}
partition: aws

# The managed policies iamfence generates. Their names must lie outside the role prefix, so that
# developers can neither create nor replace them.
boundary_policy:
  name: iamfence-boundary
  path: /iamfence/
developer_policy:
  name: iamfence-developer
  path: /iamfence/

# Developers may create and manage only roles (and policies) named <role_prefix>* at <role_path>,
# and only with the boundary attached.
role_prefix: app-
role_path: /

# Service actions are allowed only in these regions (add us-east-1 for global services).
allowed_regions:
  - eu-west-1
  - us-east-1

# Roles may be passed (iam:PassRole) only to these services.
pass_role_services:
{pass_role}

# Tag keys nobody under the boundary may set or remove.
protected_tag_keys:
  - owner
  - cost-center

# The developer carries the boundary too (roles it creates may create bounded roles in turn).
self_propagating: true
# IAM users, groups, access keys and login profiles stay off limits unless this is true.
user_management: false

# Allowed services. access: list, read, write, tagging, permissions-management (catalog access
# levels); allow: extra actions; deny: actions removed and explicitly denied; resources: ARN
# patterns ({{partition}}, {{account}}, {{prefix}} filled in) that limit the resource-level
# actions, e.g. "arn:{{partition}}:lambda:*:{{account}}:function:{{prefix}}*".
services:
{services}
# Extra Deny statements added to both policies, as written.
extra_deny:
  - sid: DenyLeaveOrganization
    actions: [organizations:LeaveOrganization]

# Tests `iamfence test` runs against the design: principal is developer, app-role or an ARN.
tests:
{tests}"""

PROFILES: tuple[Profile, ...] = (
    Profile(
        "serverless-app",
        "Lambda functions with DynamoDB, S3, SQS and logs",
        """\
  - service: lambda
    access: [list, read, write]
  - service: dynamodb
    access: [list, read, write]
    deny: [dynamodb:DeleteBackup]
  - service: s3
    access: [list, read, write]
    deny: [s3:DeleteBucket]
  - service: sqs
    access: [list, read, write]
  - service: logs
    access: [list, read, write]
  - service: cloudwatch
    access: [list, read]
""",
        ("lambda.amazonaws.com",),
        """\
  - name: app reads its objects
    principal: app-role
    action: s3:GetObject
    resource: arn:aws:s3:::app-data/report.csv
    context: {aws:RequestedRegion: eu-west-1}
    expect: allow
  - name: no buckets deleted
    principal: app-role
    action: s3:DeleteBucket
    resource: arn:aws:s3:::app-data
    context: {aws:RequestedRegion: eu-west-1}
    expect: deny
""",
    ),
    Profile(
        "container-app",
        "ECS services with ECR images, load balancers, secrets and logs",
        """\
  - service: ecs
    access: [list, read, write]
  - service: ecr
    access: [list, read, write]
  - service: elasticloadbalancing
    access: [list, read]
  - service: secretsmanager
    access: [list, read]
  - service: logs
    access: [list, read, write]
  - service: s3
    access: [list, read]
""",
        ("ecs-tasks.amazonaws.com", "ecs.amazonaws.com"),
        """\
  - name: developer pushes images
    principal: developer
    action: ecr:PutImage
    resource: arn:aws:ecr:eu-west-1:111122223333:repository/app-web
    context: {aws:RequestedRegion: eu-west-1}
    expect: allow
  - name: no secrets written
    principal: app-role
    action: secretsmanager:PutSecretValue
    resource: arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-db
    context: {aws:RequestedRegion: eu-west-1}
    expect: deny
""",
    ),
    Profile(
        "data-pipeline",
        "Glue jobs and Athena queries over S3, orchestrated by Step Functions",
        """\
  - service: glue
    access: [list, read, write]
    deny: [glue:DeleteDatabase]
  - service: athena
    access: [list, read, write]
  - service: states
    access: [list, read, write]
  - service: s3
    access: [list, read, write]
    deny: [s3:DeleteBucket]
  - service: logs
    access: [list, read]
""",
        ("glue.amazonaws.com", "states.amazonaws.com"),
        """\
  - name: pipeline starts executions
    principal: app-role
    action: states:StartExecution
    resource: arn:aws:states:eu-west-1:111122223333:stateMachine:app-etl
    context: {aws:RequestedRegion: eu-west-1}
    expect: allow
  - name: no databases dropped
    principal: app-role
    action: glue:DeleteDatabase
    resource: arn:aws:glue:eu-west-1:111122223333:database/app
    context: {aws:RequestedRegion: eu-west-1}
    expect: deny
""",
    ),
)


def profile_names() -> tuple[str, ...]:
    return tuple(p.name for p in PROFILES)


def profile(name: str) -> Profile:
    for p in PROFILES:
        if p.name == name:
            return p
    raise UsageError(f"unknown profile {name!r}; known: {', '.join(profile_names())}")


def profile_text(name: str, account_id: str | None = None, file: str = "spec.yaml") -> str:
    """The commented spec of profile `name`, with `account_id` filled in when given."""
    p = profile(name)
    account = (
        f'account_id: "{account_id}"'
        if account_id
        else '# account_id: "123456789012"\naccount_id: null'
    )
    return _HEADER.format(
        profile=p.name,
        summary=p.summary,
        file=file,
        account=account,
        pass_role="\n".join(f"  - {s}" for s in p.pass_role_services),
        services=p.services,
        tests=p.tests,
    )
