"""Revision files; Alembic skips this ``__init__`` (it is only here so setuptools packages the folder)."""
