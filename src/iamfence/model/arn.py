"""Amazon Resource Names (IAM User Guide, "IAM identifiers"; AWS General Reference, "Amazon
Resource Names (ARNs)"): arn:partition:service:region:account-id:resource."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @staticmethod
    def parse(text: str) -> Arn | None:
        """Split an ARN into its six parts; None when `text` is not an ARN. The resource part may
        itself contain ':' and '/'."""
        parts = text.split(":", 5)
        if len(parts) != 6 or parts[0] != "arn" or not parts[1] or not parts[2]:
            return None
        return Arn(parts[1], parts[2], parts[3], parts[4], parts[5])

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"

    @property
    def resource_type(self) -> str:
        """The part of the resource before the first '/' or ':' (e.g. "role" in "role/path/name")."""
        for i, ch in enumerate(self.resource):
            if ch in "/:":
                return self.resource[:i]
        return self.resource
