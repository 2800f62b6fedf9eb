"""FTS5's bm25, computed for a few listed records without walking the whole match list.

FTS5 scores a record only while it walks every match of the query, and before the first score it counts
every record holding each phrase of the query (the idf): for a word held by 400,000 records that is two
walks of 400,000 entries, whatever the number of records to be scored. Here the same sum is made for
the listed records alone, from what is stored beside the index:

* the number of rows and of tokens of the index: FTS5's own "averages" record (``<table>_data``, id 1);
* each listed record's size, all columns together: FTS5's ``<table>_docsize`` rows;
* how often each phrase occurs in each column of a record: the record's shadow texts, split as FTS5's
  tokenizer splits them (words separated by spaces);
* how many records hold each phrase: the token counts kept at indexing (``SearchToken``) for stems and
  knowledge-base keys; for the other phrases (word forms, quoted phrases) the index is
  counted once and the count kept (by the process and in the archive's cache, shared by every process) until
  the index has grown or shrunk by 1 %.

Filter tokens (a column weighed 0) only narrow the match. The score is FTS5's: the sum over phrases of ``idf × f × (k1 + 1) / (f + k1 × (1 − b + b × size / average))``,
``f`` the phrase's occurrences weighted by column, ``idf = log((rows − n + 0.5) / (n + 0.5))`` (at least 1e-6).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connection

from dhakira_web.archive.models import SearchToken

Phrase = tuple[tuple[int, ...], tuple[str, ...]]  # the columns (indexes into the index's columns) and tokens of one FTS5 phrase

K1, B = 1.2, 0.75  # FTS5's own constants
STEM_COLUMNS, KEY_COLUMNS = (0, 1), (3,)  # title and body stems; keys
DRIFT = 0.01  # a kept count is counted again once the index has this share more or fewer rows
KEPT_FROM = 10_000  # smaller indexes are counted every time (cheap there)
_counted: dict[tuple[str, Phrase], tuple[int, int]] = {}  # (table, phrase) → (records holding it, rows of the index then)


def varints(blob: bytes) -> list[int]:
    """The integers of a run of SQLite varints (big-endian groups of 7 bits; a ninth byte holds 8)."""
    if blob.isascii():  # every integer below 128: one byte each (most column sizes of a record)
        return list(blob)
    values, position = [], 0
    while position < len(blob):
        value = 0
        for index in range(9):
            byte = blob[position]
            position += 1
            if index == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


def averages(table: str) -> tuple[int, float]:
    """``(rows, average size of a row in tokens, all columns together)`` of an FTS5 index."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT block FROM {table}_data WHERE id = 1")
        row = cursor.fetchone()
    totals = varints(bytes(row[0])) if row else []
    rows = totals[0] if totals else 0
    return rows, (sum(totals[1:]) / rows if rows else 0.0)


def texts_and_sizes(table: str, columns: tuple[str, ...], ids: list[int], wanted: set[int] | None,
                    packed: frozenset[str], scope: list[list[str]] | None = None) -> tuple[dict[int, tuple[str, ...]], dict[int, int]]:
    """The shadow texts of the listed records (the index's columns, from its content table ``archive_searchentry``)
    and each one's size in the index, in tokens, all columns together (FTS5's ``<table>_docsize``).

    Only the ``wanted`` columns (indexes into ``columns``; all unless told) are read, the others given empty; a
    column named in ``packed`` is kept compressed (``storage.SqliteCompressedTextField``) and is unpacked here.
    With ``scope`` (groups of filter tokens), only the records whose filter tokens hold one of each group are read:
    the filters are looked at in the entry's row before its long texts are unpacked (a year long past among the newest
    records of the archive, a facility among a head's entries)."""
    from dhakira_web.archive.search.backend import filters_held
    from dhakira_web.archive.storage import unpack_text

    read = [index for index in range(len(columns)) if wanted is None or index in wanted]
    layout = [(read.index(index) if index in read else None, columns[index] in packed) for index in range(len(columns))]
    texts, sizes = {}, {}
    in_scope, patterns = filters_held(scope or [], "entry.filters")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT entry.record_id, size.sz{''.join(', entry.' + columns[index] for index in read)} "
                       f"FROM archive_searchentry entry JOIN {table}_docsize size ON size.id = entry.record_id "
                       f"WHERE entry.record_id IN (SELECT value FROM json_each(%s)){' AND ' + in_scope if in_scope else ''}",
                       (json.dumps(ids), *patterns))
        for record_id, size, *held in cursor.fetchall():
            texts[record_id] = tuple(["" if at is None else unpack_text(held[at]) if unpacked else held[at] or ""
                                      for at, unpacked in layout])
            sizes[record_id] = sum(varints(bytes(size)))
    return texts, sizes


