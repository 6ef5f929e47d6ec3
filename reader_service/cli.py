"""The `reader-service` command: read, extract, normalize, preview, engines, cache, serve."""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from pydantic import ValidationError

from reader_service import __version__
from reader_service.errors import EmptyTextError, ReaderError
from reader_service.jobs import batch_request
from reader_service.manifest import manifest, preview_record
from reader_service.models import Article
from reader_service.normalize import normalize as normalize_text
from reader_service.pipeline import ReadOptions, load_article, preview, render
from reader_service.settings import Settings, get_settings
from reader_service.storage import FileStore, open_store


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reader-service")
def cli() -> None:
    """Đọc nội dung — read Vietnamese portal articles aloud.

    Settings come from READER_* environment variables (see README); options override them.
    """


def _default_output(source: str) -> Path:
    if source == "-":
        return Path("article.mp3")
    if source.startswith(("http://", "https://")):
        stem = Path(urlsplit(source).path).stem or urlsplit(source).hostname or "article"
    else:
        stem = Path(source).stem
    return Path(re.sub(r"[^\w.-]+", "-", stem).strip("-") + ".mp3")


def _format_duration(ms: int) -> str:
    minutes, seconds = divmod(round(ms / 1000), 60)
    return f"{minutes}:{seconds:02d}"


@cli.command()
@click.argument("source")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="MP3 file to write (default: the source's name with .mp3, here).",
)
@click.option("--engine", help="Speech engine (default: READER_ENGINE, espeak).")
@click.option("--voice", help="Voice of the engine (default: READER_VOICE, vi).")
@click.option(
    "--rate",
    "rate_wpm",
    type=click.IntRange(80, 450),
    help="Speaking rate in words per minute (default: READER_RATE_WPM, 150).",
)
@click.option(
    "--manifest",
    "manifest_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the manifest (JSON): one cue per sentence with its times and words.",
)
@click.option("--no-cache", is_flag=True, help="Synthesise every sentence again; store nothing.")
def read(
    source: str,
    output: Path | None,
    engine: str | None,
    voice: str | None,
    rate_wpm: int | None,
    manifest_path: Path | None,
    no_cache: bool,
) -> None:
    """Read SOURCE aloud into an MP3: its title, then its body.

    SOURCE is an HTML file, an http(s) URL, or - for HTML on standard input.
    """
    overrides: dict[str, Any] = {"engine": engine, "voice": voice, "rate_wpm": rate_wpm}
    settings = get_settings().model_copy(update={k: v for k, v in overrides.items() if v})
    options = ReadOptions.from_settings(settings)
    output = output or _default_output(source)
    article = load_article(source, options)
    rendition = render(
        article,
        options,
        store=None if no_cache else open_store(settings),
        progress=_progress_printer(),
    )
    try:
        output.write_bytes(rendition.audio)
        if manifest_path is not None:
            record = manifest(rendition) | {"audio": output.name}
            manifest_path.write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")
    except OSError as exc:
        raise click.ClickException(f"Không ghi được tệp: {exc}") from exc
    click.echo(
        f"{output}: {len(rendition.cues)} câu, {_format_duration(rendition.duration_ms)} "
        f"({rendition.duration_ms / 1000:.1f} s), bộ đọc {', '.join(rendition.engines)}"
    )


def _progress_printer() -> Any:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        click.echo(f"\rĐang đọc câu {done}/{total}…", nl=done == total, err=True)

    return show


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="json: one JSON line per source; text: what will be read, title first.",
)
def extract(sources: tuple[str, ...], output_format: str) -> None:
    """Print the article of each SOURCE (URL, file, or - for stdin).

    A source that fails gives an "error" record (json) or a message on stderr (text); the exit
    status is then 1 and the other sources are still printed.
    """
    options = ReadOptions.from_settings(get_settings())
    failed = False
    for number, source in enumerate(sources):
        try:
            article = load_article(source, options)
        except ReaderError as exc:
            failed = True
            if output_format == "json":
                click.echo(json.dumps({"source": source, **exc.to_dict()}, ensure_ascii=False))
            else:
                click.echo(f"reader-service: {source}: lỗi [{exc.code}]: {exc.message}", err=True)
            continue
        if output_format == "json":
            click.echo(json.dumps(_article_record(source, article), ensure_ascii=False))
        else:
            if len(sources) > 1:
                click.echo(f"{'' if number == 0 else chr(10)}==> {source} <==")
            click.echo("\n\n".join(article.blocks))
    if failed:
        sys.exit(1)


