"""The one error type of ingestion."""


class IngestError(Exception):
    """A source that cannot be ingested; the message tells the user why and what to do."""


def readable_name(name: str) -> str:
    """A file name or path as text every database takes.

    Bytes of a name that are not UTF-8 reach Python as lone surrogates, which neither SQLite's driver
    nor PostgreSQL accepts; they are written as ``\\xNN`` escapes, so the name stays recognisable and
    tells which bytes it held.
    """
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")
