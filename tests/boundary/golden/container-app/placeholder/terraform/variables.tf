variable "create_example_role" {
  description = "Create an example role that carries the boundary."
  type        = bool
  default     = false
}

variable "example_role_name" {
  description = "Name of the example role; must start with the role prefix."
  type        = string
  default     = "app-example"
}
