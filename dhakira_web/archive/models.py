"""The archive's tables. Choices come from the vocabularies declared in ``dhakira/schema``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from dhakira.schema import choices
from dhakira_web.archive.storage import (
    PACKED_WITH_FEATURE_KEYS,
    CompactJSONEncoder,
    CompressedJSONField,
    CompressedTextField,
    Sha256Field,
    SqliteCompressedTextField,
)


class Place(models.Model):
    """A canonical place: governorate, city, facility… (``key`` is the knowledge-base id)."""

    key = models.CharField(max_length=120, unique=True)
    name_en = models.CharField(max_length=300)
    name_ar = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=40)
    pcode = models.CharField(max_length=40, blank=True)
    governorate_pcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name_en


class Organisation(models.Model):
    """An organisation, armed group, outlet or authority (``key`` is the knowledge-base id)."""

    key = models.CharField(max_length=120, unique=True)
    name_en = models.CharField(max_length=300)
    name_ar = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=60, blank=True)

    def __str__(self) -> str:
        return self.name_en


class Person(models.Model):
    """A named person as written in a document. Persons are sensitive: their access level is their own."""

    name = models.CharField(max_length=300)
    normalised_name = models.CharField(max_length=300, db_index=True)
    access_level = models.CharField(max_length=20, choices=choices("access_levels"), default="restricted")
    # Person entities (see ``entities.persons``): every spelling seen, a blocking key, the knowledge-base
    # id when known, what the mentions say around the name, and whether a reviewer set the access level.
    names = models.JSONField(default=list, encoder=CompactJSONEncoder, blank=True)
    key = models.CharField(max_length=120, blank=True, db_index=True)
    kb_id = models.CharField(max_length=120, blank=True, db_index=True)
    context = models.JSONField(default=dict, encoder=CompactJSONEncoder, blank=True)
    access_reviewed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name


class Record(models.Model):
    """An archival record: one original document with its catalogue fields and clean text."""

    code = models.CharField(max_length=32, unique=True)
    title = models.TextField(blank=True)
    issuer = models.CharField(max_length=300, blank=True)
    issuer_organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="issued")
    document_type = models.CharField(max_length=40, choices=choices("document_types"), default="other")
    issue_date = models.CharField(max_length=10, blank=True)  # indexed by ``record_by_date`` (issue_date, id)
    issue_date_precision = models.CharField(max_length=10, choices=choices("date_precisions"), default="unknown")
    language = models.CharField(max_length=10, db_index=True)
    languages = models.JSONField(default=list, encoder=CompactJSONEncoder)
    geographic_area = models.CharField(max_length=500, blank=True)
    places = models.ManyToManyField(Place, blank=True, related_name="records")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="records")
    persons = models.ManyToManyField(Person, blank=True, related_name="records")
    source_url = models.URLField(max_length=2000, blank=True)
    source_name = models.CharField(max_length=500, blank=True)
    captured_at = models.DateTimeField()
    capture_method = models.CharField(max_length=40, default="manual_upload")
    reader = models.CharField(max_length=60, blank=True)
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=100)
    text = CompressedTextField()  # the clean text, compressed: no query reads it in SQL (docs/scale.md, "Disk")
    access_level = models.CharField(max_length=20, choices=choices("access_levels"), default="public", db_index=True)
    review_state = models.CharField(max_length=20, choices=choices("review_states"), default="machine_extracted")
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates")
    external_ids = models.JSONField(default=list, encoder=CompactJSONEncoder, blank=True)
    fields = models.JSONField(default=dict, encoder=CompactJSONEncoder, blank=True)
    paragraphs = models.JSONField(default=list, encoder=CompactJSONEncoder, blank=True)
    extraction = CompressedJSONField()  # read whole, never queried into: compressed (``storage.pack_json``)
    # Its MinHash fingerprint is kept apart (``RecordFingerprint``, migration 0029): the row then fits half a page.
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issue_date", "code"]
        indexes = [models.Index(fields=["issue_date", "id"], name="record_by_date"),
                   models.Index(fields=["captured_at"], name="record_by_capture")]  # the front page's newest records

    def __str__(self) -> str:
        return f"{self.code} {self.title[:60]}"

    @property
    def direction(self) -> str:
        return "rtl" if self.language == "ar" else "ltr"


class Incident(models.Model):
    """A real-world incident, reported by one or more records. Linking never merges or deletes claims."""

    title = models.CharField(max_length=500, blank=True)
    event_types = models.JSONField(default=list, encoder=CompactJSONEncoder)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents")
    date = models.CharField(max_length=10, blank=True, db_index=True)
    date_precision = models.CharField(max_length=10, choices=choices("date_precisions"), default="unknown")
    perpetrator = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=choices("incident_statuses"), default="alleged")
    suggested_credibility = models.CharField(max_length=20, blank=True)
    credibility_reasons = models.JSONField(default=list, encoder=CompactJSONEncoder, blank=True)
    records = models.ManyToManyField(Record, through="IncidentReport", related_name="incidents")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # A place page reads its newest incidents: walked in date order within the place, never over the archive's.
        indexes = [models.Index(fields=["place", "date", "id"], name="incident_by_place_date")]

    def __str__(self) -> str:
        return self.title or f"incident {self.pk}"


class IncidentReport(models.Model):
    """A record's report of an incident: the incident as that record tells it, and how it was linked."""

    DECISIONS = [("origin", "origin"), ("same", "same"), ("possible", "possible"), ("different", "different")]
    REVIEW = [("", "not reviewed"), ("confirmed", "confirmed"), ("rejected", "rejected")]
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reports")
    # Indexed by ``one_report_per_incident`` (record, position, incident): no index of its own.
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="incident_reports", db_index=False)
    position = models.PositiveIntegerField(default=0)
    reported = models.JSONField(default=dict, encoder=CompactJSONEncoder)
    decision = models.CharField(max_length=12, choices=DECISIONS, default="origin")
    score = models.FloatField(default=1.0)
    # The link's features (``linking``), read whole and never queried into: compressed (``storage.pack_json``).
    features = CompressedJSONField(dictionary=PACKED_WITH_FEATURE_KEYS)
    review = models.CharField(max_length=12, choices=REVIEW, blank=True, default="")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # The incident's date as this report gives it (``reported["date"]``), kept in step on every save, so
    # that the chronicle finds a month's incidents by a range over an index (``incidents.aggregate``).
    day = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "position", "incident"], name="one_report_per_incident")]
        indexes = [models.Index(fields=["day", "incident"], name="report_by_day")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.day = reported_day(self.reported)
        fields = kwargs.get("update_fields")
        if fields is not None and "reported" in fields and "day" not in fields:
            kwargs["update_fields"] = [*fields, "day"]
        super().save(*args, **kwargs)


def reported_day(reported: Any) -> str:
    """The date a report gives its incident (YYYY-MM-DD, YYYY-MM or YYYY), or empty."""
    value = reported.get("date") if isinstance(reported, dict) else None
    return str(value)[:10] if value else ""


class Claim(models.Model):
    """One fact read from a record: field, value, the span it was read from, who or what read it."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="claims")
    incident_report = models.ForeignKey(IncidentReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims")
    field = models.CharField(max_length=40)
    value = models.CharField(max_length=500)
    value_id = models.CharField(max_length=120, blank=True)  # no query looks claims up by it (migration 0027)
    qualifier = models.CharField(max_length=20, blank=True)
    what = models.CharField(max_length=60, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    extractor = models.CharField(max_length=200)  # a rule may name what it matched (a long facility name)
    confidence = models.FloatField(default=0.5)
    review = models.CharField(max_length=12, blank=True, default="")
    # Review (see ``review.claims``): a reviewer's correction is a new claim pointing at the claim it corrects.
    # Indexed only where set (``claim_corrections``): nearly every claim corrects none.
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="corrections",
                                 db_index=False)
    author = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)
    reviewed_by = models.CharField(max_length=150, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    stale = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["corrects"], condition=models.Q(corrects__isnull=False), name="claim_corrections")]


class Assessment(models.Model):
    """A reliability assessment of a record or an incident: ours (with assessor) or imported from a third party."""

    record = models.ForeignKey(Record, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments")
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments")
    scheme = models.CharField(max_length=40)
    value = models.CharField(max_length=40)
    assessed_by = models.CharField(max_length=200, blank=True)
    assessed_at = models.DateTimeField(auto_now_add=True)
    rationale = models.TextField(blank=True)
    imported = models.BooleanField(default=False)
    suggested = models.BooleanField(default=False)


class AuditEntry(models.Model):
    """Append-only log; each entry holds the hash of the previous one, so tampering shows."""

    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    record = models.ForeignKey(Record, null=True, blank=True, on_delete=models.SET_NULL, related_name="custody")
    target = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, encoder=CompactJSONEncoder)
    # SHA-256 digests, read and written as lowercase hex, kept as 32 bytes (migration 0030; docs/scale.md, "Disk").
    previous_hash = Sha256Field()
    entry_hash = Sha256Field(unique=True)
    details_hash = Sha256Field(blank=True, default="")
    erased = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class IngestFailure(models.Model):
    """A source that could not be ingested: quarantined with its reason, nothing else touched."""

    path = models.CharField(max_length=2000)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField()
    at = models.DateTimeField(auto_now_add=True)


class SearchEntry(models.Model):
    """The shadow texts the search backends index: normalised and stemmed, plus knowledge-base keys, and the filter
    tokens (access level, facet values) that narrow a match but never weigh in its rank."""

    record = models.OneToOneField(Record, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    title_stem = models.TextField(blank=True)
    # The long texts, kept compressed on SQLite (migration 0025; docs/scale.md, "Disk"), as text on PostgreSQL.
    body_stem = SqliteCompressedTextField()
    body_norm = SqliteCompressedTextField()
    keys = models.TextField(blank=True)
    filters = models.TextField(blank=True, default="")


class SearchToken(models.Model):
    """How many records hold an index token, and the state of its head (see ``search.heads``)."""

    token = models.CharField(max_length=100, primary_key=True)
    documents = models.IntegerField(default=0)
    has_head = models.BooleanField(default=False)
    head_size = models.IntegerField(default=0)
    head_floor = models.FloatField(default=0.0)


class SearchHead(models.Model):
    """One entry of a frequent token's head: a record among those where the token weighs most."""

    # Keyed by (token, record), without a row id on SQLite (migration 0023): the table is its own index of a
    # token's head (read whole: a head holds ``heads.head_depth`` entries, a share of its token's records, ordered by
    # impact as it is read) and
    # keeps one entry a record; the record's index serves taking a record out of every head.
    pk = models.CompositePrimaryKey("token", "record")
    token = models.CharField(max_length=100)
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    impact = models.FloatField()


class RecordFacet(models.Model):
    """One value of a many-valued facet of a record (governorate, facility, event type, organisation…).

    Facets are read from these rows, never parsed from text at query time.
    """

    # Keyed by (record, name, value), without a row id on SQLite (migration 0020): the table is its own index of
    # a record's facets, and ``facet_by_value`` the other (covering: the records of a value).
    pk = models.CompositePrimaryKey("record", "name", "value")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="facets", db_index=False)
    name = models.CharField(max_length=30)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["name", "value", "record"], name="facet_by_value")]


# Tables of each concern, kept in their own subpackages but part of the archive app.
from dhakira_web.archive.cleaning.models import SiteTemplate  # noqa: E402,F401  (site templates)
from dhakira_web.archive.counts.models import ArchiveGeneration  # noqa: E402,F401  (raised by triggers; kept counts)
from dhakira_web.archive.entities.models import PersonMention  # noqa: E402,F401 - entity tables live in the archive app
from dhakira_web.archive.jobs.models import (  # noqa: E402,F401  (lead vectors, fingerprints, linking parts and blocks, near-duplicate bands)
    LinkBlock,
    LinkingParts,
    NearDuplicateBand,
    RecordEmbedding,
    RecordFingerprint,
)
from dhakira_web.archive.protection.models import ApiToken, Redaction  # noqa: E402,F401
from dhakira_web.archive.review.models import ReviewStep, SourceGrade  # noqa: E402,F401  (review and grading)
