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
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click

from reader_service import __version__, cli_words
from reader_service.errors import EmptyTextError, ReaderError

# The pipeline (extraction, engines, audio), the job queue and the storage are imported by the
# commands that use them: `reader-service --help` and `normalize` start without them.
# Settings too (pydantic-settings costs 0.16 s to import): `normalize` reads its one variable
# itself, and the others read Settings through get_settings() below.
if TYPE_CHECKING:
    from reader_service.models import Article
    from reader_service.settings import Settings
    from reader_service.storage import FileStore


def get_settings() -> Settings:
    from reader_service.settings import get_settings as settings_of_this_process

    return settings_of_this_process()


def _environment_setting(name: str) -> str | None:
    """One READER_* variable as the environment has it (names case-insensitive, as Settings
    reads them), for a quick command that needs one setting and not pydantic's start-up."""
    wanted = f"READER_{name}".casefold()
    return next((v for k, v in os.environ.items() if k.casefold() == wanted), None)


cli_words.install()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reader-service")
def cli() -> None:
    """Đọc nội dung — đọc to bài viết trên cổng thông tin bằng tiếng Việt.

    Cấu hình lấy từ các biến môi trường READER_* (xem README); tùy chọn trên dòng lệnh được
    ưu tiên hơn.
    """


def _default_output(source: str) -> Path:
    if source == "-":
        return Path("article.mp3")
    if source.startswith(("http://", "https://")):
        stem = Path(urlsplit(source).path).stem or urlsplit(source).hostname or "article"
    else:
        stem = Path(source).stem
    return Path(re.sub(r"[^\w.-]+", "-", stem).strip("-") + ".mp3")


def _signed(settings: Settings, rendition: Any, mp3: bytes, voice: str) -> dict[str, Any]:
    """The text read and the signed statement that ``mp3`` is its reading (provenance)."""
    from reader_service import provenance
    from reader_service.db import Database

    article = rendition.article
    key = provenance.SigningKeys(Database.from_settings(settings)).current()
    return {
        "paragraphs": list(article.paragraphs),
        "provenance": provenance.sign(key, article, mp3, rendition.engines, voice),
    }


def _format_duration(ms: int) -> str:
    minutes, seconds = divmod(round(ms / 1000), 60)
    return f"{minutes}:{seconds:02d}"


@cli.command()
@click.argument("source", metavar="NGUỒN")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp MP3 sẽ ghi (mặc định: tên của nguồn với đuôi .mp3, ở thư mục hiện tại).",
)
@click.option("--engine", help="Bộ đọc (mặc định: READER_ENGINE, espeak).")
@click.option("--voice", help="Giọng của bộ đọc (mặc định: READER_VOICE, vi).")
@click.option(
    "--rate",
    "rate_wpm",
    type=click.IntRange(80, 450),
    help="Tốc độ đọc, số từ mỗi phút (mặc định: READER_RATE_WPM, 150).",
)
@click.option(
    "--manifest",
    "manifest_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ghi thêm bản kê (JSON): mỗi câu một mục, kèm thời điểm và các từ.",
)
@click.option("--no-cache", is_flag=True, help="Tổng hợp lại mọi câu; không lưu gì vào kho.")
def read(
    source: str,
    output: Path | None,
    engine: str | None,
    voice: str | None,
    rate_wpm: int | None,
    manifest_path: Path | None,
    no_cache: bool,
) -> None:
    """Đọc NGUỒN thành tệp MP3: tiêu đề, rồi nội dung.

    NGUỒN là tệp HTML, địa chỉ http(s), hoặc - để đọc HTML từ đầu vào chuẩn (stdin).
    """
    from reader_service import tags
    from reader_service.manifest import manifest
    from reader_service.pipeline import ReadOptions, load_article, render
    from reader_service.storage import open_store

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
    mp3 = tags.download(rendition)
    record = None
    if manifest_path is not None:
        record = manifest(rendition) | {"audio": output.name}
        record |= _signed(settings, rendition, mp3, options.voice)
    try:
        output.write_bytes(mp3)
        if manifest_path is not None:
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
@click.argument("sources", nargs=-1, required=True, metavar="NGUỒN...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="json: mỗi nguồn một dòng JSON; text: những gì sẽ được đọc, tiêu đề trước.",
)
def extract(sources: tuple[str, ...], output_format: str) -> None:
    """In bài viết của từng NGUỒN (địa chỉ, tệp, hoặc - cho stdin).

    Nguồn nào lỗi thì cho một bản ghi "error" (json) hoặc một dòng báo lỗi ở stderr (text); khi
    đó mã thoát là 1 và các nguồn khác vẫn được in.
    """
    from reader_service.pipeline import ReadOptions, load_article

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
@click.argument("text", required=False, metavar="[VĂN_BẢN]")
@click.option(
    "--jsonl",
    is_flag=True,
    help='Đọc các dòng {"id", "input"} từ stdin; ghi ra các dòng {"id", "output"}.',
)
def normalize(text: str | None, jsonl: bool) -> None:
    """In cách đọc của VĂN_BẢN: số, ngày tháng và chữ viết tắt thành chữ."""
    from reader_service.normalize import normalize as normalize_text
    from reader_service.normalize import normalizer_for

    lexicon = _environment_setting("lexicon_file")
    normalizer = normalizer_for((Path(lexicon),) if lexicon else ())
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
        raise click.UsageError("Cần VĂN_BẢN, hoặc --jsonl để đọc từ stdin.")
    if not text.strip():
        raise EmptyTextError("Văn bản trống: không có gì để chuẩn hoá.")
    click.echo(normalize_text(text, normalizer))


