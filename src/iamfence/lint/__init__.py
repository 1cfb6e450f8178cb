"""lint (see ARCHITECTURE.md)."""
