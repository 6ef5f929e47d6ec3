"""Access policy: which hosts may be read for whom, which origins may call, with what options."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from reader_service.fetch import DEFAULT_PORTS, FetchOptions, host_allowed
from reader_service.settings import Settings
from reader_service.tenants import Tenant, TenantRegistry


class AccessPolicy:
    def __init__(self, settings: Settings, tenants: TenantRegistry, fetch: FetchOptions) -> None:
        self.settings = settings
        self.tenants = tenants
        self.fetch = fetch

    def allowed_hosts(self, tenant: Tenant | None = None) -> frozenset[str]:
        """A tenant's own hosts; for anonymous listeners, the operator's list and every
        tenant's hosts."""
        if tenant is not None:
            return tenant.hosts
        hosts = set(self.settings.allowed_host_set)
        for each in self.tenants.tenants():
            hosts |= each.hosts
        return frozenset(hosts)

    def origin_allowed(self, origin: str) -> bool:
        """CORS: the origin's scheme, host and port must be those of an allowed portal (an
        entry without a port stands for the scheme's default port)."""
        try:
            parts = urlsplit(origin)
            host, port = (parts.hostname or "").lower(), parts.port
        except ValueError:
            return False
        if parts.scheme not in DEFAULT_PORTS or not host or parts.path not in ("", "/"):
            return False
        port = port or DEFAULT_PORTS[parts.scheme]
        return host_allowed(host, port, parts.scheme, self.allowed_hosts())

    def fetch_options(self, tenant: Tenant | None = None) -> FetchOptions:
        return replace(self.fetch, allowed_hosts=self.allowed_hosts(tenant), require_allowed=True)
