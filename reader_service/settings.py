"""Settings from READER_* environment variables; the embedded defaults work offline."""

from __future__ import annotations

import os
import re
import socket
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from reader_service.errors import ExtractionError
from reader_service.limits import MAX_HTML_TAGS


def _xdg(variable: str, fallback: str) -> Path:
    base = os.environ.get(variable) or str(Path.home() / fallback)
    return Path(base) / "reader-service"


def _default_cache_dir() -> Path:
    return _xdg("XDG_CACHE_HOME", ".cache")


class Settings(BaseSettings):
    """Everything an operator can set; stages receive option objects built from this, not it."""

    model_config = SettingsConfigDict(env_prefix="READER_", extra="ignore")

    engine: str = Field("espeak", description="Preferred speech engine (espeak, gtts, piper).")
    fallback_engines: str = Field(
        "espeak",
        description="Engines tried in order when the preferred one fails, comma-separated.",
    )
    voice: str = Field("vi", description="Engine voice (espeak: vi, vi-VN-x-central, ...).")
    rate_wpm: int = Field(150, ge=80, le=450, description="Speaking rate, words per minute.")
    volume: int = Field(100, ge=0, le=200, description="Engine volume (espeak: 0-200).")
    bitrate_kbps: int = Field(48, ge=16, le=320, description="MP3 bit rate of full articles.")
    sentence_pause_ms: int = Field(300, ge=0, le=5000)
    paragraph_pause_ms: int = Field(700, ge=0, le=5000)
    cache_dir: Path = Field(default_factory=_default_cache_dir)
    cache_max_mb: int = Field(2000, ge=10, description="Clip cache size cap; oldest use pruned.")
    gtts_tld: str = Field("com", description="Google host for gTTS (translate.google.<tld>).")
    gtts_timeout_s: float = Field(10.0, gt=0, le=120, description="gTTS request time limit.")
    gtts_budget_s: float = Field(
        5.0,
        gt=0,
        le=120,
        description=(
            "Most seconds one sentence may wait for gTTS, retries included; then the fallback "
            "engine speaks it."
        ),
    )
    piper_model: Path | None = Field(
        None, description="Piper voice model (.onnx, with its .onnx.json beside it)."
    )
    fetch_timeout_s: float = Field(
        10.0,
        gt=0,
        le=120,
        description="Deadline of one page fetch: lookup, connect, headers, body and redirects.",
    )
    fetch_max_bytes: int = Field(5_000_000, gt=0)
    fetch_max_redirects: int = Field(5, ge=0, le=20)
    allow_loopback: bool = Field(
        False, description="Allow fetching from 127.0.0.0/8 and ::1 (development and tests)."
    )
    max_text_chars: int = Field(200_000, gt=0, description="Longest article text accepted.")
    max_page_tags: int = Field(
        MAX_HTML_TAGS, gt=0, description="Most HTML tags a page may hold (counted before parsing)."
    )
    page_work_slots: int = Field(
        8,
        ge=1,
        le=256,
        description=(
            "Pages fetched and extracted at once (listen, preview, articles); more wait (at "
            "most 50 times this many, 15 s each), then the service answers 503. Health, "
            "metrics and cached clips never wait for them."
        ),
    )
    synthesis_workers: int = Field(
        default_factory=lambda: max(1, os.cpu_count() or 1),
        ge=1,
        le=256,
        description=(
            "Clips synthesised at once for listeners (default: one per CPU core); the first "
            "sentence of an article goes before sentences fetched ahead."
        ),
    )
    clip_memory_mb: int = Field(64, ge=0, description="Clips kept in memory for the hot path.")
    batch_concurrency: int = Field(2, ge=1, le=64, description="Pages of one batch at once.")
    batch_max_urls: int = Field(
        1000, ge=1, description="Most URLs one batch may hold (more is refused with 413)."
    )
    batch_max_running: int = Field(
        2, ge=1, description="Batches one tenant may have running at once (more: 429)."
    )
    webhook_timeout_s: float = Field(10.0, gt=0, le=120, description="Deadline of one webhook.")
    anonymous_concurrency: int = Field(
        2, ge=1, description="Pages one anonymous client may have in work at once."
    )
    lexicon_file: Path | None = Field(
        None,
        description=(
            "Operator's lexicon (TERM<Tab>READING per line, UTF-8) applied over the packaged one: "
            "site-specific abbreviations and names, without code changes. Read at start-up."
        ),
    )
    content_selectors: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Article body selector pinned per host, as JSON: "
            '{"sotttt.example.gov.vn": "div.noi-dung-bai"} (host or host:port, "www." ignored). '
            "Used before the built-in portal profiles, for sites they read wrongly."
        ),
    )
    allowed_hosts: str = Field(
        "",
        description=(
            "Hosts the service may fetch pages from for anonymous listeners (the default "
            "tenant), comma-separated names or host:port. Empty: only the built-in demo page."
        ),
    )
    data_dir: Path = Field(default_factory=lambda: _xdg("XDG_DATA_HOME", ".local/share"))
    redis_url: str | None = Field(
        None,
        description=(
            "Redis (redis://host:port/db) shared by replicas: per-minute rate limits, a lock "
            "per clip, and the queue of editors' batches (run `reader-service worker`). Unset: "
            "limits in the metadata database, batches in the serving process."
        ),
    )
    replica: str = Field(
        default_factory=socket.gethostname,
        description="This replica's name in its metrics (label replica). Default: host name.",
    )
    clip_lock_ttl_s: float = Field(
        30.0,
        gt=0,
        le=600,
        description=(
            "With READER_REDIS_URL: how long a replica's lock on a clip it makes lasts; a "
            "replica that died holding one is taken over after this."
        ),
    )
    queue_heartbeat_s: float = Field(
        60.0,
        gt=0,
        le=3600,
        description=(
            "With READER_REDIS_URL: a batch worker silent this long is taken for dead and the "
            "URLs it held go to another worker."
        ),
    )
    queue_time_limit_s: float = Field(
        600.0, gt=0, le=86_400, description="Longest one queued URL (one article) may take."
    )
    queue_retries: int = Field(
        3, ge=0, le=50, description="Tries again of a queued URL that failed on our side."
    )
    store_url: str | None = Field(
        None,
        description=(
            "Object storage shared by replicas for clips and audio: s3://bucket/prefix "
            "(credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). Unset: files "
            "under READER_CACHE_DIR, pruned by READER_CACHE_MAX_MB."
        ),
    )
    s3_endpoint: str | None = Field(
        None,
        description="S3 endpoint of a non-AWS server (Ceph RGW, MinIO): http(s)://host:port.",
    )
    s3_region: str | None = Field(None, description="S3 region (default: the client's own).")
    database_url: str | None = Field(
        None,
        description=(
            "Metadata database (tenants, keys, article records, batches, page state), as a "
            "SQLAlchemy URL: postgresql+psycopg://user:password@host/dbname. Unset: the SQLite "
            "file reader-service.db in READER_DATA_DIR."
        ),
    )
    max_body_bytes: int = Field(6_000_000, gt=0, description="Largest request body accepted.")
    anonymous_per_minute: int = Field(60, ge=1, description="Listen/preview calls per client.")
    key_per_minute: int = Field(600, ge=1, description="Calls per API key.")
    key_failures_per_minute: int = Field(
        10, ge=1, description="Wrong API keys one client address may try per minute."
    )
    trusted_proxies: str = Field(
        "",
        description=(
            "Reverse proxies whose X-Forwarded-For is believed: addresses or CIDR blocks, "
            "comma-separated. Empty: the header is ignored and the socket's peer is the client."
        ),
    )
    access_log: bool = Field(False, description="Log every HTTP request (uvicorn access log).")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    public_url: str | None = Field(
        None,
        description=(
            "The service's address as listeners reach it (https://doc.example.gov.vn), for the "
            "absolute links of podcast feeds. Unset: the address each request came to."
        ),
    )

    @field_validator("content_selectors")
    @classmethod
    def _selectors_compile(cls, selectors: dict[str, str]) -> dict[str, str]:
        checked = {}
        for host, css in selectors.items():
            key = host.strip().lower().removeprefix("www.")
            if not key or not css.strip():
                raise ValueError(f"tên miền và bộ chọn không được để trống: {host!r}: {css!r}")
            # Imported here: the extractor (lxml, trafilatura) is not needed to read settings.
            from reader_service.extract.document import check_selector

            try:
                check_selector(css.strip())
            except ExtractionError as exc:
                raise ValueError(exc.message) from exc
            checked[key] = css.strip()
        return checked

    @field_validator("public_url")
    @classmethod
    def _public_url_whole(cls, url: str | None) -> str | None:
        if url is not None and not re.fullmatch(r"https?://[^/\s]+(/\S*)?", url):
            raise ValueError("cần một địa chỉ đầy đủ, ví dụ https://doc.example.gov.vn")
        return url

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_parse(cls, proxies: str) -> str:
        from reader_service.netpolicy import parse_networks

        parse_networks(proxies)
        return proxies

    @property
    def allowed_host_set(self) -> frozenset[str]:
        return frozenset(
            h.strip().lower().removeprefix("www.")
            for h in self.allowed_hosts.split(",")
            if h.strip()
        )

    @property
    def fallback_chain(self) -> tuple[str, ...]:
        return tuple(name.strip() for name in self.fallback_engines.split(",") if name.strip())


