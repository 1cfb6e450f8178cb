"""Analyses built on the engine and the catalog (layer 4): effective permissions."""
