"""Site adapters: rules for one web site or archive, applied after the format reader.

Adding a site = adding one module to this package that defines ``ADAPTER``, an object with

* ``name: str``;
* ``matches(draft: Draft) -> bool`` – does the draft come from this site (URL, markup or text)?
* ``apply(draft: Draft) -> None`` – pull the site's metadata into the draft and drop its boilerplate.

Modules are found automatically (:func:`adapters`); each matching adapter runs once, in name order.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Protocol

from dhakira.ingest.draft import Draft


class SiteAdapter(Protocol):
    """The interface of a site adapter module's ``ADAPTER``."""

    name: str

    def matches(self, draft: Draft) -> bool: ...

    def apply(self, draft: Draft) -> None: ...


@lru_cache(maxsize=1)
def adapters() -> tuple[SiteAdapter, ...]:
    """Every adapter in this package, sorted by name."""
    found: list[SiteAdapter] = []
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        adapter = getattr(module, "ADAPTER", None)
        if adapter is not None:
            found.append(adapter)
    return tuple(sorted(found, key=lambda adapter: adapter.name))


def apply_adapters(draft: Draft) -> None:
    """Run every adapter that matches the draft and record their names in ``draft.adapters``."""
    for adapter in adapters():
        if adapter.matches(draft):
            adapter.apply(draft)
            draft.adapters.append(adapter.name)
