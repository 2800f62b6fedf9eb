"""Full-text search over records, behind one interface with a backend per database.

Both backends index the same shadow text made in Python (``dhakira.text``): stems, normalised
words and knowledge-base keys, so SQLite FTS5 and PostgreSQL return the same records.

``search`` gives one page of hits and the total; ``matching_records`` gives the same matches as a lazy
queryset to compose with in SQL (facet counts). ``crosslingual.expand`` turns names in a query into
the knowledge-base ids passed as ``extra_keys``. Every caller passes records already limited by the
access policy: the backends only ever narrow that set.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from dhakira.text import normalised_text, stemmed_text
from dhakira.text.normalise import word_forms
from dhakira.text.query import Query, parse_query
from dhakira_web.archive.models import Record, RecordFacet, SearchEntry, SearchToken
from dhakira_web.archive.rows import insert_objects
from dhakira_web.archive.search import heads
from dhakira_web.archive.search.backend import Backend


def public_text(record: Record, text: str) -> str:
    """``text`` of ``record`` as an anonymous visitor may read it (``policy.public_text``, imported late)."""
    from dhakira_web.archive.policy import public_text as shown

    return shown(record, text)


@dataclass(frozen=True)
class SearchPage:
    """One page of results: the number of matches (``exact`` or a lower bound) and ``(record id, score)`` in order."""

    total: int
    hits: list[tuple[int, float]]
    query: Query
    exact: bool = True
    first_ids: list[int] | None = None  # with ``search(…, sample=n)``: the first n matches, as ``first_matches`` reads them


def backend() -> Backend:
    """The backend for the database in use."""
    if connection.vendor == "postgresql":
        from dhakira_web.archive.search.postgresql import PostgresBackend

        return PostgresBackend()
    from dhakira_web.archive.search.sqlite import SqliteBackend

    return SqliteBackend()


def key_token(key: str) -> str:
    """A knowledge-base id (``fac:hama-central-prison``) as one index token (``kfachamacentralprison``)."""
    return "k" + "".join(char for char in key.lower() if char.isalnum())


def filter_token(name: str, value: str) -> str:
    """One access level or facet value (``language=ar``) as an index token, so that filters narrow a match in the index."""
    return "f" + hashlib.blake2b(f"{name}={value}".encode(), digest_size=8).hexdigest()


def filter_tokens(record: Record, facets: set[tuple[str, str]] | None = None) -> list[str]:
    """The filter tokens of a record: its access level and every value of its facet rows (``facets`` when
    the caller has just written them)."""
    if facets is None:
        return filter_tokens_many([record])[record.pk]
    pairs = {("access_level", record.access_level)} | {(name, value[:200]) for name, value in facets}
    return sorted(filter_token(name, value) for name, value in pairs)


def filter_tokens_many(records: list[Record]) -> dict[int, list[str]]:
    """``filter_tokens`` of many records, by record id, in one query."""
    pairs: dict[int, set[tuple[str, str]]] = {record.pk: {("access_level", record.access_level)} for record in records}
    for record_id, name, value in RecordFacet.objects.filter(record_id__in=list(pairs)).values_list("record_id", "name", "value"):
        pairs[record_id].add((name, value))
    return {record_id: sorted(filter_token(name, value) for name, value in held) for record_id, held in pairs.items()}


def shadow_texts(title: str, text: str, forms: list[tuple[str, str]] | None = None) -> dict[str, str]:
    """The search texts of a record of this title and text. Made where a document is read (a worker process
    of ``dhakira ingest``), they are used when nothing of the record is hidden and its title is ``title``.
    ``forms``: ``word_forms(text)`` when they are at hand (a token never spans the line break, so the body's
    forms are the title's followed by the text's)."""
    title_forms = word_forms(title)
    body = title_forms + (word_forms(text) if forms is None else forms)
    return {"title_stem": " ".join(word_stem for _, word_stem in title_forms), "body_stem": " ".join(word_stem for _, word_stem in body),
            "body_norm": " ".join(norm for norm, _ in body), "title": title}


def refresh_filter_tokens(record: Record) -> None:
    """Rewrite the filter tokens of an indexed record after its facets or access level changed."""
    refresh_filter_tokens_many([record])


def refresh_filter_tokens_many(records: list[Record]) -> None:
    """``refresh_filter_tokens`` for many records: one read, one write of the entries (records not indexed are left alone)."""
    entries = list(SearchEntry.objects.filter(record_id__in=[record.pk for record in records]))
    if not entries:
        return
    tokens = filter_tokens_many([record for record in records if record.pk in {entry.record_id for entry in entries}])
    for entry in entries:
        entry.filters = " ".join(tokens[entry.record_id])
    SearchEntry.objects.bulk_update(entries, ["filters"], batch_size=500)


def index_record(record: Record, keys: list[str] | None = None, *, fresh: bool = False,
                 facets: set[tuple[str, str]] | None = None, shadow: dict[str, str] | None = None) -> None:
    """Write the record's shadow texts; the database keeps the full-text index in step, ``heads`` the rest.

    The ``keys`` column holds knowledge-base ids (``k…``), the ``filters`` column filter tokens (``f…``), which
    narrow a match and never weigh in its rank. A ``fresh`` record
    (being ingested) has no entry yet; ``facets`` are its facet values just written, ``shadow`` its
    search texts made elsewhere (used only when nothing of its title and text is hidden).
    """
    if not fresh:
        index_records([(record, keys or [])])
        return
    index_new_records([(record, keys or [], facets, shadow)])


def index_new_records(new: list[tuple[Record, list[str], set[tuple[str, str]] | None, dict[str, str] | None]]) -> None:
    """``index_record(fresh=True)`` for records just written (record, keys, facet values, search texts made
    elsewhere): their entries in one insert, their token counts and heads in one update."""
    from dhakira_web.archive.policy import hidden_phrases
    entries: list[SearchEntry] = []
    for record, keys, facets, shadow in new:
        if shadow is None or shadow.get("title") != record.title or hidden_phrases(None, record):
            shadow = shadow_texts(public_text(record, record.title), public_text(record, record.text))
        key_tokens = sorted({key_token(key) for key in keys})
        entries.append(SearchEntry(record=record, keys=" ".join(key_tokens), filters=" ".join(filter_tokens(record, facets)),
                                   title_stem=shadow["title_stem"], body_stem=shadow["body_stem"], body_norm=shadow["body_norm"]))
    insert_objects(SearchEntry, entries)
    heads.records_indexed([(entry.record_id, None, entry) for entry in entries])


def index_records(indexed: list[tuple[Record, list[str]]]) -> None:
    """``index_record`` for many records at once (an import's batch): one read and one write of their entries,
    one update of token counts and heads for the lot."""
    _write_entries([(record, sorted({key_token(key) for key in keys})) for record, keys in indexed])


def reindex_record(record: Record, dropped_keys: set[str] | frozenset[str] = frozenset()) -> None:
    """Index the record's text again (after a redaction), keeping its key tokens but ``dropped_keys``."""
    entry = SearchEntry.objects.filter(record=record).first()
    kept = [token for token in (entry.keys.split() if entry else []) if token.startswith("k")]
    dropped = {key_token(key) for key in dropped_keys}
    _write_entries([(record, [token for token in kept if token not in dropped])])


def _entry(record: Record, key_tokens: list[str], filter_tokens_: list[str]) -> SearchEntry:
    """The search entry of ``record`` (its hidden phrases read: ``policy.read_hidden_phrases``)."""
    title = public_text(record, record.title)
    body = f"{title}\n{public_text(record, record.text)}"
    return SearchEntry(record_id=record.pk, title_stem=stemmed_text(title), body_stem=stemmed_text(body),
                       body_norm=normalised_text(body), keys=" ".join(key_tokens), filters=" ".join(filter_tokens_))


def entry_made_again(record: Record) -> SearchEntry | None:
    """The search entry of ``record`` made again from the record (its keys and filters as kept), for an entry whose
    packed texts cannot be read (a damaged value): the tokens it was indexed by, to take them out. None without one."""
    from dhakira_web.archive.policy import read_hidden_phrases

    kept = SearchEntry.objects.filter(record_id=record.pk).values_list("keys", "filters").first()
    if kept is None:
        return None
    read_hidden_phrases(None, [record])
    return _entry(record, kept[0].split(), kept[1].split())


def _write_entries(written: list[tuple[Record, list[str]]]) -> None:
    """Write the shadow texts of what an anonymous visitor may read: redacted phrases and protected
    persons' names are never indexed, so no query finds or counts a record by them (docs/protection.md)."""
    from dhakira_web.archive.policy import forget_hidden, read_hidden_phrases

    if not written:
        return
    records = [record for record, _ in written]
    for record in records:
        forget_hidden(record)
    read_hidden_phrases(None, records)
    before = {entry.record_id: entry for entry in SearchEntry.objects.filter(record_id__in=[record.pk for record in records])}
    tokens = filter_tokens_many(records)
    after: list[SearchEntry] = []
    for record, key_tokens in written:
        after.append(_entry(record, key_tokens, tokens[record.pk]))
    fields = ["title_stem", "body_stem", "body_norm", "keys", "filters"]
    SearchEntry.objects.bulk_update([entry for entry in after if entry.record_id in before], fields, batch_size=200)
    SearchEntry.objects.bulk_create([entry for entry in after if entry.record_id not in before], batch_size=200)
    heads.records_indexed([(entry.record_id, before.get(entry.record_id), entry) for entry in after])


def search(
    text: str | Query,
    records: QuerySet[Record],
    *,
    limit: int = 20,
    offset: int = 0,
    order: str = "relevance",
    extra_keys: list[list[str]] | None = None,
    scope: list[list[str]] | None = None,
    sample: int = 0,
    hidden: Callable[[], int] | None = None,
    filters: int = 0,
) -> SearchPage:
    """Records of ``records`` (already limited by the access policy and filters) that match ``text``.

    With ``sample`` (and ``scope``), the page also holds the ids of the first ``sample`` matches in the index's
    order (``first_ids``, for the facet panel): the matches are then counted by reading those ids, so the
    index is read once for both.

    ``scope``, when given, says the same as ``records`` in filter tokens (groups of ``filter_token``, one
    of each group required), so that the index itself narrows the matches.

    ``filters``: how many of the last groups of ``scope`` are the reader's filters (facet values), the others
    being the access policy's. A filter never weighs in the rank, so the head candidates that pass it are the
    first of its result set (see ``_trusted``).

    ``extra_keys`` holds, per query group, knowledge-base ids the group may also match (a place or an
    organisation named in the query), so that a query reaches records in the other language.

    ``hidden``, when given, tells how many records of the archive ``records`` leaves out (asked only when needed),
    ``scope`` holding the access policy's groups alone (no filter): a query of one word that more than that many plus
    the count limit records hold is then known to match beyond the limit without counting (see ``_known_beyond``).

    The total is exact up to ``count_limit()``; above it the page says so (``exact`` is False) and
    holds that limit. Queries matching at most ``FULL_RANKING`` records rank every match; larger
    ones rank the candidates named by the heads of their tokens (see ``heads``), and date order
    walks the records newest first, keeping those that match.
    """
    query = parse_query(text) if isinstance(text, str) else text
    if query.empty:
        return SearchPage(0, [], query)
    engine = backend()
    limit_of_count = count_limit()
    first_ids = None
    if sample and scope is not None:
        first_ids = engine.first_matches(query, extra_keys, scope, max(limit_of_count, FULL_RANKING, sample) + 1)
        counted = len(first_ids)
    elif engine.ranks_before_counting:
        counted, hits = _ranked_before_counting(engine, query, records, extra_keys, scope, offset, limit, order, hidden, filters)
        return SearchPage(min(counted, limit_of_count), hits, query, counted <= limit_of_count)
    else:
        counted = engine.count(query, records, extra_keys, max(limit_of_count, FULL_RANKING) + 1, scope)
    exact = counted <= limit_of_count
    total = min(counted, limit_of_count)
    wanted = offset + limit
    hits: list[tuple[int, float]] | None = None
    if counted > FULL_RANKING and order == "date":
        hits = _newest_matching(engine, query, records, extra_keys, wanted, scope)[offset:wanted]
    elif counted > FULL_RANKING:
        hits = _ranked_pages(engine, query, records, extra_keys, offset, limit, scope, counted,
                             counted <= max(limit_of_count, FULL_RANKING), filters)
    if hits is None:
        hits = engine.search(query, records, limit=limit, offset=offset, order=order, extra_keys=extra_keys, scope=scope)
    return SearchPage(total, hits, query, exact, first_ids[:sample] if first_ids is not None else None)


FULL_RANKING = 2_000


def count_limit() -> int:
    """Totals are counted exactly up to this many matches (setting ``DHAKIRA_SEARCH_COUNT_LIMIT``); beyond, the
    page says "more than". Counting further costs every query of a common word its speed (on PostgreSQL,
    one heap row read per match counted), and no reader pages through thousands of results."""
    return int(getattr(settings, "DHAKIRA_SEARCH_COUNT_LIMIT", 2_000))


def facet_sample() -> int:
    """The facet panel of a search counts at most this many matches (setting ``DHAKIRA_FACET_SAMPLE``); beyond,
    it counts the first ones and says so: counting tens of thousands of matches' facets costs a page its speed."""
    return int(getattr(settings, "DHAKIRA_FACET_SAMPLE", 1_000))


def ranking_tokens(query: Query, extra_keys: list[list[str]] | None) -> list[str]:
    """The index tokens whose heads name candidates for ``query``: stems of its terms and key tokens."""
    tokens = [stem for group in query.groups for term in group for stem in term.stems]
    tokens += [key_token(key) for keys in extra_keys or [] for key in keys]
    return tokens


FIRST_PAGES = 100
FILTERED_FIRST_PAGE = 20  # head candidates a filter must leave (besides ``FIRST_PAGES`` before it) to rank a filtered query


def _trusted(ranked: list[tuple[int, float]], unfiltered: int, narrowed: bool) -> bool:
    """Whether the ranked head candidates may head the result set: at least ``FIRST_PAGES`` of them match; or, for a
    query ``narrowed`` by filters or excluded words, at least ``FIRST_PAGES`` match its words within the access
    policy (``unfiltered``: what the same query without them would rank) and ``FILTERED_FIRST_PAGE`` are left.

    A filter or an excluded word narrows the match and never weighs in the rank (filter tokens are weighed 0 on
    SQLite and left out of the ranking query on PostgreSQL; an excluded word is in no record kept), so the
    candidates left are ranked as the query without them ranks them: those of a head rank first among the narrowed
    matches as they do among all, however few of them are left.
    """
    return len(ranked) >= FIRST_PAGES or (narrowed and unfiltered >= FIRST_PAGES and len(ranked) >= FILTERED_FIRST_PAGE)


def _ranked_before_counting(engine: Backend, query: Query, records: QuerySet[Record], extra_keys: list[list[str]] | None,
                            scope: list[list[str]] | None, offset: int, limit: int, order: str,
                            hidden: Callable[[], int] | None = None, filters: int = 0) -> tuple[int, list[tuple[int, float]]]:
    """``search``'s count and page for a backend whose passes over its full-text index are dear (PostgreSQL): the same
    pages as counting first, from fewer passes.

    A query with a frequent word ranks its head candidates first (by primary key, no pass over the index); when at
    least ``FIRST_PAGES`` of them match, the matches are counted (one pass) and, beyond ``FULL_RANKING``, pages are cut
    from the candidates and then every other match. Otherwise, and for a query of rarer words, every match is
    ranked and counted in one pass (``search_counted``), where counting first made it two. Date order of a query
    with a frequent word counts first, then walks the newest records when the matches are many. Neither counts when
    the kept token counts already say that the matches are beyond the bound (``_known_beyond``).
    """
    bound = max(count_limit(), FULL_RANKING) + 1
    held = _held(query, extra_keys)

    def counted_matches() -> int:
        if _known_beyond(query, extra_keys, held, hidden, bound):
            return bound
        return engine.count(query, records, extra_keys, bound, scope)

    if held and order == "date":
        counted = counted_matches()
        if counted <= offset:  # no match, or a page past the last: nothing more to read
            return counted, []
        if counted > FULL_RANKING:
            return counted, _newest_matching(engine, query, records, extra_keys, offset + limit, scope)[offset:offset + limit]
        return counted, engine.search(query, records, limit=limit, offset=offset, order=order, extra_keys=extra_keys, scope=scope)
    if held:
        ranked, unfiltered = _candidates_ranked(engine, query, records, extra_keys, scope, held, filters)
        if _trusted(ranked, unfiltered, bool(filters or query.excluded)):
            counted = counted_matches()
            if counted <= offset:
                return counted, []
            if counted > FULL_RANKING:
                return counted, _page_after_candidates(engine, ranked, query, records, extra_keys, offset, limit, scope)
            return counted, engine.search(query, records, limit=limit, offset=offset, order=order, extra_keys=extra_keys, scope=scope)
    hits, counted = engine.search_counted(query, records, limit=limit, offset=offset, order=order, extra_keys=extra_keys, scope=scope)
    if counted is None:  # a page past the last match
        counted = engine.count(query, records, extra_keys, bound, scope)
    return counted, hits


def _known_beyond(query: Query, extra_keys: list[list[str]] | None, held: dict[str, int], hidden: Callable[[], int] | None,
                  bound: int) -> bool:
    """Whether a query of one group (words or names joined by OR, nothing excluded), within the access policy alone,
    surely matches at least ``bound`` records the reader may see: one of its words (a stem, not in a quoted phrase)
    or names is held by at least ``bound`` records more than the ``hidden`` ones the reader may not see. Every record
    holding that token matches the group, and the token counts are kept exact at indexing (``heads``), so the bounded
    count (a pass over the GIN index building the bitmap of every match: about 10 ms for a common word at 100,000
    records) would stop at ``bound`` anyway: the total reads "more than" the count limit either way."""
    if hidden is None or len(query.groups) != 1 or query.excluded:
        return False
    tokens = [term.stems[0] for term in query.groups[0] if not term.phrase and term.stems]
    tokens += [key_token(key) for key in (extra_keys[0] if extra_keys else [])]
    # Letters and digits alone: the text-search parser reads such a token whole, in the records as in the query.
    most = max((held.get(token, 0) for token in tokens if token.isalnum() and token == token.lower()), default=0)
    return most >= bound and most - hidden() >= bound


def _held(query: Query, extra_keys: list[list[str]] | None) -> dict[str, int]:
    """The query's ranking tokens that have a head, with how many records hold each."""
    return dict(SearchToken.objects.filter(token__in=set(ranking_tokens(query, extra_keys)), has_head=True)
                .values_list("token", "documents"))


def _rarest_group(query: Query, extra_keys: list[list[str]] | None, held: dict[str, int]) -> dict[str, int]:
    """The tokens of ``held`` whose heads name the candidates: those of the query's rarest group (the fewest records
    hold its words and names) among the groups whose every token held by a record has a head, else all of ``held``.

    Every match holds a token of each group, and where the rank weighs rarity (``Backend.weighs_rarity``) the rarest
    group's words weigh most in it (their idf is the highest), so the records where they weigh most are the first candidates; the heads of the other groups' commoner
    words add hundreds of candidates (five words and a name: more than 2,000) that each cost a read and a score.
    """
    if len(query.groups) < 2:
        return held
    groups = [{stem for term in group for stem in term.stems} | {key_token(key) for key in (extra_keys[index] if extra_keys
              and index < len(extra_keys) else [])} for index, group in enumerate(query.groups)]
    documents = dict(SearchToken.objects.filter(token__in=set().union(*groups)).values_list("token", "documents"))
    # A token no record holds names no candidate; a group with a token too rare for a head cannot name them all.
    headed = [tokens for group in groups if (tokens := {token for token in group if documents.get(token, 0) > 0}) <= set(held)]
    if not headed:
        return held
    rarest = min(headed, key=lambda tokens: sum(documents[token] for token in tokens))
    return {token: held[token] for token in rarest}


def _candidates_ranked(engine: Backend, query: Query, records: QuerySet[Record], extra_keys: list[list[str]] | None,
                       scope: list[list[str]] | None, held: dict[str, int], filters: int = 0) -> tuple[list[tuple[int, float]], int]:
    """The matches among the whole heads of ``held``, ranked by the backend; with how many of them match the query's
    words within the access policy alone: neither the last ``filters`` groups of ``scope`` (the reader's filters)
    nor the query's excluded words taken into account. A query with the reader's filters takes its candidates from
    the deep heads instead (``_filtered_candidates_ranked``; none when too few match)."""
    if filters and scope is not None:
        return _filtered_candidates_ranked(engine, query, extra_keys, scope, held) or [], FIRST_PAGES
    named = heads.candidates(_rarest_group(query, extra_keys, held) if engine.weighs_rarity else held, heads.HEAD_SIZE)
    if scope is None and named:
        named = list(records.filter(pk__in=named).values_list("pk", flat=True))
    if not named:
        return [], 0
    if filters or query.excluded:
        kept = None if scope is None else scope[:len(scope) - filters]
        return engine.rank_among_narrowed(query, named, extra_keys, kept, [] if scope is None else scope[len(kept or []):],
                                          FIRST_PAGES)
    ranked = engine.rank_among(query, named, extra_keys, scope)
    return ranked, len(ranked)


FILTERED_CANDIDATES = 200  # head entries passing the filters ranked for a filtered query (``_filtered_candidates_ranked``)


def _filtered_candidates_ranked(engine: Backend, query: Query, extra_keys: list[list[str]] | None, scope: list[list[str]],
                                held: dict[str, int]) -> list[tuple[int, float]] | None:
    """The first candidates of a query narrowed by the reader's filters, ranked: the first ``FILTERED_CANDIDATES``
    entries of the heads (as deep as they go) whose records pass every group of ``scope``, the access policy's and the
    filters', ranked by the backend; None when fewer than ``FILTERED_FIRST_PAGE`` of them match (the whole result set
    is then ranked; fewer than ``FIRST_PAGES`` where that is the smaller).

    A filter never weighs in the rank, so the filtered records a head holds rank first among the filtered matches
    as they do among all; walking down the deep heads (``heads.head_depth``: a share of a token's records) past the
    entries a narrow filter drops keeps about as many candidates at a million records as at a hundred thousand, and
    only those are read and scored. Pages are cut from them, then every other match, as for the whole heads."""
    tokens = _rarest_group(query, extra_keys, held) if engine.weighs_rarity else held
    named = heads.filtered_candidates(tokens, scope, FILTERED_CANDIDATES)
    if not named:
        return None
    ranked = engine.rank_among(query, named, extra_keys, scope)
    # Every candidate passes the filters and holds a word of the rarest group: they are trusted as the whole heads
    # filtered are when enough of them match every word (``_trusted``).
    return ranked if _trusted(ranked, FIRST_PAGES, narrowed=True) else None


def _ranked_candidates(engine: Backend, query: Query, records: QuerySet[Record], extra_keys: list[list[str]] | None,
                       scope: list[list[str]] | None, total: int, exact: bool, filters: int = 0) -> list[tuple[int, float]] | None:
    """The matches among the candidates of the heads, ranked by the backend; None when no token has a head,
    or when too few candidates match to trust them (``_trusted``: a second word, or a filter, leaves too few of
    them; the whole result set is then ranked).

    The candidates are the whole heads of the query's tokens: they depend on the query and the archive only,
    never on the page asked for, so every page is cut from one list. The backend walks the query's matches
    once to rank them, whatever their number, so one call over the whole heads costs about what half of
    them does. When the exact total says that too few of them can match (a head holds about ``total /
    documents`` of the matches, ``documents`` being how many records hold its token), that call is not made.
    """
    held = _held(query, extra_keys)
    if not held:
        return None
    narrowed = bool(filters or query.excluded)
    needed = FILTERED_FIRST_PAGE if narrowed else FIRST_PAGES
    # The estimate is of the first ``HEAD_SIZE`` entries; a filtered query walks its deep heads further.
    if exact and not (filters and scope is not None) and sum(heads.HEAD_SIZE * min(1.0, total / max(documents, 1)) for documents in held.values()) < needed:
        return None
    ranked, unfiltered = _candidates_ranked(engine, query, records, extra_keys, scope, held, filters)
    return ranked if _trusted(ranked, unfiltered, narrowed) else None


def _ranked_pages(engine: Backend, query: Query, records: QuerySet[Record], extra_keys: list[list[str]] | None,
                  offset: int, limit: int, scope: list[list[str]] | None, total: int, exact: bool,
                  filters: int = 0) -> list[tuple[int, float]] | None:
    """A page of a large result set in relevance order: the ranked head candidates first, then every other
    match as the backend ranks it. Pages are disjoint and together hold every match (each once)."""
    ranked = _ranked_candidates(engine, query, records, extra_keys, scope, total, exact, filters)
    if ranked is None:
        return None
    return _page_after_candidates(engine, ranked, query, records, extra_keys, offset, limit, scope)


def _page_after_candidates(engine: Backend, ranked: list[tuple[int, float]], query: Query, records: QuerySet[Record],
                           extra_keys: list[list[str]] | None, offset: int, limit: int,
                           scope: list[list[str]] | None) -> list[tuple[int, float]]:
    """The page at ``offset`` of the list made of the ranked candidates, then every other match as the backend ranks it."""
    wanted = offset + limit
    page = ranked[offset:wanted]
    if wanted > len(ranked):
        page += engine.search(query, records, limit=wanted - max(offset, len(ranked)), offset=max(0, offset - len(ranked)),
                              order="relevance", extra_keys=extra_keys, scope=scope,
                              exclude=[record_id for record_id, _ in ranked])
    return page


def _newest_matching(engine: Backend, query: Query, records: QuerySet[Record], extra_keys: list[list[str]] | None,
                     wanted: int, scope: list[list[str]] | None) -> list[tuple[int, float]]:
    """The newest ``wanted`` matches: records walked by issue date, newest first, in growing slices.

    With ``scope`` the archive's records are walked (the index applies the filters), which is fastest when the
    filters keep some of the newest records (a facility, an event type). When the first ``NEWEST_TRIED`` records
    give no match (a year long past: at 1,000,000 records the walk would read most of the archive slice by slice),
    the records the filters keep are walked instead, from the start (nothing was found before them).
    """
    walked = Record.objects.all() if scope is not None else records
    newest = walked.order_by("-issue_date", "-id").values_list("pk", flat=True)
    found: list[tuple[int, float]] = []
    start, size = 0, max(FIRST_SLICE, 4 * wanted)
    while len(found) < wanted:
        if not found and start >= NEWEST_TRIED and walked is not records:
            walked = records
            newest = walked.order_by("-issue_date", "-id").values_list("pk", flat=True)
            start, size = 0, max(FIRST_SLICE, 4 * wanted)
        ids = list(newest[start:start + size])
        if not ids:
            break
        matched = engine.match_among(query, ids, extra_keys, scope)
        found += [(record_id, 0.0) for record_id in ids if record_id in matched]
        start += size
        size = min(size * 4, 50_000)
    return found


FIRST_SLICE = 256  # records in the first slice of a date-order walk (then four times more each slice)
NEWEST_TRIED = 1_280  # the first two slices


def first_matching_records(text: str | Query, records: QuerySet[Record], *, extra_keys: list[list[str]] | None = None,
                           scope: list[list[str]] | None = None, first: int) -> QuerySet[Record]:
    """The first ``first`` matches, as ``matching_records(…, first=first)`` gives them, read from the full-text
    index alone when ``scope`` says in filter tokens what ``records`` holds (``search``): one bounded index
    read, then the records checked against ``records`` by primary key, never a join the planner may walk
    the whole archive for. Without ``scope``, ``matching_records``.
    """
    query = parse_query(text) if isinstance(text, str) else text
    if scope is None or query.empty:
        return matching_records(query, records, extra_keys=extra_keys, first=first)
    return records_among(records, backend().first_matches(query, extra_keys, scope, first))


def records_among(records: QuerySet[Record], ids: list[int]) -> QuerySet[Record]:
    """The records of ``records`` (the policy and filters) whose ids are in ``ids``, the list passed whole as one
    parameter (thousands of ids make no statement of thousands of parameters)."""
    if connection.vendor == "postgresql":
        listed = RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    else:
        listed = RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))
    return records.filter(pk__in=listed)


def matching_records(
    text: str | Query, records: QuerySet[Record], *, extra_keys: list[list[str]] | None = None, first: int | None = None
) -> QuerySet[Record]:
    """The records of ``records`` matching ``text``, as a lazy queryset composed in SQL (never a list of ids).

    An empty query matches every record of ``records``. With ``first``, only the first that many matches the
    index yields (a bounded sample: the database stops reading there, however common the words are).
    """
    query = parse_query(text) if isinstance(text, str) else text
    if query.empty:
        return records if first is None else Record.objects.filter(pk__in=records.order_by().values("id")[:first])
    sql, params = backend().matching(query, records, extra_keys)
    if first is not None:
        sql = f"{sql} LIMIT {int(first)}"
    return Record.objects.filter(pk__in=RawSQL(sql, params))
