"""schemathesis: requests generated from our OpenAPI schema never get a 500."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from reader_service.api import create_app
from reader_service.settings import Settings

_folder = Path(tempfile.mkdtemp(prefix="reader-schema-"))
APP = create_app(
    Settings(
        cache_dir=_folder / "cache",
        data_dir=_folder / "data",
        anonymous_per_minute=100_000,
        max_text_chars=2_000,
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.path, case.method, response.text[:300])
    if response.status_code >= 400 and response.headers.get("content-type", [""])[0].startswith(
        "application/json"
    ):
        assert "error" in response.json()
