"""Protection of sensitive content: access levels, redactions, expunging, API tokens (see docs/protection.md)."""
