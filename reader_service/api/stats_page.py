"""The /stats page: a tenant's listening counts for editors, drawn on the server.

Plain HTML and inline SVG: no script, no stylesheet or font from elsewhere (a portal's network
may block CDNs, and a statistics page should not tell a third party who reads it). Every text
from the database is escaped.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from reader_service.stats import ArticleStats, Report

_CHART_WIDTH = 720
_CHART_HEIGHT = 220
_MARGIN = 36


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}\u00a0%" if whole else "–"  # no break before "%"


def _shown(choice: str, kind: str) -> str:
    """A speed as Vietnamese writes it ("1,25×"); the listener's own device voice by name."""
    if kind == "speed":
        return choice.replace(".", ",") + "×"
    return "giọng thiết bị" if choice == "device" else choice


def _most(stats: ArticleStats, kind: str) -> str:
    chosen = stats.chosen(kind)
    if not chosen:
        return "–"
    return "<br>".join(f"{escape(_shown(k, kind))}: {v}" for k, v in chosen.items())


def daily_chart(report: Report) -> str:
    """Bars per day: listens started, and beside them listens finished; an accessible SVG."""
    days = list(report.days.items())
    if not days:
        return "<p>Chưa có lượt nghe nào trong khoảng thời gian này.</p>"
    peak = max(counts["started"] for _, counts in days) or 1
    slot = (_CHART_WIDTH - 2 * _MARGIN) / len(days)
    bar = max(2.0, slot * 0.4)
    usable = _CHART_HEIGHT - 2 * _MARGIN
    parts = [
        f'<svg role="img" aria-labelledby="chart-title" viewBox="0 0 {_CHART_WIDTH} '
        f'{_CHART_HEIGHT}" width="100%" style="max-width:{_CHART_WIDTH}px">',
        '<title id="chart-title">Lượt nghe theo ngày: bắt đầu (xanh đậm) và nghe hết '
        "(xanh nhạt)</title>",
        f'<line x1="{_MARGIN}" y1="{_CHART_HEIGHT - _MARGIN}" x2="{_CHART_WIDTH - _MARGIN}" '
        f'y2="{_CHART_HEIGHT - _MARGIN}" stroke="#555"/>',
        f'<text x="{_MARGIN - 6}" y="{_MARGIN + 4}" text-anchor="end" font-size="12">{peak}</text>',
    ]
    for i, (day, counts) in enumerate(days):
        x = _MARGIN + i * slot + (slot - 2 * bar) / 2
        for j, (metric, colour) in enumerate((("started", "#0b4f8a"), ("100", "#6fa8dc"))):
            height = usable * counts[metric] / peak
            top = _CHART_HEIGHT - _MARGIN - height
            parts.append(
                f'<rect x="{x + j * bar:.1f}" y="{top:.1f}" width="{bar:.1f}" '
                f'height="{height:.1f}" fill="{colour}"><title>{escape(day)}: '
                f"{counts[metric]} {'bắt đầu' if metric == 'started' else 'nghe hết'}"
                "</title></rect>"
            )
        if len(days) <= 16 or i % max(1, len(days) // 8) == 0:
            parts.append(
                f'<text x="{x + bar:.1f}" y="{_CHART_HEIGHT - _MARGIN + 16}" '
                f'text-anchor="middle" font-size="11">{escape(day[5:])}</text>'
            )
    parts.append("</svg>")
    legend = (
        '<p aria-hidden="true"><span style="color:#0b4f8a">■</span> bắt đầu nghe '
        '<span style="color:#6fa8dc">■</span> nghe hết</p>'
    )
    return "".join(parts) + legend


def render_page(tenant: str, report: Report) -> str:
    total = Counter[str]()
    for counts in report.days.values():
        total.update(counts)
    rows = "".join(
        "<tr>"
        f"<td>{_title_cell(s.title, s.url)}</td>"
        f"<td>{s.started}</td>"
        + "".join(f"<td>{_percent(s.counts[m], s.started)}</td>" for m in ("25", "50", "75", "100"))
        + f"<td>{_most(s, 'speed')}</td><td>{_most(s, 'voice')}</td>"
        "</tr>"
        for s in report.articles
    )
    table = (
        "<table><caption>Bài nhiều lượt nghe nhất ở trên cùng.</caption><thead><tr>"
        "<th scope='col'>Bài viết</th><th scope='col'>Lượt nghe</th>"
        "<th scope='col'>Nghe tới 25 %</th><th scope='col'>50 %</th><th scope='col'>75 %</th>"
        "<th scope='col'>Nghe hết</th><th scope='col'>Tốc độ chọn</th>"
        "<th scope='col'>Giọng chọn</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        if report.articles
        else ""
    )
    return (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Thống kê nghe — {escape(tenant)}</title>"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:1.5rem;max-width:60rem;color:#111}"
        "table{border-collapse:collapse;width:100%;margin-top:1rem}"
        "th,td{border-bottom:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}"
        "caption{text-align:left;margin:.5rem 0;color:#333}"
        "a{color:#0b4f8a}</style></head><body>"
        f"<h1>Thống kê nghe — {escape(tenant)}</h1>"
        f"<p>Từ ngày {escape(report.since)}: {total['started']} lượt nghe, "
        f"{total['100']} lượt nghe hết ({_percent(total['100'], total['started'])}).</p>"
        f"<h2>Theo ngày</h2>{daily_chart(report)}"
        f"<h2>Theo bài viết</h2>{table or '<p>Chưa có lượt nghe nào.</p>'}"
        "<p><small>Chỉ đếm số lượt theo bài và theo ngày: không cookie, không mã định danh, "
        "không lưu địa chỉ IP; trình duyệt bật Global Privacy Control hoặc Do Not Track "
        "không được đếm.</small></p></body></html>"
    )


def _title_cell(title: str, url: str | None) -> str:
    if url and url.startswith(("http://", "https://")):
        return f'<a href="{escape(url)}">{escape(title)}</a>'
    return escape(title)
