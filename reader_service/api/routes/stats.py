"""Listening statistics: the widget's play events in, counts per article and day out
(reader_service.stats: nothing about a listener is kept)."""

from __future__ import annotations

import json
import re
from datetime import date
from html import escape
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import HTMLResponse

from reader_service.api.deps import ClientDep, ServiceDep, TenantDep, authenticate
from reader_service.api.routes.articles import AUTH_ERRORS
from reader_service.api.service import Service
from reader_service.errors import InvalidInputError, NotFoundError, UnauthorizedError
from reader_service.stats import MILESTONES, PlayEvent, Report, period_start

router = APIRouter(tags=["statistics"])

_ARTICLE_ID = re.compile(r"^[0-9a-f]{24}$")
# A play event is a few dozen bytes; anything much bigger is not one.
_MAX_EVENT_BYTES = 1024


def _privacy_signal(request: Request) -> bool:
    """The browser says Global Privacy Control or Do Not Track."""
    return request.headers.get("sec-gpc") == "1" or request.headers.get("dnt") == "1"


@router.post(
    "/v1/events",
    status_code=204,
    responses={204: {"description": "counted, or ignored (GPC / Do Not Track)"}, **AUTH_ERRORS},
)
async def play_event(request: Request, service: ServiceDep, client: ClientDep) -> Response:
    """A listen's milestone from the widget (navigator.sendBeacon: any content type, JSON
    body {article, event: started|25|50|75|100, speed?, voice?}). Counted per article and day
    only; ignored when the browser sends Global Privacy Control (Sec-GPC: 1) or Do Not Track."""
    if _privacy_signal(request):
        return Response(status_code=204)
    await anyio.to_thread.run_sync(service.limits.anonymous.take, client)
    body = await request.body()
    if len(body) > _MAX_EVENT_BYTES:
        raise InvalidInputError("Sự kiện nghe quá lớn.")
    try:
        data = json.loads(body)
        event = PlayEvent(
            article_id=str(data["article"]),
            event=str(data["event"]),
            speed=float(data["speed"]) if data.get("speed") is not None else None,
            voice=str(data["voice"]) if data.get("voice") is not None else None,
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InvalidInputError(
            'Sự kiện nghe cần JSON {"article", "event", "speed", "voice"}.'
        ) from exc
    if not _ARTICLE_ID.match(event.article_id):
        raise NotFoundError("Không có bài viết này.")
    host = await anyio.to_thread.run_sync(service.listening.host_of, event.article_id)
    if host is None:
        raise NotFoundError("Không có bài viết này.")
    service.listening.count(event, host)
    return Response(status_code=204)


def report_json(report: Report) -> dict[str, Any]:
    return {
        "since": report.since,
        "days": [{"day": day, **dict(counts)} for day, counts in report.days.items()],
        "articles": [
            {
                "id": s.article_id,
                "title": s.title,
                "url": s.url,
                "counts": {m: s.counts[m] for m in MILESTONES},
                "speeds": s.chosen("speed"),
                "voices": s.chosen("voice"),
            }
            for s in report.articles
        ],
    }


def _report(service: Service, hosts: frozenset[str], since: date | None) -> Report:
    service.listening.flush()  # this process's latest counts; other workers' within seconds
    return service.listening.report(hosts, period_start(since))


@router.get("/v1/stats", responses=AUTH_ERRORS)
def listening_stats(
    service: ServiceDep,
    tenant: TenantDep,
    since: Annotated[date | None, Query(description="First day (default: the last 30)")] = None,
) -> dict[str, Any]:
    """Listening counts for this tenant's hosts (API key): per day and per article — listens
    started, reaching 25/50/75 %, finished; speeds and voices chosen. Nothing per listener."""
    return report_json(_report(service, tenant.hosts, since))


@router.get("/stats", response_class=HTMLResponse, responses=AUTH_ERRORS)
def stats_page(
    service: ServiceDep,
    client: ClientDep,
    authorization: Annotated[str | None, Header()] = None,
    since: Annotated[date | None, Query()] = None,
) -> Response:
    """The same counts as a page for editors (the API key as the password of the browser's
    login prompt); charts drawn on the server as SVG, no scripts, nothing from elsewhere."""
    try:
        tenant = authenticate(service, client, authorization)
    except UnauthorizedError as exc:
        return HTMLResponse(
            f"<!doctype html><html lang='vi'><meta charset='utf-8'><title>Cần khoá API</title>"
            f"<p>{escape(exc.message)} Nhập khoá API của đơn vị vào ô mật khẩu.</p></html>",
            status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="reader-service", charset="UTF-8"'},
        )
    from reader_service.api.stats_page import render_page

    report = _report(service, tenant.hosts, since)
    return HTMLResponse(render_page(tenant.name, report), headers={"Cache-Control": "no-store"})
