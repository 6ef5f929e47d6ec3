"""FastAPI dependencies of the routes: the service, the client, the tenant of an API key."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import Depends, Header, Request

from reader_service.api.service import Service
from reader_service.errors import RateLimitedError, UnauthorizedError
from reader_service.tenants import Tenant


def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(get_service)]


def get_client(request: Request, service: ServiceDep) -> str:
    """The rate-limit bucket of the request's client (trusted proxies only; IPv6 by /64)."""
    return service.limits.client(request)


ClientDep = Annotated[str, Depends(get_client)]


def get_tenant(
    service: ServiceDep,
    client: ClientDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Tenant:
    """The tenant of the request's API key. Wrong keys are counted per client address: past
    the limit every key attempt from there is 429 for a while. Calls are limited per key."""
    return authenticate(service, client, authorization)


def key_of(authorization: str | None) -> str | None:
    """The API key of an Authorization header: ``Bearer KEY``, or HTTP Basic with the key as
    the password (what a browser asks for on a page such as /stats)."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


def authenticate(service: Service, client: str, authorization: str | None) -> Tenant:
    limits = service.limits
    limits.key_failures.check(client)
    secret = key_of(authorization)
    try:
        tenant, key = service.tenants.authenticate_key(secret)
    except UnauthorizedError:
        if secret:
            try:
                limits.key_failures.take(client)
            except RateLimitedError:
                pass  # this attempt is already refused; the next ones get 429
        raise
    limits.keyed.take(f"key:{key.id}")
    return tenant


TenantDep = Annotated[Tenant, Depends(get_tenant)]
