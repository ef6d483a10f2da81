"""Maintenance tools run by developers (schema and docs generation)."""
