"""Heads: for each frequent index token, the records where it weighs most, kept in impact order.

Ranking every match of a common word ("prison", "المعتقلين": a third of an archive) costs one score per
match, whatever the page size. Search therefore runs in two phases when a query matches many records:
the heads of the query's tokens name the candidates (the records where those tokens weigh most), and
the backend's own ranking (FTS5 bm25, PostgreSQL ts_rank) orders the candidates that really match.
Queries matching few records are ranked in full; no head is needed there.

A token's *impact* in a record is its BM25 term-frequency part with a fixed reference length (so that
it never changes once written), weighted as FTS5 ranks (``ranking_weights``): title words count four
times, knowledge-base keys twice. On PostgreSQL the impact is what ``ts_rank`` gives the token alone
(``ts_rank_impact``), so that a head holds the records the database ranks first. A token gets
a head once ``HEAD_SIZE`` records hold it; the head keeps the ``head_depth`` records of highest impact:
``HEAD_SIZE``, or one in ``DEPTH_SHARE`` of the token's records when that is more. A query ranks the first
``HEAD_SIZE`` of a head; one narrowed by filters walks further down it (``filtered_candidates``), so that a
narrow filter still leaves enough candidates however large the archive grows.
``record_indexed`` keeps counts and heads in step as records are indexed; ``rebuild`` redoes them all.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import Count, Min

from dhakira_web.archive.models import SearchEntry, SearchHead, SearchToken
from dhakira_web.archive.rows import insert_rows

HEAD_SIZE = 400
DEPTH_SHARE = 50  # a head holds at least one in this many of its token's records (a deep head, for filtered queries)
K1 = 1.2
B = 0.75
REFERENCE_LENGTH = 300.0
TITLE_WEIGHT = 4
KEY_WEIGHT = 2
MAX_TOKEN = 100


def head_depth(documents: int) -> int:
    """How many entries the head of a token held by ``documents`` records keeps: ``HEAD_SIZE``, and for a common token
    a share of its records. A filter leaving one record in ten then still leaves a tenth of that share, enough to rank
    a filtered query's first pages from its head, where a fixed depth would leave fewer as the archive grows."""
    return max(HEAD_SIZE, documents // DEPTH_SHARE)


def ranking_weights() -> tuple[int, float]:
    """``(title weight, length normalisation b)`` of FTS5 bm25 as the SQLite search ranks: the title weighted 4,
    lengths normalised. (PostgreSQL impacts follow ``ts_rank`` itself, see ``ts_rank_impact``.)"""
    return TITLE_WEIGHT, B


TS_RANK_WEIGHTS = {"A": 1.0, "B": 0.4, "D": 0.1}  # PostgreSQL's default weights of the labels the search vector uses
TS_RANK_POSITIONS = 256  # a tsvector keeps at most this many positions of one lexeme


def ts_rank_impact(labels: list[str]) -> float:
    """What PostgreSQL's ``ts_rank`` (normalisation 0) gives one query lexeme with these position labels, in order.

    The same sum as PostgreSQL's ``calc_rank_or``: each position weighs its label's weight divided by
    the square of its rank, the heaviest counted in full, over pi²/6. So a head ranks a token's records
    exactly as the database will.
    """
    weights = [TS_RANK_WEIGHTS[label] for label in labels[:TS_RANK_POSITIONS]]
    if not weights:
        return 0.0
    total = sum(weight / (rank + 1) ** 2 for rank, weight in enumerate(weights))
    heaviest = max(weights)
    first = weights.index(heaviest)
    return (heaviest + total - heaviest / (first + 1) ** 2) / 1.64493406685


def impacts(title_stem: str, body_stem: str, keys: str, body_norm: str = "", only: set[str] | None = None) -> dict[str, float]:
    """Each index token of a record with its impact (the body shadow holds the title too); with ``only``,
    just those tokens (a head being built needs one token's impact in each holder, not every token's)."""
    if connection.vendor == "postgresql":
        return _postgresql_impacts(title_stem, body_stem, keys, body_norm, only)
    title_weight, b = ranking_weights()
    stems = body_stem.split()
    if stems and max(map(len, stems)) > MAX_TOKEN:  # rare: tokens too long to index are left out
        stems = [token for token in stems if len(token) <= MAX_TOKEN]
    # Counted by C loops (a head being built weighs every holder's whole body for a few tokens).
    body = Counter(stems if only is None else filter(only.__contains__, stems))
    title = Counter(title_stem.split())
    length = len(stems) or 1
    norm = K1 * (1 - b + b * length / REFERENCE_LENGTH)
    weighted = {token: count + (title_weight - 1) * title.get(token, 0) for token, count in body.items()}
    for key in keys.split():
        if key.startswith("k") and len(key) <= MAX_TOKEN and (only is None or key in only):  # filter tokens (``f…``) never rank
            weighted[key] = weighted.get(key, 0) + KEY_WEIGHT
    return {token: round(weight * (K1 + 1) / (weight + norm), 6) for token, weight in weighted.items()}


def _postgresql_impacts(title_stem: str, body_stem: str, keys: str, body_norm: str, only: set[str] | None = None) -> dict[str, float]:
    """Impacts as ``ts_rank`` weighs the vector ``title (A) || body stems (D) || body words (D) || keys (B)``."""
    body = Counter(token for token in body_stem.split() if len(token) <= MAX_TOKEN and (only is None or token in only))
    title = Counter(title_stem.split())
    words = Counter(body_norm.split() if only is None else (word for word in body_norm.split() if word in only))
    held = Counter(key for key in keys.split() if key.startswith("k") and len(key) <= MAX_TOKEN and (only is None or key in only))
    result = {}
    for token in set(body) | set(held):
        labels = ["A"] * title.get(token, 0) + ["D"] * (body.get(token, 0) + words.get(token, 0)) + ["B"] * held.get(token, 0)
        result[token] = round(ts_rank_impact(labels), 6)
    return result


def _entry_impacts(entry: SearchEntry | None) -> dict[str, float]:
    return impacts(entry.title_stem, entry.body_stem, entry.keys, entry.body_norm) if entry is not None else {}


Change = tuple[int, dict[str, float], dict[str, float], bool]  # record id, impacts before and after, indexed before
_deferred: list[Change] | None = None


def record_indexed(record_id: int, before: SearchEntry | None, after: SearchEntry) -> None:
    """Update token counts and heads after a record's shadow texts changed from ``before`` to ``after``.

    Inside ``deferred()`` the update waits for the end of the block, where it is made for every record at once.
    """
    change = (record_id, _entry_impacts(before), _entry_impacts(after), before is not None)
    if _deferred is not None:
        _deferred.append(change)
    else:
        _apply([change])


def records_indexed(changes: list[tuple[int, SearchEntry | None, SearchEntry]]) -> None:
    """``record_indexed`` for many records at once (``(record id, before, after)``), e.g. a batch of an import:
    the end state is the one record-by-record updates give."""
    batch = [(record_id, _entry_impacts(before), _entry_impacts(after), before is not None) for record_id, before, after in changes]
    if _deferred is not None:
        _deferred.extend(batch)
    else:
        _apply(batch)


@contextmanager
def deferred() -> Iterator[None]:
    """Within a block that indexes many records (a batch of ``dhakira ingest``), count tokens and enter heads
    once for all of them at its end: one read and one write of the counts of the tokens involved, and one
    pass per frequent token, instead of one per record. The end state is the one record-by-record updates give."""
    global _deferred
    outer, _deferred = _deferred, []
    try:
        yield
        if _deferred:
            _apply(_deferred)
    finally:
        _deferred = outer


@contextmanager
def undone_on_error() -> Iterator[None]:
    """Around a savepoint inside ``deferred()``: if it fails (and rolls back), its records' pending updates go too."""
    mark = len(_deferred) if _deferred is not None else 0
    try:
        yield
    except BaseException:
        if _deferred is not None:
            del _deferred[mark:]
        raise


def _apply(changes: list[Change]) -> None:
    delta: Counter[str] = Counter()
    involved: set[str] = set()
    for _, old, new, _ in changes:
        involved.update(old, new)
        for token in set(old) ^ set(new):
            delta[token] += 1 if token in new else -1
    changed = sorted(token for token, difference in delta.items() if difference)
    tokens = _tokens(involved - set(changed))
    if changed:
        # The counts as they now stand, other writers' changes included (given back by the very statement that adds).
        tokens.update(_add_documents({token: delta[token] for token in changed}))
        # A token no record holds any more is dropped: its text (a stem of a removed or redacted word) must not stay.
        gone = [token for token in changed if tokens[token].documents <= 0]
        for start in range(0, len(gone), 2000):
            SearchToken.objects.filter(token__in=gone[start:start + 2000], documents__lte=0).delete()
    for record_id, _, _, indexed_before in changes:
        if indexed_before:
            held = sorted(set(SearchHead.objects.filter(record_id=record_id).values_list("token", flat=True)))
            SearchHead.objects.filter(record_id=record_id).delete()
            _refresh_head_states([tokens[token] for token in held])
    entering: dict[str, list[tuple[int, float]]] = {}
    for record_id, _, new, _ in changes:
        for token, impact in new.items():
            entering.setdefault(token, []).append((record_id, impact))
    building: list[SearchToken] = []
    chosen: dict[str, list[tuple[int, float]]] = {}
    for token in sorted(entering):
        row = tokens.get(token)
        if row is None or row.documents < HEAD_SIZE:
            continue
        if not row.has_head:
            building.append(row)  # from every record holding it, those of this batch included
            continue
        kept = [(record_id, impact) for record_id, impact in entering[token] if row.head_size < HEAD_SIZE or impact > row.head_floor]
        if kept:
            chosen[token] = kept
    if building:
        _build_heads(building)
    if chosen:
        _enter_heads({token: tokens[token] for token in chosen}, chosen)


def _add_documents(deltas: dict[str, int]) -> dict[str, SearchToken]:
    """Add to the record counts of tokens in the database itself (``documents = documents + delta``), so that
    two writers counting at once (queue workers on PostgreSQL) never overwrite each other's counts; returns
    the tokens' rows as they stand after the addition."""
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    items = sorted(deltas.items())
    rows: dict[str, SearchToken] = {}
    for start in range(0, len(items), CHUNK):
        chunk = items[start:start + CHUNK]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (token, documents, has_head, head_size, head_floor) VALUES "
                + ", ".join(["(%s, %s, %s, 0, 0.0)"] * len(chunk))
                + f" ON CONFLICT (token) DO UPDATE SET documents = {table}.documents + excluded.documents"
                + " RETURNING token, documents, has_head, head_size, head_floor",
                [value for token, delta in chunk for value in (token, delta, False)])
            for token, documents, has_head, head_size, head_floor in cursor.fetchall():
                rows[token] = SearchToken(token=token, documents=documents, has_head=bool(has_head),
                                          head_size=head_size, head_floor=head_floor)
    return rows