def _article_record(source: str, article: Article) -> dict[str, Any]:
    return {
        "source": source,
        "title": article.title,
        "paragraphs": list(article.paragraphs),
        "published": article.published.isoformat() if article.published else None,
        "author": article.author,
        "site_name": article.site_name,
        "lang": article.lang,
        "canonical_url": article.canonical_url,
    }


@cli.command()
@click.argument("text", required=False)
@click.option(
    "--jsonl",
    is_flag=True,
    help='Read {"id", "input"} lines on stdin; write {"id", "output"} lines.',
)
def normalize(text: str | None, jsonl: bool) -> None:
    """Print the spoken form of TEXT: numbers, dates and abbreviations in words."""
    normalizer = ReadOptions.from_settings(get_settings()).normalizer
    if jsonl:
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
                spoken = normalize_text(str(case["input"]), normalizer)
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise click.ClickException(
                    f'dòng {number}: cần một đối tượng JSON có "input" ({exc})'
                ) from exc
            click.echo(json.dumps({"id": case.get("id"), "output": spoken}, ensure_ascii=False))
        return
    if text is None:
        raise click.UsageError("Cần TEXT, hoặc --jsonl để đọc từ stdin.")
    if not text.strip():
        raise EmptyTextError("Văn bản trống: không có gì để chuẩn hoá.")
    click.echo(normalize_text(text, normalizer))


_WHY = {"spelled": "đọc từng chữ cái", "foreign": "từ nước ngoài"}


@cli.command(name="preview")
@click.argument("source")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: for reading; json: one object with every sentence.",
)
def preview_command(source: str, output_format: str) -> None:
    """Show what will be read from SOURCE before any audio is made.

    Each sentence with its spoken form; tokens read by a fallback (acronyms spelled letter by
    letter, foreign words) are flagged so an editor can add them to the lexicon
    (READER_LEXICON_FILE). Ends with the number of sentences and an estimated duration.
    """
    options = ReadOptions.from_settings(get_settings())
    result = preview(load_article(source, options), options)
    if output_format == "json":
        record = {"source": source} | preview_record(result)
        click.echo(json.dumps(record, ensure_ascii=False))
        return
    flagged = 0
    for line in result.lines:
        click.echo(f"[{line.sentence.index + 1}] {line.sentence.text}")
        click.echo(f"    → {line.spoken}")
        if line.unknown:
            flagged += len(line.unknown)
            notes = ", ".join(f"{u.token} ({_WHY.get(u.why, u.why)})" for u in line.unknown)
            click.echo(f"    ! cần kiểm tra: {notes}")
    minutes, seconds = divmod(round(result.estimated_seconds), 60)
    click.echo(
        f"{len(result.lines)} câu, khoảng {minutes}:{seconds:02d} "
        f"({result.estimated_seconds:.0f} s); {flagged} từ cần kiểm tra."
    )


@cli.command()
def engines() -> None:
    """List the speech engines: online or offline, voices, and whether each is usable here."""
    from reader_service.engines import EngineConfig, available_engines, get_engine

    config = EngineConfig.from_settings(get_settings())
    for name in available_engines():
        try:
            info = get_engine(name, config).info
        except ReaderError as exc:
            click.echo(f"{name:<8} không dùng được: {exc.message}")
            continue
        where = "trực tuyến (cần mạng)" if info.online else "ngoại tuyến"
        click.echo(f"{name:<8} {where}; giọng: {', '.join(info.voices)}; dùng được")


def _local_cache(settings: Settings) -> FileStore:
    store = open_store(settings)
    if not isinstance(store, FileStore):
        raise click.ClickException(
            f"Âm thanh nằm trong kho S3 {store.location}: dung lượng và việc dọn kho do quy tắc "
            "vòng đời (lifecycle) của bucket đảm nhận, không do lệnh này (xem README, mục "
            "«Running several replicas»)."
        )
    return store


