"""Podcast feeds: a tenant's pre-generated articles as episodes (reader_service.podcast)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from reader_service.api.deps import ClientDep, ServiceDep, TenantDep
from reader_service.api.routes.articles import AUTH_ERRORS, whole_audio
from reader_service.api.schemas import ErrorOut
from reader_service.api.service import Service
from reader_service.errors import NotFoundError
from reader_service.podcast import MAX_EPISODES, Channel, Episode, feed_xml, published_at
from reader_service.tenants import Feed, Tenant

router = APIRouter(tags=["podcast"])


class FeedSettings(BaseModel):
    """A tenant's podcast feed: on or off, and its channel (empty fields take the defaults:
    the tenant's name, its first host's home page, the packaged cover)."""

    enabled: bool
    title: str | None = Field(None, max_length=300)
    link: str | None = Field(None, max_length=2048, pattern=r"^https?://")
    image: str | None = Field(None, max_length=2048, pattern=r"^https?://")


class FeedOut(FeedSettings):
    url: str = Field(description="Where the feed is (404 while it is off).")


def _base(service: Service, request: Request) -> str:
    return (service.settings.public_url or str(request.base_url)).rstrip("/")


def _feed_url(base: str, tenant: str) -> str:
    return f"{base}/v1/feeds/{tenant}.xml"


@router.put("/v1/feed", response_model=FeedOut, responses=AUTH_ERRORS)
def set_feed(
    request: Request, service: ServiceDep, tenant: TenantDep, body: FeedSettings
) -> dict[str, Any]:
    """Turn this tenant's podcast feed on or off (API key), with its channel's title, link and
    image."""
    feed = Feed(body.enabled, body.title, body.link, body.image)
    service.tenants.set_feed(tenant.name, feed)
    return body.model_dump() | {"url": _feed_url(_base(service, request), tenant.name)}


def _channel(tenant: Tenant, base: str) -> Channel:
    feed = tenant.feed
    title = feed.title or tenant.name
    first_host = sorted(tenant.hosts)[0] if tenant.hosts else None
    return Channel(
        title=title,
        link=feed.link or (f"https://{first_host}/" if first_host else base),
        description=f"Bài viết của {title}, đọc bằng giọng đọc tự động (reader-service).",
        author=title,
        image=feed.image or f"{base}/static/podcast/cover.png",
        self_url=_feed_url(base, tenant.name),
    )


# Characters of an episode's description: the opening of the article, cut at a word.
_SUMMARY_CHARS = 400


def _summary(record: dict[str, Any]) -> str:
    text = " ".join(record.get("paragraphs") or [])
    if len(text) <= _SUMMARY_CHARS:
        return text
    return text[:_SUMMARY_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _episodes(service: Service, tenant: Tenant, base: str) -> list[Episode]:
    episodes = []
    for record, updated in service.records.newest(tenant.name, MAX_EPISODES):
        article_id = record["id"]
        if not record.get("audio_bytes") or not record.get("duration_ms"):
            whole_audio(service, article_id, record)  # made once; the record then says both
        episodes.append(
            Episode(
                guid=f"reader-service:{article_id}",
                title=record["title"] or "Bài viết",
                link=record.get("url"),
                summary=_summary(record) or record["title"],
                audio_url=f"{base}/v1/articles/{article_id}/audio.mp3",
                audio_bytes=int(record["audio_bytes"]),
                duration_ms=int(record["duration_ms"]),
                published=published_at(record.get("published"), updated),
            )
        )
    episodes.sort(key=lambda e: e.published, reverse=True)
    return episodes


@router.get(
    "/v1/feeds/{tenant_name}.xml",
    responses={
        200: {"content": {"application/rss+xml": {}}},
        304: {"description": "unchanged since the ETag or date given"},
        404: {"model": ErrorOut},
    },
    response_class=Response,
)
def podcast_feed(
    request: Request, service: ServiceDep, client: ClientDep, tenant_name: str
) -> Response:
    """A tenant's podcast feed (RSS 2.0 with iTunes tags): its pre-generated articles, newest
    first, each with its whole MP3. 404 unless the tenant turned it on. Answers If-None-Match
    and If-Modified-Since with 304."""
    service.limits.anonymous.take(client)
    tenant = service.tenants.tenant(tenant_name)
    if tenant is None or not tenant.feed.enabled:
        raise NotFoundError("Đơn vị này không có kênh podcast (chưa bật hoặc không tồn tại).")
    channel = _channel(tenant, base := _base(service, request))
    # Apps poll often: whether anything changed is told by the records' save times and the
    # channel, read without the records themselves (which hold every cue).
    stamps = service.records.stamps(tenant.name, MAX_EPISODES)
    version = json.dumps([asdict(channel), stamps]).encode()
    etag = f'"{hashlib.sha256(version).hexdigest()[:32]}"'
    newest = max((updated for _, updated in stamps), default=None)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    if newest is not None:
        headers["Last-Modified"] = format_datetime(datetime.fromisoformat(newest), usegmt=True)
    if _not_modified(request, etag, newest):
        return Response(status_code=304, headers=headers)
    body = feed_xml(channel, _episodes(service, tenant, base))
    return Response(body, media_type="application/rss+xml; charset=utf-8", headers=headers)


def _not_modified(request: Request, etag: str, newest: str | None) -> bool:
    if (match := request.headers.get("if-none-match")) is not None:
        return etag in {tag.strip() for tag in match.split(",")} or match.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since is None or newest is None:
        return False
    try:
        return datetime.fromisoformat(newest).replace(microsecond=0) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
