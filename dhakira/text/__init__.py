"""Arabic and English text handling shared by extraction and search."""

from dhakira.text.normalise import (
    is_arabic,
    normalise,
    normalised_text,
    script_of,
    stem,
    stemmed_text,
    tokens,
)

__all__ = ["is_arabic", "normalise", "normalised_text", "script_of", "stem", "stemmed_text", "tokens"]