@cli.group()
def cache() -> None:
    """The clip cache: how big it is, and pruning it."""


@cache.command()
def stats() -> None:
    """Entries, size and age of the clip cache."""
    settings = get_settings()
    store = _local_cache(settings)
    result = store.stats()
    click.echo(f"thư mục: {store.root}")
    click.echo(
        f"{result.entries} tệp, {result.bytes / 1_000_000:.1f} MB "
        f"(giới hạn {settings.cache_max_mb} MB)"
    )
    if result.oldest_use is not None and result.newest_use is not None:
        oldest = datetime.fromtimestamp(result.oldest_use).isoformat(timespec="seconds")
        newest = datetime.fromtimestamp(result.newest_use).isoformat(timespec="seconds")
        click.echo(f"dùng lâu nhất: {oldest}; gần nhất: {newest}")


@cache.command()
@click.option(
    "--max-mb",
    type=click.IntRange(min=0),
    help="Prune down to this size (default: READER_CACHE_MAX_MB).",
)
def prune(max_mb: int | None) -> None:
    """Remove the least recently used clips until the cache fits its size cap."""
    settings = get_settings()
    limit = (settings.cache_max_mb if max_mb is None else max_mb) * 1_000_000
    removed, freed = _local_cache(settings).prune(limit)
    click.echo(f"đã xoá {removed} tệp, giải phóng {freed / 1_000_000:.1f} MB")


@cli.command()
@click.argument("urls", nargs=-1)
@click.option(
    "--file",
    "url_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A file of URLs, one per line (# starts a comment).",
)
@click.option("--sitemap", help="A sitemap (or sitemap index) URL listing the articles.")
@click.option("--rss", help="An RSS or Atom feed URL listing the articles.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only entries published or changed on or after this day (YYYY-MM-DD).",
)
@click.option("--concurrency", type=click.IntRange(1, 16), default=1, show_default=True)
@click.option(
    "--report", type=click.Path(dir_okay=False, path_type=Path), help="Write the JSON report here."
)
@click.option(
    "--queue",
    is_flag=True,
    help="Hand the batch to the job queue (READER_REDIS_URL) that `reader-service worker` "
    "processes take, and follow its progress.",
)
@click.option(
    "--no-wait", is_flag=True, help="With --queue: print the batch id and return at once."
)
def pregenerate(
    urls: tuple[str, ...],
    url_file: Path | None,
    sitemap: str | None,
    rss: str | None,
    since: datetime | None,
    concurrency: int,
    report: Path | None,
    queue: bool,
    no_wait: bool,
) -> None:
    """Make the audio of many articles now (editors' back catalogue, CMS hooks).

    Re-running skips unchanged articles (conditional requests, content hash) and re-synthesises
    only the sentences that changed; an interrupted run is finished by the next one. Exit status
    is 1 only when some URL failed; one bad URL never stops the batch.
    """
    from reader_service.batch import BatchResult, run_batch, urls_from_sources
    from reader_service.db import Database
    from reader_service.db.records import PageStates

    settings = get_settings()
    if queue:
        url_list = list(urls) + (_url_lines(url_file) if url_file else [])
        if not (url_list or sitemap or rss):
            raise click.UsageError("Cần ít nhất một URL (đối số, --file, --sitemap hoặc --rss).")
        request = batch_request(url_list, sitemap, rss, since.date() if since else None)
        _queued_batch(settings, request, report, wait=not no_wait)
        return
    if no_wait:
        raise click.UsageError("--no-wait chỉ dùng cùng --queue.")
    options = ReadOptions.from_settings(settings)
    targets = urls_from_sources(
        urls, url_file, sitemap, rss, since.date() if since else None, options.fetch
    )
    if not targets:
        raise click.UsageError("Cần ít nhất một URL (đối số, --file, --sitemap hoặc --rss).")
    counts = {"made": 0, "unchanged": 0, "failed": 0}
    started = time.monotonic()
    interactive = sys.stderr.isatty()

    def show(result: BatchResult, done: int, total: int) -> None:
        counts[result.status] += 1
        elapsed = time.monotonic() - started
        eta = elapsed / done * (total - done)
        line = (
            f"[{done}/{total}] tạo mới {counts['made']}, không đổi {counts['unchanged']}, "
            f"lỗi {counts['failed']} — còn khoảng {_format_duration(int(eta * 1000))}"
        )
        click.echo(
            ("\r" if interactive else "") + line, nl=not interactive or done == total, err=True
        )

    states = PageStates(Database.from_settings(settings))
    results = run_batch(targets, options, open_store(settings), states, concurrency, show)
    click.echo(f"{'kết quả':<10} {'câu mới':>7} {'dùng lại':>8}  địa chỉ")
    for result in results:
        click.echo(
            f"{result.status:<10} {result.clips_new:>7} {result.clips_reused:>8}  {result.url}"
            + (f"\n{'':<28}lỗi: {result.error}" if result.error else "")
        )
    click.echo(
        f"tổng: {counts['made']} tạo mới, {counts['unchanged']} không đổi, "
        f"{counts['failed']} lỗi, trong {time.monotonic() - started:.1f} s"
    )
    if report is not None:
        data = {"results": [result.to_dict() for result in results]}
        report.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    if counts["failed"]:
        sys.exit(1)


