"""Imports of records that clerks already keep in spreadsheets."""
