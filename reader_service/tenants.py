"""Tenants (portals) and their API keys. Keys are stored hashed; a key is shown once.

The registry is one JSON file (``READER_DATA_DIR/tenants.json``), written atomically. The
default tenant is the operator's own configuration: READER_ALLOWED_HOSTS.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader_service.errors import InvalidInputError, StorageError, UnauthorizedError

KEY_PREFIX = "rs_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    id: str
    hash: str
    created: str
    revoked: str | None = None


@dataclass(frozen=True)
class Tenant:
    name: str
    hosts: frozenset[str]
    keys: tuple[ApiKey, ...] = field(default=())
    # Called (POST, JSON) when one of the tenant's batches or articles is done.
    webhook: str | None = None


def normalise_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if not host or any(ch in host for ch in "/ @\\"):
        raise InvalidInputError(
            f"Tên máy '{host}' không hợp lệ (dạng example.gov.vn hoặc host:port)."
        )
    return host.removeprefix("www.")


def check_webhook(url: str) -> None:
    """A webhook must be a well-formed http(s) URL. Its addresses are checked each time an
    event is sent (names can change what they point at), by the same policy as pages."""
    from reader_service.fetch import split_url

    if not url.startswith(("http://", "https://")):
        raise InvalidInputError("Địa chỉ webhook cần bắt đầu bằng http:// hoặc https://.")
    split_url(url)


class TenantRegistry:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()

    def _load(self) -> dict[str, Tenant]:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise StorageError(f"Không đọc được danh sách đơn vị {self.path}: {exc}") from exc
        return {
            name: Tenant(
                name,
                frozenset(entry.get("hosts", [])),
                tuple(ApiKey(**key) for key in entry.get("keys", [])),
                entry.get("webhook"),
            )
            for name, entry in data.get("tenants", {}).items()
        }

    def _save(self, tenants: dict[str, Tenant]) -> None:
        if self.path is None:
            raise StorageError("Chưa cấu hình thư mục dữ liệu (READER_DATA_DIR).")
        data: dict[str, Any] = {
            "tenants": {
                t.name: {
                    "hosts": sorted(t.hosts),
                    "keys": [key.__dict__ for key in t.keys],
                    "webhook": t.webhook,
                }
                for t in tenants.values()
            }
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False, indent=1)
        os.replace(temporary, self.path)

    def tenants(self) -> list[Tenant]:
        return list(self._load().values())

    def create_key(
        self, tenant: str, hosts: list[str], webhook: str | None = None
    ) -> tuple[ApiKey, str]:
        """A new key for ``tenant`` (created if new; its hosts extended). Returns the key once."""
        if not tenant.strip():
            raise InvalidInputError("Cần tên đơn vị (--tenant).")
        with self._lock:
            tenants = self._load()
            current = tenants.get(tenant, Tenant(tenant, frozenset()))
            secret = KEY_PREFIX + secrets.token_urlsafe(32)
            key = ApiKey(
                id=secrets.token_hex(4),
                hash=_hash(secret),
                created=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            if webhook:
                check_webhook(webhook)
            tenants[tenant] = Tenant(
                tenant,
                current.hosts | {normalise_host(h) for h in hosts},
                (*current.keys, key),
                webhook or current.webhook,
            )
            self._save(tenants)
        return key, secret

    def revoke(self, key_id: str) -> Tenant:
        with self._lock:
            tenants = self._load()
            for tenant in tenants.values():
                if any(key.id == key_id for key in tenant.keys):
                    now = datetime.now(UTC).isoformat(timespec="seconds")
                    keys = tuple(
                        ApiKey(k.id, k.hash, k.created, now) if k.id == key_id else k
                        for k in tenant.keys
                    )
                    tenants[tenant.name] = Tenant(tenant.name, tenant.hosts, keys, tenant.webhook)
                    self._save(tenants)
                    return tenants[tenant.name]
        raise InvalidInputError(f"Không có khoá '{key_id}'.")

    def authenticate(self, secret: str | None) -> Tenant:
        """The tenant of a valid, unrevoked key; 401 otherwise (missing, wrong or revoked)."""
        return self.authenticate_key(secret)[0]

    def authenticate_key(self, secret: str | None) -> tuple[Tenant, ApiKey]:
        """The tenant and the key itself (limits are counted per key)."""
        if not secret:
            raise UnauthorizedError("Cần khoá API (tiêu đề Authorization: Bearer <khoá>).")
        digest = _hash(secret)
        for tenant in self._load().values():
            for key in tenant.keys:
                if hmac.compare_digest(key.hash, digest):
                    if key.revoked:
                        raise UnauthorizedError("Khoá API đã bị thu hồi.")
                    return tenant, key
        raise UnauthorizedError("Khoá API không đúng.")
