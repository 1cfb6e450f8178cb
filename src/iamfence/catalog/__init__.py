"""catalog (see ARCHITECTURE.md)."""
