"""Fetching feed bytes over HTTP(S) or from file:// URLs. No database here.

Every fetch is bounded: connect/read timeouts plus an overall deadline (a server that
trickles one byte a second cannot hold us), a redirect limit, and a maximum body size that
is enforced on the *decompressed* bytes while streaming, so a gzip bomb stops at the limit
instead of filling memory. Conditional GET (If-None-Match / If-Modified-Since) turns an
unchanged feed into a cheap 304.
"""

from __future__ import annotations

import email.utils
import hashlib
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from tracker import __version__
from tracker.errors import FetchError

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"tracker/{__version__} (policy feed tracker; feed ingestion; +https://pypi.org/project/tracker/)"


@dataclass(frozen=True)
class FetchLimits:
    """How much one fetch may cost. The defaults suit news feeds."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0  # whole request, headers to last byte
    max_bytes: int = 10 * 1024 * 1024  # decompressed body
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchResult:
    url: str  # the URL finally fetched (after redirects)
    status: int  # HTTP status; 200 for files
    body: bytes | None  # None when not modified
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.body is None

    @property
    def body_hash(self) -> str | None:
        return hashlib.sha256(self.body).hexdigest() if self.body is not None else None


class HttpError(FetchError):
    """The server answered, but not with a feed: status code and Retry-After kept."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after  # seconds the server asked us to wait


def make_client(limits: FetchLimits | None = None) -> httpx.Client:
    """One client per run: pooled connections, our User-Agent, bounded redirects."""
    import httpx

    limits = limits or FetchLimits()
    return httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(
            limits.read_timeout, connect=limits.connect_timeout, pool=limits.connect_timeout
        ),
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        trust_env=True,
    )


def fetch(
    url: str,
    *,
    client: httpx.Client | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: FetchLimits | None = None,
) -> FetchResult:
    """Fetch one feed URL (http, https or file). Raises FetchError/HttpError on failure."""
    limits = limits or FetchLimits()
    scheme = urlsplit(url).scheme.lower()
    if scheme == "file":
        return _fetch_file(url, limits)
    if scheme not in ("http", "https"):
        raise FetchError(f"unsupported URL scheme {scheme or '(none)'!r} in {url}")
    own = client is None
    client = client or make_client(limits)
    try:
        return _fetch_http(client, url, etag, last_modified, limits)
    finally:
        if own:
            client.close()


def _fetch_file(url: str, limits: FetchLimits) -> FetchResult:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(f"remote file URLs are not supported: {url}")
    path = Path(unquote(parts.path))
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise FetchError(f"feed file is larger than {limits.max_bytes} bytes: {path}")
        with path.open("rb") as fh:
            body = fh.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise FetchError(f"no such feed file: {path}") from None
    except IsADirectoryError:
        raise FetchError(f"is a directory, not a feed file: {path}") from None
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(body) > limits.max_bytes:
        raise FetchError(f"feed file is larger than {limits.max_bytes} bytes: {path}")
    return FetchResult(url=url, status=200, body=body)


def _fetch_http(
    client: httpx.Client,
    url: str,
    etag: str | None,
    last_modified: str | None,
    limits: FetchLimits,
) -> FetchResult:
    import httpx

    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + limits.deadline
    try:
        with client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status == 304:
                return FetchResult(
                    url=str(response.url),
                    status=304,
                    body=None,
                    etag=response.headers.get("etag") or etag,
                    last_modified=response.headers.get("last-modified") or last_modified,
                )
            if status >= 400 or status < 200 or status in (204, 205):
                raise HttpError(
                    f"HTTP {status} {response.reason_phrase or ''}".strip()
                    + f" from {response.url}",
                    status=status,
                    retry_after=parse_retry_after(response.headers.get("retry-after")),
                )
            if status >= 300:
                raise HttpError(
                    f"HTTP {status} without a usable Location from {url}", status=status
                )
            body = _read_limited(response, limits, deadline)
            return FetchResult(
                url=str(response.url),
                status=status,
                body=body,
                etag=_header(response, "etag", 500),
                last_modified=_header(response, "last-modified", 100),
                content_type=response.headers.get("content-type"),
            )
    except httpx.TooManyRedirects:
        raise FetchError(
            f"too many redirects (more than {limits.max_redirects}) from {url}"
        ) from None
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out fetching {url} ({type(exc).__name__})") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"cannot fetch {url}: {type(exc).__name__}: {exc}") from None


def _header(response: httpx.Response, name: str, limit: int) -> str | None:
    value = response.headers.get(name)
    if not value or len(value) > limit:
        return None
    return value


def _read_limited(response: httpx.Response, limits: FetchLimits, deadline: float) -> bytes:
    """Read and decompress the body ourselves, never holding more than the limit."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        decoder: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj(zlib.MAX_WBITS)
    elif encoding in ("identity", ""):
        decoder = None
    else:
        raise FetchError(f"unsupported Content-Encoding {encoding!r} from {response.url}")
    declared = response.headers.get("content-length")
    if decoder is None and declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(
            f"response body is larger than {limits.max_bytes} bytes ({declared} declared) "
            f"from {response.url}"
        )
    out = bytearray()
    too_big = FetchError(
        f"response body is larger than {limits.max_bytes} bytes from {response.url}"
    )
    for raw in response.iter_raw():  # as received: the deadline is checked between reads
        if time.monotonic() > deadline:
            raise FetchError(
                f"timed out fetching {response.url} (over {limits.deadline:g} s in all)"
            )
        if decoder is None:
            out += raw
        else:
            try:
                data = raw
                while data:
                    # max_length bounds each step: a bomb never expands past the limit.
                    room = limits.max_bytes - len(out) + 1
                    out += decoder.decompress(data, room)
                    if len(out) > limits.max_bytes:
                        raise too_big
                    data = decoder.unconsumed_tail
            except zlib.error as exc:
                raise FetchError(f"corrupt {encoding} body from {response.url}: {exc}") from None
        if len(out) > limits.max_bytes:
            raise too_big
    if decoder is not None:
        try:
            out += decoder.flush()
        except zlib.error as exc:
            raise FetchError(f"corrupt {encoding} body from {response.url}: {exc}") from None
        if len(out) > limits.max_bytes:
            raise too_big
    return bytes(out)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None if absent/garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now_aware = now.replace(tzinfo=timezone.utc) if now else datetime.now(timezone.utc)
    return max((when - now_aware) / timedelta(seconds=1), 0.0)
