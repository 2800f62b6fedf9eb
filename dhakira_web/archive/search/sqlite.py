"""SQLite FTS5 backend. The FTS table mirrors ``archive_searchentry`` through triggers (migrations 0002 and 0021)."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import QuerySet

from dhakira.text.query import Query, Term, variants
from dhakira_web.archive.search import bm25
from dhakira_web.archive.search.backend import restriction, restriction_where

TABLE = "archive_search_fts"
COLUMNS = ("title_stem", "body_stem", "body_norm", "keys", "filters")
# bm25's weight of each column, in the order of ``COLUMNS``: filter tokens narrow a match and never weigh in its rank.
WEIGHTS = (4.0, 1.0, 1.0, 2.0, 0.0)
FILTER_COLUMNS: tuple[int, ...] = (4,)
# The long columns kept compressed in the content table on SQLite (``storage.SqliteCompressedTextField``, migration 0025).
PACKED_COLUMNS = frozenset({"body_stem", "body_norm"})
SCORE = f"bm25({TABLE}, {', '.join(str(weight) for weight in WEIGHTS)})"
CONTENT = "archive_search_fts_content"  # the entries as FTS5 reads them: a view giving the packed columns unpacked
TRIGGERS = ("archive_search_fts_insert", "archive_search_fts_delete", "archive_search_fts_update")


def index_statements(packed: bool) -> tuple[list[str], list[str]]:
    """``(make, drop)``: the statements making the full-text table over the search entries (rebuilt from them) and
    the triggers keeping it in step, and those dropping them.

    With ``packed`` (migration 0025), the entries' ``PACKED_COLUMNS`` hold compressed text: FTS5 reads the entries
    through the view ``CONTENT``, which unpacks them (``storage.UNPACK_TEXT``), and the triggers hand it the
    unpacked values, old and new (a 'delete' must name the very tokens indexed). Otherwise FTS5 reads the table.

    A later migration that makes ``archive_searchentry`` again on SQLite (Django's way of altering most columns
    there: a copy, the table dropped, the copy renamed) must drop the view and the full-text table first and make
    them again after (these statements): SQLite refuses to rename a table under a view naming the old one."""
    from dhakira_web.archive.storage import UNPACK_TEXT

    def values(row: str, named: bool = False) -> str:
        return ", ".join(f"{UNPACK_TEXT}({row}.{column})" + (f" AS {column}" if named else "")
                         if packed and column in PACKED_COLUMNS else f"{row}.{column}" for column in COLUMNS)

    names = ", ".join(COLUMNS)
    content = CONTENT if packed else "archive_searchentry"
    view = [f"CREATE VIEW {CONTENT} AS SELECT entry.record_id, {values('entry', True)} FROM archive_searchentry entry"] if packed else []
    delete = f"INSERT INTO {TABLE}({TABLE}, rowid, {names}) VALUES ('delete', old.record_id, {values('old')});"
    insert = f"INSERT INTO {TABLE}(rowid, {names}) VALUES (new.record_id, {values('new')});"
    make = [*view,
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5({names}, content='{content}', content_rowid='record_id',"
            " tokenize='unicode61 remove_diacritics 0')",
            f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
            f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON archive_searchentry BEGIN {insert} END",
            f"CREATE TRIGGER {TRIGGERS[1]} AFTER DELETE ON archive_searchentry BEGIN {delete} END",
            f"CREATE TRIGGER {TRIGGERS[2]} AFTER UPDATE ON archive_searchentry BEGIN {delete} {insert} END"]
    drop = [*(f"DROP TRIGGER IF EXISTS {trigger}" for trigger in TRIGGERS), f"DROP TABLE IF EXISTS {TABLE}",
            f"DROP VIEW IF EXISTS {CONTENT}"]
    return make, drop


def remove_unreadable_entry(record_id: int) -> None:
    """Take a record's search entry out when its packed texts cannot be read (a damaged value): FTS5's 'delete'
    must be handed the very tokens indexed, so the full-text table and its triggers are dropped, the entry
    deleted, and the table made again and rebuilt from the other entries (``index_statements``). Slow on a large
    archive, and only for a damaged one: a safety removal must never be stopped by it."""
    make, drop = index_statements(packed=True)
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)
        cursor.execute("DELETE FROM archive_searchentry WHERE record_id = %s", [record_id])
        for statement in make:
            cursor.execute(statement)


def _quote(token: str) -> str:
    return '"' + token.replace('"', "") + '"'


def _term_phrases(term: Term) -> list[bm25.Phrase]:
    """The phrases of a term, in the order FTS5 numbers them: the stem in the title and body, then each form of
    the word in the normalised body (or the phrase's words there)."""
    if term.phrase:
        return [((2,), term.norms)]
    (stem,), (norm,) = term.stems, term.norms
    return [((0, 1), (stem,)), *(((2,), (form,)) for form in variants(norm))]


def _phrase_text(phrase: bm25.Phrase) -> str:
    columns, tokens = phrase
    names = " ".join(COLUMNS[column] for column in columns)
    return f"{{{names}}} : {_quote(' '.join(tokens))}" if len(columns) > 1 else f"{names} : {_quote(' '.join(tokens))}"


def _term(term: Term) -> str:
    return "(" + " OR ".join(_phrase_text(phrase) for phrase in _term_phrases(term)) + ")"


def _groups(query: Query, extra_keys: list[list[str]] | None, scope: list[list[str]] | None) -> list[list[bm25.Phrase]]:
    """The OR-groups of phrases that must all match: the query's groups with their key tokens, then the filters."""
    from dhakira_web.archive.search import key_token

    groups = []
    for index, group in enumerate(query.groups):
        phrases = [phrase for term in group for phrase in _term_phrases(term)]
        phrases += [((3,), (key_token(key),)) for key in (extra_keys[index] if extra_keys and index < len(extra_keys) else [])]
        groups.append(phrases)
    groups += [[(FILTER_COLUMNS, (token,)) for token in tokens] for tokens in scope or []]
    return groups


def match_expression(query: Query, extra_keys: list[list[str]] | None = None, scope: list[list[str]] | None = None) -> str:
    """The FTS5 MATCH string for a parsed query; user text never reaches FTS5 unquoted.

    ``scope`` holds groups of filter tokens, one of each group required (access levels, facet values).
    """
    expression = " AND ".join("(" + " OR ".join(_phrase_text(phrase) for phrase in group) + ")"
                              for group in _groups(query, extra_keys, scope))
    for term in query.excluded:
        expression += " NOT " + _term(term)
    return expression


def _restricted(query: Query, records: QuerySet | None, extra_keys: list[list[str]] | None,
                scope: list[list[str]] | None) -> tuple[str, str, tuple]:
    """``(source, where, params)`` of the matches among ``records``, or within ``scope`` (filter tokens in the MATCH)."""
    match = match_expression(query, extra_keys, scope)
    if scope is not None or records is None:
        return TABLE, f"{TABLE} MATCH %s", (match,)
    condition = restriction_where(records)
    if condition is not None:
        # CROSS JOIN keeps FTS5 as the outer loop: each match is checked against its own record row.
        return (f"{TABLE} CROSS JOIN archive_record ON archive_record.id = {TABLE}.rowid",
                f"{TABLE} MATCH %s AND ({condition[0]})", (match, *condition[1]))
    allowed_sql, allowed_params = restriction(records)
    # ``+rowid``: the restriction must not reach FTS5 as a rowid constraint, or FTS5 would run the
    # full-text query once per allowed record; the list of allowed ids is built once instead.
    return TABLE, f"{TABLE} MATCH %s AND +{TABLE}.rowid IN ({allowed_sql})", (match, *allowed_params)


SCORING = 2_000  # at most this many listed records are matched and scored from their own texts
WALK_PER_RECORD = 250  # ...when the index holds more than this many entries of the query's phrases per listed record
PHRASES_MEASURED = 12  # ...of a query of this many phrases (one Arabic word and the access level); half of a record's
# cost is reading it, half looking for each phrase in its texts, so a query of more phrases walks more per record


def _scored(query: Query, ids: list[int], extra_keys: list[list[str]] | None, scope: list[list[str]] | None,
            filters: list[list[str]] | None = None, enough: int = 0) -> tuple[dict[int, float], int] | None:
    """The listed records that match within ``scope`` and ``filters`` (more groups of filter tokens), with FTS5's
    bm25, found from their own shadow texts and the index's stored sizes and counts (``search.bm25``); with
    ``filters`` given, also how many match the query's groups within ``scope`` alone (neither the filters nor the
    excluded words taken into account; counted up to ``enough``). None when walking the query's matches in FTS5 costs less (few entries to
    walk, measured: about 0.15 µs an entry against 35 µs a listed record read and scored here).

    FTS5 scores a listed record only by walking every match of the query, and its bm25 first counts every
    entry of each phrase: for a word held by 400,000 records, two walks of 400,000 entries for 400 records.
    """
    if not ids or len(ids) > SCORING:
        return None
    groups = _groups(query, extra_keys, scope)
    phrases = [phrase for group in groups for phrase in group]
    rows, average = bm25.averages(TABLE)
    kept = bm25.kept_counts(phrases)
    # The walk reads at least the entries of the query's stems and keys, and about a row's worth per filter group.
    per_record = WALK_PER_RECORD * (1 + (len(phrases) + len(filters or [])) / PHRASES_MEASURED) / 2
    if sum(kept.values()) + rows * (len(scope or []) + len(filters or [])) < per_record * len(ids):
        return None
    # A phrase weighed 0 in every column of it (a filter token) adds nothing to the score: its count is not needed.
    counts = bm25.holders(TABLE, [phrase for phrase in phrases if any(WEIGHTS[column] for column in phrase[0])], rows,
                          _phrase_text, kept)
    excluded = [phrase for term in query.excluded for phrase in _term_phrases(term)]
    # Filters weigh 0 and excluded words are in no record kept: narrowing leaves each score as it is.
    narrowing: list[list[bm25.Phrase]] = [[(FILTER_COLUMNS, (token,)) for token in tokens] for tokens in filters or []]
    # Only the columns the query's phrases are looked for in are read and unpacked (a quoted phrase: not the stems).
    wanted = bm25.phrase_columns(phrases + excluded + [phrase for group in narrowing for phrase in group])
    # A record outside ``scope`` matches nothing: its filter tokens are read first, its texts only when they pass.
    texts, sizes = bm25.texts_and_sizes(TABLE, COLUMNS, ids, wanted, PACKED_COLUMNS, scope)
    if filters is None:
        scored = bm25.scores(texts, sizes, groups, excluded, counts, WEIGHTS, rows, average)
        return scored, len(scored)
    return bm25.narrowed_scores(texts, sizes, groups, excluded, counts, WEIGHTS, rows, average, narrowing, enough)


def _best_first(scored: dict[int, float]) -> list[tuple[int, float]]:
    return sorted(scored.items(), key=lambda item: (-item[1], item[0]))


class SqliteBackend:
    ranks_before_counting = False  # counting in FTS5 is cheap; its ranking walks the index (``search`` counts first)
    weighs_rarity = True  # bm25's idf

    def matching(self, query: Query, records: QuerySet, extra_keys: list[list[str]] | None) -> tuple[str, tuple]:
        """SQL selecting the ids of the records of ``records`` that match (for facet counts)."""
        source, where, params = _restricted(query, records, extra_keys, None)
        return f"SELECT {TABLE}.rowid FROM {source} WHERE {where}", params

    def search(
        self,
        query: Query,
        records: QuerySet,
        *,
        limit: int,
        offset: int,
        order: str,
        extra_keys: list[list[str]] | None,
        scope: list[list[str]] | None = None,
        exclude: list[int] | None = None,
    ) -> list[tuple[int, float]]:
        source, where, params = _restricted(query, records, extra_keys, scope)
        if exclude:
            where += f" AND +{TABLE}.rowid NOT IN (SELECT value FROM json_each(%s))"
            params = (*params, json.dumps(exclude))
        sort = f"score, {TABLE}.rowid"
        if order == "date":
            if source == TABLE:
                source = f"{TABLE} CROSS JOIN archive_record ON archive_record.id = {TABLE}.rowid"
            sort = f"archive_record.issue_date DESC, {TABLE}.rowid DESC"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {TABLE}.rowid, {SCORE} AS score FROM {source} WHERE {where} ORDER BY {sort} LIMIT %s OFFSET %s",
                           (*params, limit, offset))
            return [(row[0], -float(row[1])) for row in cursor.fetchall()]

    def search_counted(self, query: Query, records: QuerySet, *, limit: int, offset: int, order: str,
                       extra_keys: list[list[str]] | None, scope: list[list[str]] | None = None) -> tuple[list[tuple[int, float]], int | None]:
        hits = self.search(query, records, limit=limit, offset=offset, order=order, extra_keys=extra_keys, scope=scope)
        return hits, self.count(query, records, extra_keys, -1, scope)  # LIMIT -1: no limit

    def count(self, query: Query, records: QuerySet | None, extra_keys: list[list[str]] | None, limit: int,
              scope: list[list[str]] | None = None) -> int:
        source, where, params = _restricted(query, records, extra_keys, scope)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where} LIMIT %s)", (*params, limit))
            return int(cursor.fetchone()[0])

    def rank_among(self, query: Query, ids: list[int], extra_keys: list[list[str]] | None,
                   scope: list[list[str]] | None = None) -> list[tuple[int, float]]:
        scored = _scored(query, ids, extra_keys, scope)
        if scored is not None:
            return _best_first(scored[0])
        return self._walked(query, ids, extra_keys, scope)

    def rank_among_narrowed(self, query: Query, ids: list[int], extra_keys: list[list[str]] | None,
                            scope: list[list[str]] | None, filters: list[list[str]], enough: int) -> tuple[list[tuple[int, float]], int]:
        scored = _scored(query, ids, extra_keys, scope, filters, enough)
        if scored is not None:
            return _best_first(scored[0]), scored[1]
        ranked = self._walked(query, ids, extra_keys, [*(scope or []), *filters] if scope is not None or filters else None)
        if len(ranked) >= enough:  # as many are left narrowed: no need to count those the narrowing drops
            return ranked, len(ranked)
        return ranked, len(self.match_among(Query(query.groups), ids, extra_keys, scope))

    def _walked(self, query: Query, ids: list[int], extra_keys: list[list[str]] | None,
                scope: list[list[str]] | None) -> list[tuple[int, float]]:
        # ``+rowid``: FTS5 walks its match list once and scores only the listed records; handed to FTS5
        # as a rowid constraint, bm25 would count every phrase's records again for each id.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {SCORE} AS score FROM {TABLE} WHERE {TABLE} MATCH %s "
                f"AND +rowid IN (SELECT value FROM json_each(%s)) ORDER BY score, rowid",
                (match_expression(query, extra_keys, scope), json.dumps(ids)),
            )
            return [(row[0], -float(row[1])) for row in cursor.fetchall()]

    def match_among(self, query: Query, ids: list[int], extra_keys: list[list[str]] | None,
                    scope: list[list[str]] | None = None) -> set[int]:
        scored = _scored(query, ids, extra_keys, scope)
        if scored is not None:
            return set(scored[0])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s AND +rowid IN (SELECT value FROM json_each(%s))",
                           (match_expression(query, extra_keys, scope), json.dumps(ids)))
            return {row[0] for row in cursor.fetchall()}

    def first_matches(self, query: Query, extra_keys: list[list[str]] | None, scope: list[list[str]], limit: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s",
                           (match_expression(query, extra_keys, scope), limit))
            return [row[0] for row in cursor.fetchall()]

    def records_with_token(self, token: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", ("{title_stem body_stem keys} : " + _quote(token),))
            return [row[0] for row in cursor.fetchall()]
