"""Records naming a protected person by a spelling other than the one the person was first met by.

Until migration 0018 a protected person's name was masked in public records by that first name alone, so a
public record naming them in another script or spelling was indexed with it. This finds those records and
indexes them again from what the public may read (``services.reindex``); nothing else of them changes.
"""

from __future__ import annotations

from typing import Any

from dhakira_web.archive.models import Record
from dhakira_web.archive.protection.services import reindex


def reindex_records_naming_protected_spellings(person_model: Any = None) -> int:
    """Index again every record naming a protected person who has more than one spelling; returns how many.

    ``person_model``: the model to read persons through (a migration's historical model), else the current one."""
    from dhakira_web.archive.models import Person

    model = person_model or Person
    protected = [pk for pk, names in model.objects.exclude(access_level="public").values_list("pk", "names")
                 if len(set(names or [])) > 1]
    records = Record.objects.filter(persons__in=protected).distinct().order_by("pk") if protected else Record.objects.none()
    count = 0
    for record in records.iterator(chunk_size=200):
        reindex(record)
        count += 1
    return count
