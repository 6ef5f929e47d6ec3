"""Portals and editors' tools: articles made ahead of time (API key), preview, whole audio."""

from __future__ import annotations

import hashlib
from typing import Any

import anyio
from fastapi import APIRouter, Request, Response

from reader_service import tags
from reader_service.api.deps import ClientDep, ServiceDep, TenantDep
from reader_service.api.http import audio_response, download_disposition
from reader_service.api.publishing import public
from reader_service.api.routes.listen import ERRORS, page_work
from reader_service.api.schemas import ArticleInput, ErrorOut, Manifest, PreviewOut
from reader_service.api.service import Service
from reader_service.manifest import preview_record
from reader_service.models import Article
from reader_service.pipeline import preview as preview_article
from reader_service.pipeline import render
from reader_service.tenants import Tenant

router = APIRouter(tags=["articles"])
AUTH_ERRORS: dict[int | str, dict[str, Any]] = ERRORS | {401: {"model": ErrorOut}}


def _article(
    service: Service, body: ArticleInput, tenant: Tenant | None, host: str | None
) -> Article:
    articles = service.articles
    if body.text is not None:
        return articles.load_text(body.title or "", body.text)
    assert body.url is not None  # checked by ArticleInput
    if body.html is not None:
        return articles.load_html(body.html, body.url, tenant)
    return articles.load_url(body.url, tenant, host)


def _make_article(
    service: Service, body: ArticleInput, tenant: Tenant, host: str | None
) -> dict[str, Any]:
    options = service.articles.read_options(body.voice)
    article = _article(service, body, tenant, host)
    rendition = render(article, options, store=service.store)
    record = service.publish_reading(tenant.name, article, options, rendition)
    service.notify(tenant, "article.done", {"article": record})
    return record


@router.post("/v1/articles", response_model=Manifest, status_code=201, responses=AUTH_ERRORS)
async def create_article(
    request: Request, service: ServiceDep, tenant: TenantDep, body: ArticleInput
) -> dict[str, Any]:
    """Make an article's audio now (API key): from {url}, {url, html} or {title, text}. The
    article is the tenant's own: its URL must be on one of the tenant's hosts."""
    host = request.headers.get("host")
    return await page_work(
        service, lambda: _make_article(service, body, tenant, host), body.input_bytes
    )


@router.get("/v1/articles/{article_id}", response_model=Manifest, responses=AUTH_ERRORS)
def get_article(service: ServiceDep, article_id: str) -> dict[str, Any]:
    """An article's manifest, as made by listen or by POST /v1/articles (public: it holds
    the text of a public page and the URLs of its audio)."""
    return public(service.articles.record(article_id))


@router.get(
    "/v1/articles/{article_id}/audio.mp3",
    responses={200: {"content": {"audio/mpeg": {}}}, 404: {"model": ErrorOut}},
    response_class=Response,
)
def article_audio(
    request: Request, service: ServiceDep, client: ClientDep, article_id: str
) -> Response:
    """The whole article as one MP3 (assembled once from its clips, then cached)."""
    service.limits.anonymous.take(client)
    record = service.articles.record(article_id)
    mp3 = whole_audio(service, article_id, record)
    etag = hashlib.sha256(mp3).hexdigest()[:32]
    response = audio_response(request, mp3, etag, "public, max-age=3600")
    response.headers["content-disposition"] = download_disposition(record["title"])
    return response


def whole_audio(service: Service, article_id: str, record: dict[str, Any]) -> bytes:
    """An article's whole MP3 as handed out (the cached rendition, tagged). The first time (a
    listened article) or when it was made again differently, its record gets the signed
    provenance, the file's size and its length (the manifest and podcast feeds say them)."""
    articles = service.articles
    options = articles.read_options(record.get("voice"))
    rendition = render(articles.article_of(record), options, store=service.store)
    mp3 = tags.download(rendition)
    signed = (record.get("provenance") or {}).get("statement", {})
    if signed.get("audio_sha256") != hashlib.sha256(mp3).hexdigest():
        fields = service.signed(rendition, mp3, options.voice)
        articles.attach(article_id, fields | {"duration_ms": rendition.duration_ms})
        record.update(fields, duration_ms=rendition.duration_ms)
    return mp3


@router.delete("/v1/articles/{article_id}", status_code=204, responses=AUTH_ERRORS)
def delete_article(service: ServiceDep, tenant: TenantDep, article_id: str) -> Response:
    """Forget an article of this tenant (its clips stay: they are shared by content)."""
    service.articles.delete_record(article_id, tenant)
    return Response(status_code=204)


@router.post("/v1/preview", response_model=PreviewOut, responses=ERRORS)
async def preview(
    request: Request, service: ServiceDep, client: ClientDep, body: ArticleInput
) -> dict[str, Any]:
    """What will be read, before any audio: spoken text per sentence, unknown tokens, duration."""
    await anyio.to_thread.run_sync(service.limits.anonymous.take, client)
    host = request.headers.get("host")

    def work() -> dict[str, Any]:
        options = service.articles.read_options(body.voice)
        article = _article(service, body, None, host)
        return preview_record(preview_article(article, options))

    return await page_work(service, work, body.input_bytes, client=client)