def setting_default(name: str) -> Any:
    """The default of one setting. Option objects of the stages take their defaults from here,
    so a default is written in one place: this class."""
    field = Settings.model_fields[name]
    if field.default_factory is not None:
        return field.default_factory()  # type: ignore[call-arg]
    return field.default


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process, read once from the environment."""
    return Settings()


# What pydantic says of a bad READER_* value, said in Vietnamese (error type → message).
_PROBLEMS = {
    "int_parsing": "phải là một số nguyên",
    "float_parsing": "phải là một số",
    "bool_parsing": "phải là true hoặc false",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "greater_than": "phải lớn hơn {gt}",
    "less_than": "phải nhỏ hơn {lt}",
    "literal_error": "phải là một trong: {expected}",
    "enum": "phải là một trong: {expected}",
    "url_parsing": "không phải địa chỉ URL hợp lệ",
    "url_scheme": "địa chỉ phải bắt đầu bằng {expected_schemes}",
    "dict_type": "phải là một đối tượng JSON",
    "string_type": "phải là chuỗi ký tự",
}


def explain_settings_error(exc: Exception) -> list[str] | None:
    """One Vietnamese line per bad READER_* variable, or None if ``exc`` is not about settings.

    pydantic's own messages are English; the variable's name and the rule it broke are what an
    operator needs.
    """
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    if isinstance(exc, SettingsError):
        # pydantic-settings could not parse a JSON-valued variable at all.
        field = str(exc).split('"')[1] if str(exc).count('"') >= 2 else ""
        name = f"READER_{field.upper()}" if field else "READER_*"
        return [f"lỗi cấu hình {name}: không đọc được giá trị (cần JSON hợp lệ)"]
    if not isinstance(exc, ValidationError):
        return None
    lines = []
    for error in exc.errors():
        name = "READER_" + "_".join(str(part) for part in error["loc"][:1]).upper()
        template = _PROBLEMS.get(error["type"])
        context = error.get("ctx") or {}
        if template is not None:
            problem = template.format(**context)
        elif error["type"] == "value_error":  # our validators' messages, Vietnamese already
            problem = str(context.get("error", error["msg"]))
        else:
            problem = f"giá trị không hợp lệ ({error['type']})"
        lines.append(f"lỗi cấu hình {name}: {problem}")
    return lines
