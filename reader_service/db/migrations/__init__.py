"""Alembic migrations of the metadata database (run by Database.upgrade at start-up)."""
