"""Dhakira: the core library of an archive for documenting human-rights violations.

The core reads documents (``dhakira.ingest``), extracts what they report (``dhakira.extract``) and
links reports of the same incident (``dhakira.link``). It never imports Django: the archive, the web
pages and the JSON API live in ``dhakira_web`` and call these functions.
"""

__version__ = "0.1.0"
