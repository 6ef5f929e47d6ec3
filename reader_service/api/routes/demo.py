"""The demo: right after `reader-service serve`, / shows the sample article with the widget."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from reader_service.api.deps import ServiceDep
from reader_service.api.publishing import DEMO_PATH

router = APIRouter(include_in_schema=False)

_WIDGET = '<script src="/static/reader-widget.js" defer data-lang="vi"></script>'


# The sample page names a portal's own assets; the demo ships its own (static/demo), so the page
# looks like a portal and logs no 404. Its skip link is put in Vietnamese.
_DEMO_ASSETS = {
    "/css/portal.css": "/static/demo/portal.css",
    "/images/quoc-huy.png": "/static/demo/quoc-huy.svg",
    "/js/portal.js": "/static/demo/portal.js",
    ">Skip to main content<": ">Bỏ qua, đến nội dung chính<",
    "</head>": '<link rel="icon" href="/static/demo/quoc-huy.svg"></head>',
}


@router.get("/", response_class=HTMLResponse)
def demo(service: ServiceDep) -> HTMLResponse:
    """The sample portal page with the widget added (it reads /demo/article, not fetched)."""
    page = service.sample_html.decode("utf-8")
    for named, shipped in _DEMO_ASSETS.items():
        page = page.replace(named, shipped)
    page = page.replace(
        "</body>", f'{_WIDGET}<meta name="reader-url" content="{DEMO_PATH}"></body>', 1
    )
    return HTMLResponse(page)


@router.get(DEMO_PATH, response_class=HTMLResponse)
def demo_article(service: ServiceDep) -> HTMLResponse:
    """The sample page as the service reads it."""
    return HTMLResponse(service.sample_html.decode("utf-8"))
