"""Seed data: the national code lists (always) and the demo city (on an empty database)."""
