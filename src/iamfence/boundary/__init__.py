"""boundary (see ARCHITECTURE.md)."""
