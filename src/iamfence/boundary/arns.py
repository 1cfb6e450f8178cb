"""The ARNs and ARN patterns a design is written in terms of.

IAM ARNs have the form arn:PARTITION:iam::ACCOUNT:role/PATH/NAME (IAM User Guide, "IAM identifiers",
section "IAM ARNs"); a path is '/' or '/a/b/' and a name never contains '/'. In a Resource element
'*' matches any characters, '/' included (IAM User Guide, "IAM JSON policy elements: Resource"), so
`role/app-*` also matches `role/app-x/admin` (a role named "admin" at path "/app-x/"). A design
therefore pairs every writable pattern `role<PATH><PREFIX>*` with a Deny on `role<PATH><PREFIX>*/*`:
together they allow exactly the roles at path PATH whose name starts with PREFIX."""

from __future__ import annotations

from dataclasses import dataclass

from iamfence.boundary.spec import PolicyName, Spec


@dataclass(frozen=True, slots=True)
class DesignArns:
    partition: str
    account: str
    path: str
    prefix: str
    boundary: str
    developer: str

    @staticmethod
    def of(spec: Spec) -> DesignArns:
        return DesignArns(
            spec.partition,
            spec.account,
            spec.role_path,
            spec.role_prefix,
            policy_arn(spec, spec.boundary_policy),
            policy_arn(spec, spec.developer_policy),
        )

    def _iam(self, kind: str, tail: str) -> str:
        return f"arn:{self.partition}:iam::{self.account}:{kind}{tail}"

    def _path(self, kind: str) -> str:
        """Roles and users live at the spec's role path; customer managed policies at '/'."""
        return "/" if kind == "policy" else self.path

    def writable(self, kind: str) -> str:
        """`kind` ("role", "policy", "user") resources developers may write: PATH + PREFIX*."""
        return self._iam(kind, f"{self._path(kind)}{self.prefix}*")

    def nested(self, kind: str) -> str:
        """What `writable(kind)` also matches through '/': deeper paths that start with PREFIX."""
        return self._iam(kind, f"{self._path(kind)}{self.prefix}*/*")


def policy_arn(spec: Spec, policy: PolicyName) -> str:
    return f"arn:{spec.partition}:iam::{spec.account}:policy{policy.path}{policy.name}"
