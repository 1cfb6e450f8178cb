"""Names and ARNs the battery uses, derived from a design."""

from __future__ import annotations

import re

from iamfence.model import BoundaryDesign

TEST_ROLE_SUFFIX = "iamfence-test"
OTHER_BOUNDARY = "arn:{partition}:iam::aws:policy/AdministratorAccess"
UNBOUNDED_ROLE = "ops-admin"
DEVELOPER_ROLE = "iamfence-developer"
"""The delegated developer's own role in generated requests (deliberately outside the prefix)."""
_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")


class DesignNames:
    """ARNs and names the battery uses, derived from the design."""

    def __init__(self, design: BoundaryDesign, region: str) -> None:
        self.design = design
        self.partition = design.partition
        self.account = design.account_id
        self.region = region
        path = design.role_path or "/"
        self.role_path = path if path.endswith("/") else path + "/"
        if not self.role_path.startswith("/"):
            self.role_path = "/" + self.role_path
        self.prefix = design.role_prefix

    def role(self, name: str, path: str | None = None) -> str:
        return f"arn:{self.partition}:iam::{self.account}:role{path or self.role_path}{name}"

    def user(self, name: str) -> str:
        return f"arn:{self.partition}:iam::{self.account}:user/{name}"

    @property
    def developer_session(self) -> str:
        return session_arn(self.role(DEVELOPER_ROLE, "/"))

    @property
    def app_session(self) -> str:
        return session_arn(self.role(self.app_role_name))

    @property
    def app_role_name(self) -> str:
        return f"{self.prefix}{TEST_ROLE_SUFFIX}"

    @property
    def other_boundary(self) -> str:
        return OTHER_BOUNDARY.format(partition=self.partition)

    def fill(self, template: str) -> str:
        """A concrete ARN from a catalog ARN template."""

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name == "Partition":
                return self.partition
            if name == "Region":
                return self.region
            if name == "Account":
                return self.account
            return TEST_ROLE_SUFFIX

        return _PLACEHOLDER.sub(one, template)


def session_arn(role_arn: str) -> str:
    """The assumed-role session ARN of a role ARN (the path is not part of a session ARN)."""
    head, _, rest = role_arn.partition(":role/")
    name = rest.rsplit("/", 1)[-1]
    return f"{head.replace(':iam:', ':sts:')}:assumed-role/{name}/iamfence-test"
