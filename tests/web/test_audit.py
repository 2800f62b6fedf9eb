from __future__ import annotations

from dhakira_web.archive import audit
from dhakira_web.archive.models import AuditEntry


def test_chain_is_intact_after_appends(db) -> None:
    for number in range(5):
        audit.append("tester", "exported", target=f"batch-{number}", details={"n": number})
    assert audit.verify() == (True, None)


def test_editing_an_entry_breaks_the_chain_there(db) -> None:
    entries = [audit.append("tester", "collected", target=f"item-{n}") for n in range(4)]
    AuditEntry.objects.filter(pk=entries[2].pk).update(actor="someone else")
    assert audit.verify() == (False, entries[2].pk)


def test_deleting_an_entry_breaks_the_chain(db) -> None:
    entries = [audit.append("tester", "collected", target=f"item-{n}") for n in range(4)]
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    assert audit.verify() == (False, entries[2].pk)