def _url_lines(path: Path) -> list[str]:
    from reader_service.batch import read_url_file

    return read_url_file(path)


def _queued_batch(
    settings: Settings, request: dict[str, Any], report: Path | None, wait: bool
) -> None:
    """`pregenerate --queue`: the batch recorded and queued; its progress followed."""
    import secrets

    from reader_service.api.service import Service
    from reader_service.jobs import OPERATOR

    if not settings.redis_url:
        raise click.UsageError(
            "--queue cần hàng đợi: đặt READER_REDIS_URL (và chạy reader-service worker)."
        )
    service = Service(settings)
    assert service.queue is not None
    batch_id = secrets.token_hex(12)
    service.batch_records.create(batch_id, OPERATOR, batch_id)
    service.queue.submit(batch_id, OPERATOR, request)
    click.echo(f"lô {batch_id} đã vào hàng đợi")
    if not wait:
        return
    interactive = sys.stderr.isatty()
    shown = -1
    while True:
        record = service.batch_records.get(batch_id)
        assert record is not None
        if record["done"] != shown:
            shown = record["done"]
            counts = record["counts"]
            click.echo(
                ("\r" if interactive else "")
                + f"[{record['done']}/{record['total'] or '?'}] tạo mới {counts['made']}, "
                f"không đổi {counts['unchanged']}, lỗi {counts['failed']}",
                nl=not interactive,
                err=True,
            )
        if record["status"] == "done":
            break
        time.sleep(1)
    if interactive:
        click.echo("", err=True)
    if record["error"]:
        click.echo(f"lưu ý: {record['error']}")
    if report is not None:
        data = {"batch": batch_id, "results": record["results"]}
        report.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    if record["counts"].get("failed"):
        sys.exit(1)


@cli.command()
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Articles made at once by this process.",
)
def worker(threads: int) -> None:
    """Make editors' queued batches (READER_REDIS_URL), on as many machines as you like.

    Stops cleanly on Ctrl+C or SIGTERM (the articles in hand are finished); a worker that is
    killed hands its articles to the others after READER_QUEUE_HEARTBEAT_S.
    """
    import signal
    import threading

    from reader_service.api.service import Service
    from reader_service.jobs import run_worker

    settings = get_settings()
    if not settings.redis_url:
        raise click.UsageError("reader-service worker cần hàng đợi: đặt READER_REDIS_URL.")
    service = Service(settings)
    stop = threading.Event()
    for each in (signal.SIGTERM, signal.SIGINT):
        signal.signal(each, lambda *_: stop.set())
    click.echo(f"máy làm lô: {threads} luồng, đang chờ việc (Ctrl+C để dừng)", err=True)
    run_worker(service, threads, stop)
    click.echo("máy làm lô đã dừng", err=True)


@cli.group()
def db() -> None:
    """The metadata database (tenants, keys, article records, batches)."""


