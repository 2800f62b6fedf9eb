"""Fetch a URL safely: no requests to this machine, the local network or cloud metadata services.

Every hop (the URL and each redirect, followed here, at most :data:`MAX_REDIRECTS`) is resolved and
each address checked: loopback, private, link-local, multicast, reserved, unspecified, shared and
metadata addresses are refused unless the host is in ``allow_hosts``. The connection then goes to the
very address that was checked (no second DNS lookup, so no DNS-rebinding window); TLS still checks
the certificate against the host name. Timeouts bound connecting, each read and the whole download;
the size cap applies while streaming. Only the standard library is used.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from dhakira.documents import Document
from dhakira.ingest.errors import IngestError
from dhakira.ingest.limits import MEGABYTE, Limits

MAX_REDIRECTS = 5
USER_AGENT = "Dhakira/0.1 (human-rights documentation archive)"
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "168.63.129.16")
)
_REDIRECTS = {301, 302, 303, 307, 308}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Fetched:
    """A downloaded original: its bytes, the URL after redirects, the Content-Type, when (UTC)."""

    data: bytes
    final_url: str
    content_type: str | None
    fetched_at: dt.datetime


def is_public_address(address: IPAddress) -> bool:
    """True only for a globally routable unicast address that is not a cloud metadata service."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public_address(mapped)
        if address.teredo is not None:
            return False
    if address in METADATA_ADDRESSES:
        return False
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def _resolve(host: str, port: int) -> list[IPAddress]:
    """All addresses of a host (an IP literal resolves to itself without any lookup)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise IngestError(f"cannot resolve host {host!r}: {error}") from error
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise IngestError(f"cannot resolve host {host!r}")
    return addresses


def _checked_addresses(host: str, port: int, allow_hosts: frozenset[str]) -> list[IPAddress]:
    addresses = _resolve(host, port)
    if host.lower().rstrip(".") in allow_hosts:
        return addresses
    for address in addresses:
        if not is_public_address(address):
            raise IngestError(
                f"refused URL: host {host!r} is {address}, a loopback, private, link-local, reserved or "
                f"metadata address (allow the host explicitly to fetch from it)"
            )
    return addresses


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a fixed, already checked address; the Host header keeps the name."""

    def __init__(self, host: str, port: int, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self._address), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a fixed, already checked address; SNI and certificate check use the host name."""

    def __init__(self, host: str, port: int, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((str(self._address), self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def _request_once(
    url: str, allow_hosts: frozenset[str], timeout: float, deadline: float, max_bytes: int
) -> tuple[int, str | None, str | None, bytes]:
    """One GET without following redirects: (status, Location, Content-Type, body)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise IngestError(f"refused URL: only http and https are fetched, not {parts.scheme or 'no scheme'!r}")
    host = parts.hostname
    if not host:
        raise IngestError(f"refused URL: no host in {url!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise IngestError(f"refused URL: bad port in {url!r}") from error
    addresses = _checked_addresses(host, port, allow_hosts)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    last_error: Exception | None = None
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise IngestError(f"timed out fetching {url}")
        connection = connection_class(host, port, address, min(timeout, remaining))
        try:
            connection.request(
                "GET", path, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity", "Accept": "*/*"}
            )
            response = connection.getresponse()
            status = response.status
            location = response.getheader("Location")
            content_type = response.getheader("Content-Type")
            if status in _REDIRECTS:
                return status, location, content_type, b""
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise IngestError(f"the download is {length} bytes, more than the limit of {max_bytes}")
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise IngestError(f"timed out fetching {url}")
                chunk = response.read1(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise IngestError(f"the download is larger than the limit of {max_bytes} bytes")
                chunks.append(chunk)
            return status, location, content_type, b"".join(chunks)
        except IngestError:
            raise
        except TimeoutError as error:
            raise IngestError(f"timed out fetching {url}") from error
        except ssl.SSLError as error:
            raise IngestError(f"TLS error fetching {url}: {error}") from error
        except (OSError, http.client.HTTPException) as error:
            last_error = error
        finally:
            connection.close()
    raise IngestError(f"cannot fetch {url}: {last_error}")


def fetch_url(
    url: str,
    *,
    allow_hosts: Iterable[str] = frozenset(),
    timeout: float = 20.0,
    max_bytes: int = 100 * MEGABYTE,
) -> Fetched:
    """Download ``url`` safely (see the module docstring); :class:`IngestError` on any refusal or failure.

    ``timeout`` bounds each connect and read and also the whole download including redirects.
    """
    allowed = frozenset(host.lower().rstrip(".") for host in allow_hosts)
    deadline = time.monotonic() + timeout
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        status, location, content_type, data = _request_once(current, allowed, timeout, deadline, max_bytes)
        if status in _REDIRECTS:
            if not location:
                raise IngestError(f"the server answered {status} without a Location")
            current = urljoin(current, location)
            continue
        if status >= 400:
            raise IngestError(f"the server answered {status} for {current}")
        return Fetched(data, current, content_type, dt.datetime.now(dt.UTC))
    raise IngestError(f"refused URL: more than {MAX_REDIRECTS} redirects")


def read_url(
    url: str,
    *,
    allow_hosts: Iterable[str] = frozenset(),
    timeout: float = 20.0,
    limits: Limits | None = None,
) -> Document:
    """Fetch ``url`` safely and read it: the Document's ``source_url`` is the URL after redirects and
    ``fields["fetched_at"]`` the UTC time of the download (ISO 8601)."""
    from dhakira.ingest.reader import read_bytes

    limits = limits or Limits()
    fetched = fetch_url(url, allow_hosts=allow_hosts, timeout=timeout, max_bytes=limits.max_bytes)
    name = PurePosixPath(unquote(urlsplit(fetched.final_url).path)).name or None
    content_type = (fetched.content_type or "").split(";", 1)[0].strip().lower()
    if content_type in ("text/html", "application/xhtml+xml") and not (name or "").lower().endswith(
        (".html", ".htm", ".xhtml")
    ):
        name = f"{name or 'page'}.html"
    document = read_bytes(fetched.data, name=name, source_url=fetched.final_url, limits=limits)
    document.fields["fetched_at"] = fetched.fetched_at.isoformat()
    return document
