"""Data out and back in: exports, imports, evidence bundles and backups (see docs/export.md, docs/backup.md)."""
