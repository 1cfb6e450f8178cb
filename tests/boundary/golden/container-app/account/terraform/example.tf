# An example of a role a developer creates: the prefix, the path and the boundary.
resource "aws_iam_role" "example" {
  count                = var.create_example_role ? 1 : 0
  name                 = var.example_role_name
  path                 = "/"
  permissions_boundary = aws_iam_policy.boundary.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "lambda.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}