_WHY = {"spelled": "đọc từng chữ cái", "foreign": "từ nước ngoài"}


@cli.command(name="preview")
@click.argument("source", metavar="NGUỒN")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: để đọc; json: một đối tượng chứa mọi câu.",
)
def preview_command(source: str, output_format: str) -> None:
    """Xem trước những gì sẽ được đọc từ NGUỒN, trước khi tạo âm thanh.

    Mỗi câu kèm cách đọc; từ phải đọc theo cách dự phòng (chữ viết tắt đánh vần từng chữ cái,
    từ nước ngoài) được đánh dấu để biên tập viên thêm vào từ điển (READER_LEXICON_FILE). Cuối
    cùng là số câu và thời lượng ước tính.
    """
    from reader_service.manifest import preview_record
    from reader_service.pipeline import ReadOptions, load_article, preview

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
    """Liệt kê các bộ đọc: trực tuyến hay ngoại tuyến, các giọng, và dùng được ở máy này không."""
    from reader_service.engines import EngineConfig, available_engines, get_engine

    config = EngineConfig.from_settings(get_settings())
    for name in available_engines():
        try:
            engine = get_engine(name, config)
        except ReaderError as exc:
            click.echo(f"{name:<8} không dùng được: {exc.message}")
            continue
        info = engine.info
        where = "trực tuyến (cần mạng)" if info.online else "ngoại tuyến"
        probe = getattr(engine, "reachable", None)
        why = probe() if info.online and callable(probe) else None
        state = f"không dùng được: {why}" if why else "dùng được"
        click.echo(f"{name:<8} {where}; giọng: {', '.join(info.voices)}; {state}")


def _local_cache(settings: Settings) -> FileStore:
    from reader_service.storage import FileStore, open_store

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
    """Kho đoạn âm thanh: dung lượng và việc dọn kho."""


@cache.command()
def stats() -> None:
    """Số tệp, dung lượng và tuổi của kho đoạn âm thanh."""
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
    help="Dọn đến khi kho còn dung lượng này, MB (mặc định: READER_CACHE_MAX_MB).",
)
def prune(max_mb: int | None) -> None:
    """Xoá các đoạn âm thanh lâu không dùng nhất cho đến khi kho vừa giới hạn dung lượng."""
    settings = get_settings()
    limit = (settings.cache_max_mb if max_mb is None else max_mb) * 1_000_000
    removed, freed = _local_cache(settings).prune(limit)
    click.echo(f"đã xoá {removed} tệp, giải phóng {freed / 1_000_000:.1f} MB")


