"""audit (see ARCHITECTURE.md)."""
