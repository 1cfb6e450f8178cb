"""A deliberately naive reference evaluator for IAM decisions (tests only).

It reads case files in their raw JSON/YAML shape (issue 3 item 7) and transcribes the AWS flow
charts directly, sharing no code with `iamfence.engine` (nor with the parser): see evaluator.py."""

from tests.reference.evaluator import evaluate_case

__all__ = ["evaluate_case"]