@cli.command()
@click.argument("urls", nargs=-1, metavar="[ĐỊA_CHỈ]...")
@click.option(
    "--file",
    "url_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp danh sách địa chỉ, mỗi dòng một địa chỉ (dòng bắt đầu bằng # là ghi chú).",
)
@click.option("--sitemap", help="Địa chỉ sitemap (hoặc sitemap index) liệt kê các bài viết.")
@click.option("--rss", help="Địa chỉ nguồn tin RSS hoặc Atom liệt kê các bài viết.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Chỉ lấy bài đăng hoặc sửa từ ngày này trở đi (YYYY-MM-DD).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 16),
    default=1,
    show_default=True,
    help="Số bài làm cùng lúc.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ghi báo cáo JSON vào tệp này.",
)
@click.option(
    "--queue",
    is_flag=True,
    help="Giao lô cho hàng đợi công việc (READER_REDIS_URL) để các tiến trình "
    "`reader-service worker` xử lý, rồi theo dõi tiến độ.",
)
@click.option("--no-wait", is_flag=True, help="Dùng với --queue: in mã lô rồi trở về ngay.")
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
    """Tạo trước âm thanh cho nhiều bài viết (bài cũ của biên tập viên, móc nối từ CMS).

    Chạy lại thì bỏ qua bài không đổi (yêu cầu có điều kiện, mã băm nội dung) và chỉ tổng hợp
    lại những câu đã đổi; lần chạy bị ngắt sẽ được lần sau làm nốt. Mã thoát là 1 chỉ khi có
    địa chỉ lỗi; một địa chỉ lỗi không làm dừng cả lô.
    """
    from reader_service.batch import BatchResult, run_batch, urls_from_sources
    from reader_service.db import Database
    from reader_service.db.records import PageStates
    from reader_service.jobs import batch_request
    from reader_service.pipeline import ReadOptions
    from reader_service.storage import open_store

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
            f"{_STATUS_WORDS[result.status]:<10} {result.clips_new:>7} {result.clips_reused:>8}"
            f"  {result.url}" + (f"\n{'':<28}lỗi: {result.error}" if result.error else "")
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


