from __future__ import annotations

from fastapi.testclient import TestClient

from reader_service.api import create_app
from reader_service.settings import Settings


def test_healthz() -> None:
    client = TestClient(create_app(Settings(engine="espeak")))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["engine"] == "espeak"


def test_openapi_is_served() -> None:
    client = TestClient(create_app(Settings()))
    assert client.get("/docs").status_code == 200
    assert "/healthz" in client.get("/openapi.json").json()["paths"]