@db.command(name="upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date (done automatically at every start too)."""
    from reader_service.db import Database, database_url

    settings = get_settings()
    Database.from_settings(settings).dispose()
    url = database_url(settings)
    shown = url.split("@")[-1] if "@" in url else url
    click.echo(f"cơ sở dữ liệu đã cập nhật: {shown}")


@cli.group()
def keys() -> None:
    """API keys of tenants (portals): create, list, revoke. Keys are stored hashed."""


def _registry() -> Any:
    from reader_service.tenants import TenantRegistry

    return TenantRegistry.from_settings(get_settings())


@keys.command(name="create")
@click.option("--tenant", required=True, help="The portal's name, e.g. so-tttt-lang-son.")
@click.option(
    "--host", "hosts", multiple=True, required=True, help="A host the tenant's pages are on."
)
@click.option("--webhook", help="URL called (POST, JSON) when a batch or an article is done.")
def keys_create(tenant: str, hosts: tuple[str, ...], webhook: str | None) -> None:
    """Create a key for TENANT allowed to read pages on each HOST (the key is shown once)."""
    key, secret = _registry().create_key(tenant, list(hosts), webhook)
    click.echo(f"khoá {key.id} cho {tenant} ({', '.join(hosts)}):")
    click.echo(secret)
    click.echo("Lưu khoá này ngay: dịch vụ chỉ giữ bản băm, không hiển thị lại.", err=True)


@keys.command(name="list")
def keys_list() -> None:
    """Tenants, their hosts and their keys (ids only)."""
    for tenant in _registry().tenants():
        click.echo(f"{tenant.name}: {', '.join(sorted(tenant.hosts))}")
        for key in tenant.keys:
            state = f"thu hồi {key.revoked}" if key.revoked else "đang dùng"
            click.echo(f"  {key.id}  tạo {key.created}  {state}")


@keys.command(name="revoke")
@click.argument("key_id")
def keys_revoke(key_id: str) -> None:
    """Revoke the key KEY_ID (requests with it get 401 from now on)."""
    tenant = _registry().revoke(key_id)
    click.echo(f"đã thu hồi khoá {key_id} của {tenant.name}")


@cli.command()
@click.option("--host", help="Address to listen on (default: READER_HOST, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: READER_PORT, 8000).")
@click.option(
    "--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Processes."
)
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Run the HTTP service (uvicorn); / shows the demo page with the widget."""
    import uvicorn

    settings: Settings = get_settings()
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every worker writes its metrics here; /metrics adds them all up.
        folder = tempfile.mkdtemp(prefix="reader-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
        atexit.register(shutil.rmtree, folder, True)
    uvicorn.run(
        "reader_service.api:app_from_environment",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
        # One log line per request costs more than serving a cached clip; a reverse proxy in
        # front logs requests (READER_ACCESS_LOG=true logs them here too).
        access_log=settings.access_log,
        server_header=False,  # no need to advertise; saves work on every cached clip
        # The client's address is the socket's peer; X-Forwarded-For is read by the service
        # itself, and only from READER_TRUSTED_PROXIES (uvicorn would trust 127.0.0.1).
        proxy_headers=False,
    )


def main() -> None:
    """Entry point: ReaderError becomes one line on stderr and exit status 1, never a traceback."""
    try:
        cli.main(prog_name="reader-service", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Đã dừng.", err=True)
        sys.exit(130)
    except ReaderError as exc:
        click.echo(f"reader-service: lỗi [{exc.code}]: {exc.message}", err=True)
        sys.exit(1)
    except ValidationError as exc:
        # Settings read from READER_* variables: name the variable and say what is wrong.
        for error in exc.errors():
            name = "READER_" + "_".join(str(part) for part in error["loc"][:1]).upper()
            message = str(error["msg"]).removeprefix("Value error, ")
            click.echo(f"reader-service: lỗi cấu hình {name}: {message}", err=True)
        sys.exit(2)
    except Exception as exc:
        # A bug, not bad input: still one line for the editor; READER_DEBUG=1 shows the trace.
        if os.environ.get("READER_DEBUG"):
            raise
        click.echo(
            f"reader-service: lỗi không mong đợi ({type(exc).__name__}): {exc}. "
            "Chạy lại với READER_DEBUG=1 để xem chi tiết.",
            err=True,
        )
        sys.exit(1)
