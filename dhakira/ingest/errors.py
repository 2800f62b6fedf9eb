"""The one error type of ingestion."""


class IngestError(Exception):
    """A source that cannot be ingested; the message tells the user why and what to do."""