def phrase_columns(phrases: Iterable[Phrase]) -> set[int]:
    """The columns (indexes) any of ``phrases`` is looked for in: the only ones scoring needs to read."""
    return {column for columns, _ in phrases for column in columns}


def _kept_token(phrase: Phrase) -> str | None:
    """The token whose record count ``SearchToken`` keeps for this phrase: a stem in the title and body, or a key."""
    columns, tokens = phrase
    if len(tokens) == 1 and (columns == STEM_COLUMNS or (columns == KEY_COLUMNS and tokens[0].startswith("k"))):
        return tokens[0]
    return None


def kept_counts(phrases: Iterable[Phrase]) -> dict[Phrase, int]:
    """How many records hold each phrase whose count is kept at indexing (stems, keys): one query, no walk."""
    wanted = {phrase: token for phrase in set(phrases) if (token := _kept_token(phrase))}
    kept = dict(SearchToken.objects.filter(token__in=set(wanted.values())).values_list("token", "documents")) if wanted else {}
    return {phrase: kept[token] for phrase, token in wanted.items() if token in kept}


def holders(table: str, phrases: Iterable[Phrase], rows: int, phrase_text: Callable[[Phrase], str],
            kept: dict[Phrase, int] | None = None) -> dict[Phrase, int]:
    """How many records of the index hold each phrase (see the module's note on where each count comes from);
    ``kept``: ``kept_counts`` of them when already read."""
    wanted = set(phrases)
    found = dict(kept_counts(wanted) if kept is None else kept)
    for phrase in wanted - set(found):
        held = _counted.get((table, phrase)) or _shared(table, phrase)
        if held is None or rows < KEPT_FROM or abs(held[1] - rows) > DRIFT * rows:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH %s", (phrase_text(phrase),))
                held = (int(cursor.fetchone()[0]), rows)
            if rows >= KEPT_FROM:
                _share(table, phrase, held)
        _counted[(table, phrase)] = held
        found[phrase] = held[0]
    return found


def _shared_key(table: str, phrase: Phrase) -> str:
    """The key of a phrase's count in the archive's cache: a digest, so no word of a query is written there."""
    return "search-count:" + hashlib.sha256(repr((table, phrase)).encode()).hexdigest()


def _shared(table: str, phrase: Phrase) -> tuple[int, int] | None:
    """A phrase's count kept in the archive's cache by any process (every web worker, and across restarts)."""
    try:
        held = cache.get(_shared_key(table, phrase))
    except Exception:  # noqa: BLE001 - a busy or missing cache only means counting again
        return None
    return (int(held[0]), int(held[1])) if isinstance(held, (list, tuple)) and len(held) == 2 else None


def _share(table: str, phrase: Phrase, held: tuple[int, int]) -> None:
    try:
        cache.set(_shared_key(table, phrase), held, timeout=None)
    except Exception:  # noqa: BLE001 - not kept: the next process counts again
        return


def scores(texts: dict[int, tuple[str, ...]], record_sizes: dict[int, int], groups: list[list[Phrase]], excluded: list[Phrase],
           counts: dict[Phrase, int], weights: tuple[float, ...], rows: int, average: float) -> dict[int, float]:
    """``narrowed_scores`` with nothing narrowing the match."""
    return narrowed_scores(texts, record_sizes, groups, excluded, counts, weights, rows, average)[0]