def _tokens(names: set[str]) -> dict[str, SearchToken]:
    ordered = sorted(names)
    found: dict[str, SearchToken] = {}
    for start in range(0, len(ordered), CHUNK):
        found.update((row.token, row) for row in SearchToken.objects.filter(token__in=ordered[start:start + CHUNK]))
    return found


CHUNK = 500  # tokens or records per statement


def _enter_heads(rows: dict[str, SearchToken], entries: dict[str, list[tuple[int, float]]]) -> None:
    """Enter records into the heads of several tokens at once, each head then cut back to its ``head_depth`` best."""
    # One prepared upsert for all entries (building thousands of instances and their statement cost the ORM
    # more than the database spends).
    table = connection.ops.quote_name(SearchHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (token, record_id, impact) VALUES (%s, %s, %s) "
                           "ON CONFLICT (token, record_id) DO UPDATE SET impact = excluded.impact",
                           [(token, record_id, impact) for token, kept in entries.items() for record_id, impact in kept])
    over = {token: head_depth(rows[token].documents) for token, kept in entries.items()
            if rows[token].head_size + len(kept) > head_depth(rows[token].documents)}
    _cut(over)
    _refresh_head_states(list(rows.values()))


def _cut(depths: dict[str, int]) -> None:
    """Keep the entries of highest impact of each token's head, as many as ``depths`` says (on a tie the earlier record).

    Each head loses only its few lowest entries (impact ascending, the later record first), found through the
    head's index: no head is read and ranked whole.
    """
    table = connection.ops.quote_name(SearchHead._meta.db_table)
    tokens = sorted(depths)
    excess: list[tuple[str, str, int]] = []
    for start in range(0, len(tokens), CHUNK):
        sizes = (SearchHead.objects.filter(token__in=tokens[start:start + CHUNK]).values("token")
                 .annotate(size=Count("record")).values_list("token", "size"))
        excess += [(token, token, size - depths[token]) for token, size in sizes if size > depths[token]]
    if excess:
        with connection.cursor() as cursor:  # the entries are keyed by (token, record): no row id names them
            cursor.executemany(
                f"DELETE FROM {table} WHERE token = %s AND record_id IN (SELECT record_id FROM {table} WHERE token = %s "
                f"ORDER BY impact ASC, record_id DESC LIMIT %s)", sorted(excess))