# A result's status in the table an editor reads (the JSON report keeps the machine words
# made/unchanged/failed, documented in the README).
_STATUS_WORDS = {"made": "tạo mới", "unchanged": "không đổi", "failed": "lỗi"}


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
    help="Số bài làm cùng lúc trong tiến trình này.",
)
def worker(threads: int) -> None:
    """Xử lý các lô bài biên tập viên đã xếp hàng (READER_REDIS_URL), trên bao nhiêu máy cũng được.

    Dừng gọn khi nhấn Ctrl+C hoặc nhận SIGTERM (làm xong các bài đang làm dở); tiến trình bị
    dừng đột ngột sẽ trao bài của nó cho tiến trình khác sau READER_QUEUE_HEARTBEAT_S giây.
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
    """Cơ sở dữ liệu (đơn vị, khóa API, bản ghi bài viết, lô)."""


@db.command(name="upgrade")
def db_upgrade() -> None:
    """Cập nhật lược đồ cơ sở dữ liệu (việc này cũng tự làm mỗi lần khởi động)."""
    from reader_service.db import Database, database_url

    settings = get_settings()
    Database.from_settings(settings).dispose()
    url = database_url(settings)
    shown = url.split("@")[-1] if "@" in url else url
    click.echo(f"cơ sở dữ liệu đã cập nhật: {shown}")


@cli.command()
@click.argument("audio_file", metavar="TỆP_MP3", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--manifest",
    "manifest_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Tệp mô tả JSON đi kèm (của read --manifest hoặc GET /v1/articles/{id}).",
)
@click.option(
    "--key",
    "key_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Danh sách khoá công bố của dịch vụ (tải từ /.well-known/reader-service-key).",
)
def verify(audio_file: str, manifest_file: str, key_file: str | None) -> None:
    """Kiểm tra (không cần mạng) TỆP_MP3 đúng là bản đọc của văn bản trong tệp mô tả, do
    dịch vụ ký. Mã thoát 0: đúng; 1: không đúng."""
    from reader_service import provenance

    try:
        record = json.loads(Path(manifest_file).read_text(encoding="utf-8"))
        trusted = json.loads(Path(key_file).read_text(encoding="utf-8")) if key_file else None
    except OSError as exc:
        raise click.ClickException(f"Không đọc được tệp: {exc.strerror} ({exc.filename}).") from exc
    except json.JSONDecodeError as exc:
        raise click.ClickException(
            f"Tệp không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})."
        ) from exc
    verdict = provenance.verify(Path(audio_file).read_bytes(), record, trusted)
    if not verdict.ok:
        for problem in verdict.problems:
            click.echo(f"KHÔNG ĐÚNG: {problem}", err=True)
        sys.exit(1)
    click.echo(
        f"ĐÚNG: {audio_file} là bản đọc đã ký của văn bản trong {manifest_file} "
        f"(khoá {verdict.key_id}, vân tay {verdict.fingerprint})."
    )
    if not verdict.key_trusted:
        click.echo(
            "Chưa đối chiếu khoá: hãy so vân tay trên với khoá dịch vụ công bố tại "
            "/.well-known/reader-service-key, hoặc chạy lại với --key.",
            err=True,
        )


@cli.group(name="signing-key")
def signing_key() -> None:
    """Khoá ký Ed25519 của dịch vụ: ký văn bản nào được đọc trong mỗi tệp MP3."""


def _signing_keys() -> Any:
    from reader_service.db import Database
    from reader_service.provenance import SigningKeys

    return SigningKeys(Database.from_settings(get_settings()))


@signing_key.command(name="show")
def signing_key_show() -> None:
    """Các khoá công khai (khoá đang dùng trước), như /.well-known/reader-service-key."""
    keys = _signing_keys()
    keys.current()  # made on first use, as the service does
    for key in keys.published()["keys"]:
        state = f"thôi dùng từ {key['retired']}" if key["retired"] else "đang dùng"
        click.echo(f"{key['id']}  {key['fingerprint']}  tạo {key['created']}  {state}")


@signing_key.command(name="rotate")
def signing_key_rotate() -> None:
    """Tạo khoá mới; khoá cũ thôi ký nhưng vẫn được công bố để kiểm tra chữ ký cũ."""
    key = _signing_keys().rotate()
    click.echo(f"khoá mới {key.id} (vân tay {key.published()['fingerprint']}) đang dùng")


@cli.command(name="stats")
@click.option("--tenant", help="Chỉ các bài trên máy chủ của đơn vị này (mặc định: mọi bài).")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Từ ngày này (mặc định: 30 ngày gần nhất).",
)
def stats_command(tenant: str | None, since: datetime | None) -> None:
    """Thống kê nghe theo ngày và theo bài: lượt bắt đầu, nghe tới 25/50/75 %, nghe hết.

    Chỉ có số đếm: không cookie, không mã định danh, không địa chỉ IP. Số của dịch vụ đang
    chạy được ghi vào cơ sở dữ liệu sau vài giây.
    """
    from reader_service.db import Database
    from reader_service.stats import ListeningStats, period_start

    hosts = None
    if tenant is not None:
        found = _registry().tenant(tenant)
        if found is None:
            raise click.ClickException(f"Không có đơn vị '{tenant}'.")
        hosts = found.hosts
    first = period_start(since.date() if since else None)
    report = ListeningStats(Database.from_settings(get_settings())).report(hosts, first)
    click.echo(f"từ ngày {report.since}" + (f", đơn vị {tenant}" if tenant else ""))
    if not report.days:
        click.echo("chưa có lượt nghe nào")
        return
    columns = ("started", "25", "50", "75", "100")
    header = f"{'ngày':<10} {'bắt đầu':>8} {'25 %':>6} {'50 %':>6} {'75 %':>6} {'nghe hết':>8}"
    click.echo(header)
    for day, counts in report.days.items():
        values = [counts[c] for c in columns]
        click.echo(
            f"{day:<10} {values[0]:>8} {values[1]:>6} {values[2]:>6} {values[3]:>6} {values[4]:>8}"
        )
    click.echo(f"\n{'lượt nghe':>9} {'nghe hết':>8}  bài viết")
    for article in report.articles:
        finished = article.share("100")
        shown = f"{round(100 * finished)} %" if finished is not None else "–"
        click.echo(f"{article.started:>9} {shown:>8}  {article.title}")


@cli.group()
def feed() -> None:
    """Kênh podcast của đơn vị (GET /v1/feeds/TÊN.xml): bật, tắt."""


@feed.command(name="on")
@click.option("--tenant", required=True, help="Tên đơn vị (như trong keys create).")
@click.option("--title", help="Tên kênh (mặc định: tên đơn vị).")
@click.option("--link", help="Trang chủ của cổng (mặc định: https://<máy chủ đầu tiên>/).")
@click.option("--image", help="Ảnh vuông 1400–3000 px, http(s) (mặc định: ảnh có sẵn).")
def feed_on(tenant: str, title: str | None, link: str | None, image: str | None) -> None:
    """Bật kênh podcast: các bài đã tạo sẵn của đơn vị thành các tập, bài mới nhất trước."""
    from reader_service.tenants import Feed

    changed = _registry().set_feed(tenant, Feed(True, title, link, image))
    public = get_settings().public_url
    where = f"/v1/feeds/{changed.name}.xml"
    if public:
        click.echo(f"đã bật kênh podcast của {changed.name}: {public.rstrip('/')}{where}")
    else:
        click.echo(
            f"đã bật kênh podcast của {changed.name}: {where} "
            "(đặt READER_PUBLIC_URL để các liên kết trong kênh là địa chỉ công khai)"
        )


@feed.command(name="off")
@click.option("--tenant", required=True, help="Tên đơn vị.")
def feed_off(tenant: str) -> None:
    """Tắt kênh podcast (địa chỉ kênh trả về 404; các bài và tệp âm thanh vẫn còn)."""
    from dataclasses import replace

    registry = _registry()
    current = registry.tenant(tenant)
    if current is None:
        raise click.ClickException(f"Không có đơn vị '{tenant}'.")
    registry.set_feed(tenant, replace(current.feed, enabled=False))  # title, link, image kept
    click.echo(f"đã tắt kênh podcast của {tenant}")


@cli.group()
def keys() -> None:
    """Khóa API của các đơn vị (cổng thông tin): tạo, liệt kê, thu hồi. Khóa được lưu dạng băm."""


def _registry() -> Any:
    from reader_service.tenants import TenantRegistry

    return TenantRegistry.from_settings(get_settings())


@keys.command(name="create")
@click.option("--tenant", required=True, help="Tên của cổng thông tin, ví dụ so-tttt-lang-son.")
@click.option(
    "--host", "hosts", multiple=True, required=True, help="Một máy chủ chứa các trang của đơn vị."
)
@click.option("--webhook", help="Địa chỉ được gọi (POST, JSON) khi xong một lô hoặc một bài.")
def keys_create(tenant: str, hosts: tuple[str, ...], webhook: str | None) -> None:
    """Tạo khóa cho đơn vị (--tenant) được đọc trang trên từng máy chủ (--host).

    Khóa chỉ hiện một lần.
    """
    key, secret = _registry().create_key(tenant, list(hosts), webhook)
    click.echo(f"khoá {key.id} cho {tenant} ({', '.join(hosts)}):")
    click.echo(secret)
    click.echo("Lưu khoá này ngay: dịch vụ chỉ giữ bản băm, không hiển thị lại.", err=True)


@keys.command(name="list")
def keys_list() -> None:
    """Các đơn vị, máy chủ và khóa của họ (chỉ mã khóa)."""
    for tenant in _registry().tenants():
        click.echo(f"{tenant.name}: {', '.join(sorted(tenant.hosts))}")
        for key in tenant.keys:
            state = f"thu hồi {key.revoked}" if key.revoked else "đang dùng"
            click.echo(f"  {key.id}  tạo {key.created}  {state}")


@keys.command(name="revoke")
@click.argument("key_id", metavar="MÃ_KHÓA")
def keys_revoke(key_id: str) -> None:
    """Thu hồi khóa MÃ_KHÓA (từ nay yêu cầu dùng khóa đó bị từ chối, lỗi 401)."""
    tenant = _registry().revoke(key_id)
    click.echo(f"đã thu hồi khoá {key_id} của {tenant.name}")


@cli.command()
@click.option("--host", help="Địa chỉ lắng nghe (mặc định: READER_HOST, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Cổng (mặc định: READER_PORT, 8000).")
@click.option(
    "--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Số tiến trình."
)
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Chạy dịch vụ HTTP (uvicorn); trang / là trang mẫu có sẵn nút "Đọc nội dung"."""
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


# Every command is defined: its usage line gets Vietnamese placeholders too.
cli_words.name_placeholders(cli)


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
    except Exception as exc:
        if "pydantic" in sys.modules:
            # Settings read from READER_* variables: name the variable and say what is wrong.
            from reader_service.settings import explain_settings_error

            if (lines := explain_settings_error(exc)) is not None:
                for line in lines:
                    click.echo(f"reader-service: {line}", err=True)
                sys.exit(2)
        # A bug, not bad input: still one line for the editor; READER_DEBUG=1 shows the trace.
        if os.environ.get("READER_DEBUG"):
            raise
        click.echo(
            f"reader-service: lỗi không mong đợi ({type(exc).__name__}): {exc}. "
            "Chạy lại với READER_DEBUG=1 để xem chi tiết.",
            err=True,
        )
        sys.exit(1)
