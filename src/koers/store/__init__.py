"""Studies in a database (SQLite or PostgreSQL): tables, migrations and the repository."""

from koers.store.repository import Repository, StoredStudy, StudySummary

__all__ = ["Repository", "StoredStudy", "StudySummary"]