def _refresh_head_state(row: SearchToken) -> None:
    """Bring the token's head size and floor (the lowest impact it keeps) in step with its entries."""
    _refresh_head_states([row])


def _refresh_head_states(rows: list[SearchToken]) -> None:
    """``_refresh_head_state`` of several tokens: one grouped count and one write per chunk of tokens."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        found = {item["token"]: (item["size"], item["floor"]) for item in SearchHead.objects.filter(
            token__in=[row.token for row in chunk]).values("token").annotate(size=Count("record"), floor=Min("impact"))}
        moved = []
        for row in chunk:
            size, floor = found.get(row.token, (0, None))
            if (size, floor or 0.0) != (row.head_size, row.head_floor):
                row.head_size, row.head_floor = size, floor or 0.0
                moved.append(row)
        _write_states(moved)


def _write_states(rows: list[SearchToken]) -> None:
    """Write the head state (and flag) of tokens whose rows are otherwise current: one upsert, not one update each."""
    rows = [row for row in rows if row.documents > 0]  # a token no record holds was dropped and stays so
    SearchToken.objects.bulk_create(rows, update_conflicts=True, unique_fields=["token"],
                                    update_fields=["has_head", "head_size", "head_floor"], batch_size=CHUNK)


def _build_heads(rows: list[SearchToken]) -> None:
    """Tokens just became frequent: their heads are read from the records that hold them, each holder's
    entry read and weighed once for all of them."""
    from dhakira_web.archive.search import backend

    search = backend()
    holders = {row.token: set(search.records_with_token(row.token)) for row in rows}
    best: dict[str, list[tuple[float, int]]] = {row.token: [] for row in rows}
    depths = {row.token: head_depth(row.documents) for row in rows}
    everyone = sorted(set().union(*holders.values()))
    wanted = set(holders)
    for start in range(0, len(everyone), CHUNK):
        for record_id, title_stem, body_stem, keys, body_norm in SearchEntry.objects.filter(
                record_id__in=everyone[start:start + CHUNK]).values_list("record_id", "title_stem", "body_stem", "keys", "body_norm"):
            weighed = impacts(title_stem, body_stem, keys, body_norm, only=wanted)
            for token, held in holders.items():
                impact = weighed.get(token) if record_id in held else None
                if impact:
                    _keep(best[token], (impact, -record_id), depths[token])
    names = sorted(best)
    for start in range(0, len(names), CHUNK):
        SearchHead.objects.filter(token__in=names[start:start + CHUNK]).delete()
    insert_rows(SearchHead, ["token", "record_id", "impact"], [(token, -negative_id, impact) for token in names for impact, negative_id in best[token]])
    for row in rows:
        row.has_head = True
    _write_states(rows)
    _refresh_head_states(rows)


def _keep(best: list[tuple[float, int]], item: tuple[float, int], depth: int = HEAD_SIZE) -> None:
    if len(best) < depth:
        heapq.heappush(best, item)
    elif item > best[0]:
        heapq.heapreplace(best, item)


def rebuild(batch: int = 2000, models: tuple[Any, Any, Any] | None = None) -> int:
    """Recount every token and rebuild every head from the shadow texts; returns the number of heads.

    ``models`` (entry, head, token) lets a migration pass its historical models.
    """
    entry_model, head_model, token_model = models or (SearchEntry, SearchHead, SearchToken)
    counts: Counter[str] = Counter()
    best: dict[str, list[tuple[float, int]]] = {}
    turned: dict[str, tuple[float, int]] = {}  # each token's best entry turned away: nothing below it enters later
    total, read, last = entry_model.objects.count(), 0, 0
    while True:
        entries = list(entry_model.objects.filter(record_id__gt=last).order_by("record_id")[:batch])
        if not entries:
            break
        read += len(entries)
        for entry in entries:
            for token, impact in impacts(entry.title_stem, entry.body_stem, entry.keys, entry.body_norm).items():
                counts[token] += 1
                _keep_above(best.setdefault(token, []), (impact, -entry.record_id), _depth_foreseen(counts[token], read, total),
                            turned, token)
        last = entries[-1].record_id
    for token, count in counts.items():  # each head cut to the depth its final count gives
        if len(best[token]) > head_depth(count):
            best[token] = heapq.nlargest(head_depth(count), best[token])
    head_model.objects.all().delete()
    token_model.objects.all().delete()
    frequent = {token for token, count in counts.items() if count >= HEAD_SIZE}
    token_model.objects.bulk_create(
        [token_model(token=token, documents=count, has_head=token in frequent,
                     head_size=len(best[token]) if token in frequent else 0,
                     head_floor=min(best[token])[0] if token in frequent else 0.0)
         for token, count in counts.items()], batch_size=5000)
    head_model.objects.bulk_create([head_model(token=token, record_id=-negative_id, impact=impact)
                                    for token in frequent for impact, negative_id in best[token]], batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE archive_searchhead")
            cursor.execute("ANALYZE archive_searchtoken")
    return len(frequent)


def _keep_above(best: list[tuple[float, int]], item: tuple[float, int], depth: int, turned: dict[str, tuple[float, int]],
                token: str) -> None:
    """``_keep`` for ``rebuild``, whose depths grow as it reads: an entry enters a head with room only above the best
    entry that head has turned away, so the head stays the true start of its token's ranking (perhaps shallower than
    its depth) rather than taking weaker late records into room a stronger, earlier one was refused."""
    floor = turned.get(token)
    if len(best) < depth and (floor is None or item > floor):
        heapq.heappush(best, item)
        return
    if best and item > best[0]:
        item = heapq.heapreplace(best, item)
    if floor is None or item > floor:
        turned[token] = item


def _depth_foreseen(count: int, read: int, total: int) -> int:
    """While ``rebuild`` reads the entries in order, the depth a head may need by the end: twice what the token's
    count so far gives once scaled to every entry (the final count is known only at the end, and a record turned
    away from a head cannot come back). A token whose records are gathered at the end may keep a shallower head."""
    return head_depth(2 * count * max(total, read) // max(read, 1))


def with_heads(tokens: Iterable[str]) -> list[str]:
    """Those of ``tokens`` that have a head."""
    return list(SearchToken.objects.filter(token__in=set(tokens), has_head=True).values_list("token", flat=True))


def candidates(tokens: Iterable[str], depth: int) -> list[int]:
    """Records in the first ``depth`` entries of the heads of ``tokens``, best impact first, each once."""
    found: dict[int, float] = {}
    for token in sorted(set(tokens)):
        # The first entries in impact order (a deep head is longer than ``HEAD_SIZE``; sorting it costs little).
        rows = SearchHead.objects.filter(token=token).values_list("record_id", "impact").order_by("-impact", "record_id")[:depth]
        for record_id, impact in rows:
            found[record_id] = max(found.get(record_id, 0.0), impact)
    return sorted(found, key=lambda record_id: (-found[record_id], record_id))


def filtered_candidates(tokens: Iterable[str], scope: list[list[str]], first: int) -> list[int]:
    """The first ``first`` records of the heads of ``tokens``, best impact first, among those whose search entry
    holds a filter token of each group of ``scope`` (the access policy's and the reader's filters): the candidates
    of a filtered query, found by walking its heads as deep as they go without reading a record's texts.

    A narrow filter (a year, a facility) leaves a few of a head's first ``HEAD_SIZE`` entries, fewer as the archive
    grows; the deep head (``head_depth``) holds a share of the token's records, so the filter leaves about that
    share of its own matches, and these are the filtered matches where the token weighs most."""
    names = sorted(set(tokens))
    if not names or first <= 0:
        return []
    from dhakira_web.archive.search.backend import filters_held

    heads_table = connection.ops.quote_name(SearchHead._meta.db_table)
    entries_table = connection.ops.quote_name(SearchEntry._meta.db_table)
    held, patterns = filters_held(scope, "entry.filters")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT head.record_id, max(head.impact) AS best FROM {heads_table} head "
            f"JOIN {entries_table} entry ON entry.record_id = head.record_id "
            f"WHERE head.token IN ({', '.join(['%s'] * len(names))}){' AND ' + held if held else ''} "
            "GROUP BY head.record_id ORDER BY best DESC, head.record_id LIMIT %s",
            [*names, *patterns, first])
        return [row[0] for row in cursor.fetchall()]
