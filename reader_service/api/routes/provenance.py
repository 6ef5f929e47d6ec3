"""The service's public signing keys, for anyone checking a download (reader_service.provenance)."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter

from reader_service.api.deps import ServiceDep

router = APIRouter(tags=["provenance"])


@router.get("/.well-known/reader-service-key")
async def signing_keys(service: ServiceDep) -> dict[str, Any]:
    """Every public key the service has signed with (the current one first; retired keys stay,
    so old signatures can still be checked). Save it to check downloads offline:
    `reader-service verify AUDIO.mp3 --manifest M.json --key KEYS.json`."""

    def published() -> dict[str, Any]:
        service.signing_keys.current()  # made on first use
        return service.signing_keys.published()

    return await anyio.to_thread.run_sync(published)