def narrowed_scores(texts: dict[int, tuple[str, ...]], record_sizes: dict[int, int], groups: list[list[Phrase]],
                    excluded: list[Phrase], counts: dict[Phrase, int], weights: tuple[float, ...], rows: int, average: float,
                    narrowing: list[list[Phrase]] | None = None, enough: int = 0) -> tuple[dict[int, float], int]:
    """The records of ``texts`` (their columns' texts) that match, with bm25 as FTS5 gives it (made positive).

    A record matches when each group has a phrase it holds (in that phrase's columns) and it holds none of
    ``excluded``: FTS5's own reading of ``(a OR b) AND (c) NOT d``, over the same words.

    With ``narrowing`` (more groups, of phrases that never weigh: filter tokens), a record is scored when it also
    holds a phrase of each of them and none of ``excluded``; and the second value is how many records match
    ``groups`` alone (neither ``narrowing`` nor ``excluded`` taken into account), found without scoring them; with
    ``enough``, counted up to that many only: beyond, a record is looked for in ``groups`` only once it is found to
    pass ``narrowing`` (the filter tokens, a short column, first).
    """
    phrases = [phrase for group in groups for phrase in group]
    narrowing = narrowing if narrowing is not None else []
    # A phrase weighed 0 in all its columns (a filter token) narrows the match and adds nothing: no count is needed,
    # and whether a record holds it is read with its columns weighed 1.
    idf = {phrase: max(math.log((rows - counts[phrase] + 0.5) / (counts[phrase] + 0.5)), 1e-6) for phrase in phrases
           if any(weights[column] for column in phrase[0])}
    weighed = {phrase: tuple(weights[column] for column in phrase[0]) if phrase in idf else (1.0,) * len(phrase[0])
               for phrase in phrases + excluded + [phrase for group in narrowing for phrase in group]}
    # The rarest group first: most records that fail, fail there, before any other phrase is looked for.
    ordered = sorted(groups, key=lambda group: sum(counts.get(phrase, 0) for phrase in group))
    needles = {phrase: f" {'  '.join(phrase[1])} " for phrase in weighed}
    result = {}
    matched = 0
    for record_id, columns in texts.items():
        held: dict[Phrase, float] = {}
        spaced: list[str | None] = [None] * len(columns)
        counting = not enough or matched < enough
        if not counting and not all(any(_frequency(phrase, needles, columns, spaced, held, weighed) for phrase in group)
                                    for group in narrowing):
            continue
        if not all(any(_frequency(phrase, needles, columns, spaced, held, weighed) for phrase in group) for group in ordered):
            continue
        matched += counting
        if not all(any(_frequency(phrase, needles, columns, spaced, held, weighed) for phrase in group) for group in narrowing) \
                or any(_frequency(phrase, needles, columns, spaced, held, weighed) for phrase in excluded):
            continue
        size = record_sizes.get(record_id, 0)
        lengthening = K1 * (1 - B + B * size / average) if average else K1
        result[record_id] = sum(idf[phrase] * frequency * (K1 + 1) / (frequency + lengthening)
                                for phrase in phrases
                                if phrase in idf and (frequency := _frequency(phrase, needles, columns, spaced, held, weighed)))
    return result, matched


def _frequency(phrase: Phrase, needles: dict[Phrase, str], columns: tuple[str, ...], spaced: list[str | None],
               held: dict[Phrase, float], weighed: dict[Phrase, tuple[float, ...]]) -> float:
    """The occurrences of ``phrase`` in a record's ``columns``, each column's weighed as ``weighed`` says for that
    phrase (``held``: the phrases counted so far).

    The shadow texts are tokens joined by single spaces; with each space doubled (``spaced``, made once per
    column), a phrase stands wherever ``" a  b "`` does, and ``str.count`` finds every such place (a phrase
    that overlaps itself, "a a" in "a a a", is counted once where FTS5 counts it twice).
    """
    found = held.get(phrase)
    if found is None:
        found = 0.0
        for column, weight in zip(phrase[0], weighed[phrase], strict=True):
            text = columns[column]
            if phrase[1][0] not in text:  # most phrases are absent from most columns
                continue
            padded = spaced[column]
            if padded is None:
                padded = spaced[column] = f" {text.replace(' ', '  ')} "
            found += weight * padded.count(needles[phrase])
        held[phrase] = found
    return found
