"""Listening statistics: counts per article and day, nothing about the listener."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select

from conftest import SAMPLE_PAGE
from reader_service.api import create_app
from reader_service.db import Database, database_url
from reader_service.errors import InvalidInputError
from reader_service.settings import Settings
from reader_service.stats import ListeningStats, PlayEvent
from reader_service.tenants import TenantRegistry

HOST = "so.example.gov.vn"
OTHER = "khac.example.vn"


@pytest.fixture
def portal(tmp_path: Path) -> tuple[TestClient, dict[str, str], dict[str, str]]:
    """A service with two tenants' articles: so-tttt's (two) and another's (one). Returns the
    client, article ids by name and so-tttt's Authorization header."""
    settings = Settings(
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        anonymous_per_minute=10_000,
        anonymous_concurrency=1_000,
    )
    registry = TenantRegistry.from_settings(settings)
    _, secret = registry.create_key("so-tttt", [HOST])
    _, other_secret = registry.create_key("khac", [OTHER])
    client = TestClient(create_app(settings))
    ids = {}
    for name, host, key in (("a", HOST, secret), ("b", HOST, secret), ("c", OTHER, other_secret)):
        made = client.post(
            "/v1/articles",
            json={"url": f"https://{host}/tin/{name}.html", "html": SAMPLE_PAGE.read_text("utf-8")},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert made.status_code == 201, made.text
        ids[name] = made.json()["id"]
    return client, ids, {"Authorization": f"Bearer {secret}"}


def _beacon(client: TestClient, body: dict[str, Any], **headers: str) -> int:
    """As navigator.sendBeacon posts a string: text/plain."""
    sent = client.post(
        "/v1/events",
        content=json.dumps(body),
        headers={"Content-Type": "text/plain;charset=UTF-8", **headers},
    )
    return sent.status_code


def test_milestones_speeds_and_voices_are_counted_per_article(
    portal: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    client, ids, auth = portal
    for speed in (1.0, 1.25, 1.3):  # 1.3 is counted as 1.25
        assert (
            _beacon(
                client, {"article": ids["a"], "event": "started", "speed": speed, "voice": "vi"}
            )
            == 204
        )
    for event in ("25", "50", "75", "100"):
        assert _beacon(client, {"article": ids["a"], "event": event}) == 204
    _beacon(client, {"article": ids["b"], "event": "started", "voice": "device"})
    _beacon(client, {"article": ids["c"], "event": "started"})  # another tenant's

    stats = client.get("/v1/stats", headers=auth).json()
    by_id = {a["id"]: a for a in stats["articles"]}
    assert set(by_id) == {ids["a"], ids["b"]}  # only this tenant's hosts
    first = by_id[ids["a"]]
    assert first["counts"] == {"started": 3, "25": 1, "50": 1, "75": 1, "100": 1}
    assert first["speeds"] == {"1": 1, "1.25": 2} and first["voices"] == {"vi": 3}
    assert by_id[ids["b"]]["voices"] == {"device": 1}
    assert stats["articles"][0]["id"] == ids["a"]  # most listened first
    (day,) = stats["days"]
    assert day["started"] == 4 and day["100"] == 1
    assert client.get("/v1/stats").status_code == 401


def test_global_privacy_control_and_do_not_track_are_not_counted(
    portal: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    client, ids, auth = portal
    assert _beacon(client, {"article": ids["a"], "event": "started"}, **{"Sec-GPC": "1"}) == 204
    assert _beacon(client, {"article": ids["a"], "event": "started"}, DNT="1") == 204
    assert client.get("/v1/stats", headers=auth).json()["articles"] == []


def test_bad_events_are_refused_and_count_nothing(
    portal: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    client, ids, auth = portal
    assert _beacon(client, {"article": ids["a"], "event": "played-twice"}) == 422
    assert _beacon(client, {"article": "0" * 24, "event": "started"}) == 404
    assert _beacon(client, {"article": "../../etc", "event": "started"}) == 404
    assert _beacon(client, {"article": ids["a"], "event": "started", "voice": "<b>x</b>"}) == 422
    assert client.post("/v1/events", content=b"not json").status_code == 422
    assert client.post("/v1/events", content=b"x" * 5000).status_code == 422
    assert client.get("/v1/stats", headers=auth).json()["articles"] == []


def test_counts_of_several_processes_add_up(tmp_path: Path) -> None:
    """Each worker keeps its own counts and adds them: none overwrites another's."""
    url = database_url(Settings(data_dir=tmp_path, cache_dir=tmp_path / "c"))
    database = Database(url)
    database.upgrade()
    first, second = ListeningStats(database), ListeningStats(database)
    for stats, times in ((first, 3), (second, 2)):
        for _ in range(times):
            stats.count(PlayEvent("a" * 24, "started"), HOST)
        stats.flush()
    first.count(PlayEvent("a" * 24, "started"), HOST)
    first.stop()  # shutting down writes what is left
    report = first.report({HOST}, date(2000, 1, 1))
    assert report.articles[0].started == 6
    with pytest.raises(InvalidInputError):
        PlayEvent("a" * 24, "skipped").metrics()


def test_nothing_stored_holds_the_listeners_address(
    portal: tuple[TestClient, dict[str, str], dict[str, str]], tmp_path: Path
) -> None:
    """TestClient's requests come from the address "testclient": after listens, beacons and
    rate-limited calls, no column of any table holds it."""
    client, ids, auth = portal
    client.get("/v1/listen", params={"url": "/demo/article"})
    for event in ("started", "25", "100"):
        _beacon(client, {"article": ids["a"], "event": event, "speed": 1, "voice": "vi"})
    client.get("/v1/stats", headers=auth)
    database = Database(database_url(Settings(data_dir=tmp_path / "data")))
    tables = MetaData()
    tables.reflect(database.engine)
    seen = 0
    with database.engine.connect() as connection:
        for table in tables.sorted_tables:
            for row in connection.execute(select(table)):
                seen += 1
                assert "testclient" not in json.dumps([str(v) for v in row]), table.name
    assert seen > 0


def test_the_stats_page_asks_for_the_key_and_draws_without_scripts(
    portal: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    client, ids, auth = portal
    _beacon(client, {"article": ids["a"], "event": "started"})
    _beacon(client, {"article": ids["a"], "event": "100"})
    asked = client.get("/stats")
    assert asked.status_code == 401 and asked.headers["www-authenticate"].startswith("Basic")
    secret = auth["Authorization"].removeprefix("Bearer ")
    basic = base64.b64encode(f"bien-tap:{secret}".encode()).decode()
    page = client.get("/stats", headers={"Authorization": f"Basic {basic}"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "<svg" in html and "Thống kê nghe — so-tttt" in html and "Nghe hết" in html
    assert "<script" not in html.lower()
    # Nothing fetched from elsewhere: the only absolute URLs are links to the articles.
    assert "src=" not in html and "@import" not in html
    assert f"https://{HOST}/tin/a.html" in html


def test_the_command_line_prints_the_tables(
    portal: tuple[TestClient, dict[str, str], dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reader_service.cli import cli
    from reader_service.settings import get_settings

    client, ids, auth = portal
    _beacon(client, {"article": ids["a"], "event": "started"})
    client.get("/v1/stats", headers=auth)  # the service's counts, written now
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    shown = CliRunner().invoke(cli, ["stats", "--tenant", "so-tttt"])
    assert shown.exit_code == 0, shown.output
    assert "bắt đầu" in shown.output and "nghe hết" in shown.output
    assert "Tổ chức hoạt động" in shown.output  # the article's title
    nobody = CliRunner().invoke(cli, ["stats", "--tenant", "khac", "--since", "2099-01-01"])
    assert "chưa có lượt nghe nào" in nobody.output
