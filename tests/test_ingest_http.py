"""Fetching over real sockets: a local HTTP server on 127.0.0.1 plays every server behaviour
we have to survive, and each case ends bounded in time and memory with the right feed state."""

from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from tracker.dates import utcnow
from tracker.errors import FetchError
from tracker.ingest.fetch import USER_AGENT, FetchLimits, fetch, parse_retry_after
from tracker.ingest.run import Options, ingest_due, ingest_paths
from tracker.ingest.schedule import Policy
from tracker.models.feeds import Article, Feed, IngestReport

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local test feed</title><link>http://local.example/</link>
<item><title>One</title><guid>local-1</guid><link>http://local.example/1</link>
<pubDate>Wed, 10 Jun 2026 12:00:00 GMT</pubDate><description>first</description></item>
<item><title>Two</title><guid>local-2</guid><link>http://local.example/2</link>
<pubDate>Thu, 11 Jun 2026 12:00:00 GMT</pubDate><description>second</description></item>
</channel></rss>"""
LATIN1 = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Charset</title>'
    b"<item><title>Caf\xe9 \xe0 Z\xfcrich</title><guid>c1</guid></item></channel></rss>"
)
LIMIT = 256 * 1024
LIMITS = FetchLimits(connect_timeout=2, read_timeout=0.5, deadline=2.0, max_bytes=LIMIT)
STOP = threading.Event()
BOMB: list[bytes] = []  # 64 MB of zeros, gzipped to ~64 KB (built once, outside the measurement)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[dict[str, str]] = []

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if not any(k.lower() == "content-length" for k, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        Handler.seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        path = self.path
        if path == "/feed.xml":
            if self.headers.get("If-None-Match") == '"v1"':
                return self._send(304, headers=[("ETag", '"v1"')])
            return self._send(
                200,
                FEED,
                [
                    ("Content-Type", "application/rss+xml"),
                    ("ETag", '"v1"'),
                    ("Last-Modified", "Thu, 11 Jun 2026 12:00:00 GMT"),
                ],
            )
        if path == "/r1":
            return self._send(301, headers=[("Location", "/r2")])
        if path == "/r2":
            return self._send(302, headers=[("Location", "/feed.xml")])
        if path in ("/loop-a", "/loop-b"):
            other = "/loop-b" if path == "/loop-a" else "/loop-a"
            return self._send(302, headers=[("Location", other)])
        if path == "/missing":
            return self._send(404, b"not here")
        if path == "/boom":
            return self._send(500, b"oops")
        if path == "/busy":
            return self._send(429, b"slow down", [("Retry-After", "7200")])
        if path == "/unavailable":
            when = datetime.now(timezone.utc) + timedelta(hours=3)
            return self._send(503, b"later", [("Retry-After", format_datetime(when, usegmt=True))])
        if path == "/slow":
            STOP.wait(10)  # headers never come within the read timeout
            return None
        if path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(FEED[:20])
            for _ in range(100):  # one byte every 0.1 s: each read is quick, the whole is not
                if STOP.wait(0.1):
                    break
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    break
            return None
        if path == "/bomb":
            return self._send(
                200,
                BOMB[0],
                [("Content-Encoding", "gzip"), ("Content-Type", "application/rss+xml")],
            )
        if path == "/gzip-ok":
            return self._send(200, gzip.compress(FEED), [("Content-Encoding", "gzip")])
        if path == "/big":
            return self._send(200, b"<rss>" + b" " * (LIMIT * 4))
        if path == "/big-undeclared":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b" " * 65536
            for _ in range(LIMIT * 4 // len(chunk)):
                try:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                except OSError:
                    return None
            self.wfile.write(b"0\r\n\r\n")
            return None
        if path == "/latin1-declared-utf8":
            return self._send(200, LATIN1, [("Content-Type", "application/xml; charset=utf-8")])
        if path == "/latin1-header":
            return self._send(
                200, LATIN1, [("Content-Type", "application/xml; charset=iso-8859-1")]
            )
        return self._send(404)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # clients hanging up is the point here
        pass


@pytest.fixture(scope="module")
def server():
    if not BOMB:
        BOMB.append(gzip.compress(bytes(64 * 1024 * 1024), compresslevel=9))
    STOP.clear()
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    STOP.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def run(engine, url, now=None):
    options = Options(limits=LIMITS, policy=Policy())
    t0 = time.monotonic()
    report = ingest_paths(engine, [url], now=now, options=options)
    elapsed = time.monotonic() - t0
    assert elapsed < 8, f"{url} took {elapsed:.1f}s"
    (feed_report,) = report.feeds
    return report, feed_report


def feed_row(engine, url):
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        return s.scalars(select(Feed).where(Feed.url == url)).one()


def article_count(engine):
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Article))


def test_200_then_304_conditional_get(engine, server):
    url = f"{server}/feed.xml"
    _, fr = run(engine, url)
    assert (fr.status, fr.new, fr.http_status) == ("ok", 2, 200)
    feed = feed_row(engine, url)
    assert feed.etag == '"v1"' and feed.last_modified == "Thu, 11 Jun 2026 12:00:00 GMT"
    assert feed.consecutive_failures == 0 and feed.last_success_at is not None

    Handler.seen.clear()
    _, fr2 = run(engine, url)
    assert (fr2.status, fr2.http_status, fr2.new, fr2.updated) == ("not_modified", 304, 0, 0)
    sent = Handler.seen[-1]
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Thu, 11 Jun 2026 12:00:00 GMT"
    assert sent["user-agent"] == USER_AGENT and "gzip" in sent["accept-encoding"]
    assert article_count(engine) == 2


def test_redirect_chain_is_followed(engine, server):
    _, fr = run(engine, f"{server}/r1")
    assert (fr.status, fr.new) == ("ok", 2)


@pytest.mark.parametrize(
    ("path", "message", "http_status"),
    [
        ("/loop-a", "too many redirects", None),
        ("/missing", "HTTP 404", 404),
        ("/boom", "HTTP 500", 500),
        ("/slow", "timed out", None),
        ("/trickle", "timed out", None),
        ("/bomb", "larger than", None),
        ("/big", "larger than", None),
        ("/big-undeclared", "larger than", None),
    ],
)
def test_failures_are_bounded_and_recorded(engine, server, path, message, http_status):
    url = f"{server}{path}"
    now = utcnow()
    tracemalloc.start()
    try:
        report, fr = run(engine, url, now=now)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, f"{path}: peak {peak / 1e6:.1f} MB"
    assert fr.status == "error" and message in fr.error
    assert fr.http_status == http_status
    assert report.exit_code == 1 and report.status == "failed"
    feed = feed_row(engine, url)
    assert feed.consecutive_failures == 1
    assert message in feed.last_error and feed.last_error_at == now
    assert feed.next_due_at == now + timedelta(seconds=Policy().min_backoff)
    assert article_count(engine) == 0

    # a second failure doubles the backoff; the feed stays subscribed and visible
    run(engine, url, now=now)
    feed = feed_row(engine, url)
    assert feed.consecutive_failures == 2 and feed.active
    assert feed.next_due_at == now + timedelta(seconds=2 * Policy().min_backoff)


@pytest.mark.parametrize("path", ["/busy", "/unavailable"])
def test_retry_after_sets_next_due_without_sleeping(engine, server, path):
    url = f"{server}{path}"
    now = utcnow()
    _, fr = run(engine, url, now=now)
    assert fr.status == "error" and fr.http_status in (429, 503)
    feed = feed_row(engine, url)
    wait = (feed.next_due_at - now).total_seconds()
    assert 7100 <= wait <= 3 * 3600 + 60  # the server's 2 h / 3 h, not our 5 min backoff
    # not due before then: a due-run right away pulls nothing
    report = ingest_due(engine, now=now + timedelta(minutes=30))
    assert report.feeds == ()


def test_gzip_response_is_decoded(engine, server):
    _, fr = run(engine, f"{server}/gzip-ok")
    assert (fr.status, fr.new) == ("ok", 2)


@pytest.mark.parametrize("path", ["/latin1-declared-utf8", "/latin1-header"])
def test_wrong_or_missing_charset_declarations(engine, server, path):
    _, fr = run(engine, f"{server}{path}")
    assert fr.status == "ok" and fr.new == 1
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        (title,) = s.scalars(select(Article.title)).all()
    assert title == "Café à Zürich"


def test_ingest_log_row_per_feed(engine, server):
    run(engine, f"{server}/feed.xml")
    run(engine, f"{server}/missing")
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        rows = s.execute(select(IngestReport.status, IngestReport.http_status)).all()
    assert sorted(rows, key=str) == sorted([("ok", 200), ("error", 404)], key=str)


def test_fetch_unit_limits(server):
    with pytest.raises(FetchError, match="unsupported URL scheme"):
        fetch("ftp://example.org/feed")
    result = fetch(f"{server}/feed.xml", limits=LIMITS)
    assert result.body == FEED and result.status == 200
    again = fetch(f"{server}/feed.xml", etag=result.etag, limits=LIMITS)
    assert again.not_modified and again.status == 304


def test_parse_retry_after():
    now = datetime(2026, 6, 10, 12, 0, 0)
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 10 Jun 2026 13:00:00 GMT", now=now) == 3600
    assert parse_retry_after("Wed, 10 Jun 2026 11:00:00 GMT", now=now) == 0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
