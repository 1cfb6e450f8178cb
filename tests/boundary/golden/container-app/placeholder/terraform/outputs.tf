output "boundary_policy_arn" {
  description = "ARN of the permissions boundary."
  value       = aws_iam_policy.boundary.arn
}

output "developer_policy_arn" {
  description = "ARN of the developer policy."
  value       = aws_iam_policy.developer.arn
}
