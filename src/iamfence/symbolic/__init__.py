"""symbolic (see ARCHITECTURE.md)."""
