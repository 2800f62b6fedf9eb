"""Counts computed once and kept until the archive changes: the archive's generation and a cache keyed by it.

See :mod:`dhakira_web.archive.counts.kept`.
"""
