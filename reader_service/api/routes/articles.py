"""Portals and editors' tools: articles made ahead of time (API key), preview, whole audio."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response

from reader_service.api.http import audio_response
from reader_service.api.routes.listen import ERRORS, client_of, service_of
from reader_service.api.schemas import ArticleInput, ErrorOut, Manifest, PreviewOut
from reader_service.api.service import Service
from reader_service.clips import voicings
from reader_service.manifest import cue_to_dict, preview_record
from reader_service.models import Article
from reader_service.pipeline import preview as preview_article
from reader_service.pipeline import render, voicing
from reader_service.tenants import Tenant

router = APIRouter(tags=["articles"])
AUTH_ERRORS: dict[int | str, dict[str, Any]] = ERRORS | {401: {"model": ErrorOut}}


def _tenant(service: Service, authorization: str | None) -> Tenant:
    secret = None
    if authorization and authorization.lower().startswith("bearer "):
        secret = authorization[7:].strip()
    tenant = service.tenants.authenticate(secret)
    service.keyed.take(f"key:{tenant.name}")
    return tenant


def _article(
    service: Service, body: ArticleInput, tenant: Tenant | None, host: str | None
) -> Article:
    if body.text is not None:
        return service.load_text(body.title or "", body.text)
    assert body.url is not None  # checked by ArticleInput
    if body.html is not None:
        return service.load_html(body.html, body.url, tenant)
    return service.load_url(body.url, tenant, host)


@router.post("/v1/articles", response_model=Manifest, status_code=201, responses=AUTH_ERRORS)
def create_article(
    request: Request,
    body: ArticleInput,
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Make an article's audio now (API key): from {url}, {url, html} or {title, text}."""
    service = service_of(request)
    tenant = _tenant(service, authorization)
    options = service.read_options(body.voice)
    article = _article(service, body, tenant, request.headers.get("host"))
    rendition = render(article, options, store=service.store)
    spoken_by = {v.engine: v for v in voicings(voicing(options), options.fallback_engines)}
    for cue in rendition.cues:  # so each clip's MP3 can be served (and made) on request
        service.remember_clip(cue.clip_key, cue.spoken, spoken_by[cue.engine])
    cues = [cue_to_dict(c) | {"clip": f"/v1/clips/{c.clip_key}.mp3"} for c in rendition.cues]
    record = service.publish(article, options, cues, duration_ms=rendition.duration_ms)
    service.notify(tenant, "article.done", {"article": record})
    return record


@router.get("/v1/articles/{article_id}", response_model=Manifest, responses=AUTH_ERRORS)
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    """An article's manifest, as made by listen or by POST /v1/articles."""
    record = service_of(request).record(article_id)
    record.pop("article", None)
    return record


@router.get(
    "/v1/articles/{article_id}/audio.mp3",
    responses={200: {"content": {"audio/mpeg": {}}}, 404: {"model": ErrorOut}},
    response_class=Response,
)
def article_audio(request: Request, article_id: str) -> Response:
    """The whole article as one MP3 (assembled once from its clips, then cached)."""
    service = service_of(request)
    service.anonymous.take(client_of(request))
    record = service.record(article_id)
    options = service.read_options(record.get("voice"))
    rendition = render(service.article_of(record), options, store=service.store)
    etag = hashlib.sha256(rendition.audio).hexdigest()[:32]
    return audio_response(request, rendition.audio, etag, "public, max-age=3600")


@router.delete("/v1/articles/{article_id}", status_code=204, responses=AUTH_ERRORS)
def delete_article(
    request: Request, article_id: str, authorization: Annotated[str | None, Header()] = None
) -> Response:
    """Forget an article (its clips stay: they are shared by content)."""
    service = service_of(request)
    _tenant(service, authorization)
    service.delete_record(article_id)
    return Response(status_code=204)


@router.post("/v1/preview", response_model=PreviewOut, responses=ERRORS)
def preview(request: Request, body: ArticleInput) -> dict[str, Any]:
    """What will be read, before any audio: spoken text per sentence, unknown tokens, duration."""
    service = service_of(request)
    service.anonymous.take(client_of(request))
    options = service.read_options(body.voice)
    article = _article(service, body, None, request.headers.get("host"))
    return preview_record(preview_article(article, options))
