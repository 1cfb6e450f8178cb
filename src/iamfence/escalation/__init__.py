"""escalation (see ARCHITECTURE.md)."""
