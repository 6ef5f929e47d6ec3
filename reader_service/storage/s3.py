"""Clips and assembled audio in S3-compatible object storage (Ceph RGW, MinIO, AWS, the S3 of
Vietnamese cloud providers), shared by every replica and worker.

``READER_STORE_URL=s3://bucket/prefix`` chooses it; ``READER_S3_ENDPOINT`` and ``READER_S3_REGION``
say where; credentials come from the standard AWS variables (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``), read by the client itself.

Why obstore: it has async calls for the hot path and measured the fastest Python S3 client; a
GET of a clip from a local RGW takes about 1.5 ms.

Every object is written once (``If-None-Match: *``): a key names its content, so an object that
exists is already right, and a late writer (a replica paused past its lock) is refused by the
storage itself instead of replacing a clip a listener may be downloading. Objects carry
``Cache-Control: public, max-age=31536000, immutable`` so nginx and browsers keep them.

There is no pruning here: the bucket's lifecycle rule expires old objects (README, "Running
several replicas"). A clip that expired is made again from its article's record on its next
request, so nothing handed out stops working.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import obstore
from obstore.exceptions import AlreadyExistsError, BaseError

from reader_service.errors import StorageError
from reader_service.storage.keys import check_key, content_type_of

if TYPE_CHECKING:
    from obstore.store import S3Store as ObjectStore

log = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"


def _store_error(action: str, key: str, exc: Exception) -> StorageError:
    first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return StorageError(f"Kho lưu trữ S3 không {action} được {key}: {first_line}")


class S3Store:
    """The ``Store`` protocol over one bucket and prefix."""

    def __init__(
        self,
        url: str,
        endpoint: str | None = None,
        region: str | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        from obstore.store import S3Store as ObjectStore

        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise StorageError(
                f"READER_STORE_URL phải có dạng s3://tên-bucket/tiền-tố, không phải {url!r}."
            )
        self.url = url
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        if endpoint and not (
            os.environ.get("AWS_ACCESS_KEY_ID") and os.environ.get("AWS_SECRET_ACCESS_KEY")
        ):
            # Without them the client would go looking for an AWS machine role (the metadata
            # address 169.254.169.254), which an in-house S3 server never has.
            raise StorageError(
                "READER_S3_ENDPOINT đã đặt nhưng thiếu khoá truy cập kho S3: hãy đặt "
                "AWS_ACCESS_KEY_ID và AWS_SECRET_ACCESS_KEY."
            )
        config: dict[str, Any] = {}
        if endpoint:
            # S3-compatible servers (Ceph RGW, MinIO) address buckets by path, and a loopback
            # or in-house endpoint is often plain HTTP.
            config["endpoint"] = endpoint
            config["virtual_hosted_style_request"] = False
        if region:
            config["region"] = region
        self._store: ObjectStore = ObjectStore(
            self.bucket,
            prefix=self.prefix or None,
            client_options={
                "allow_http": bool(endpoint and endpoint.startswith("http://")),
                "timeout": f"{max(1, int(timeout_s))}s",
                "connect_timeout": "2s",
            },
            # A listener waits on these calls: a few quick retries, never minutes.
            retry_config={"max_retries": 2, "retry_timeout": timedelta(seconds=timeout_s)},
            **config,
        )
        self.write_refusals = 0  # write-once PUTs the storage refused (the object existed)

    def __repr__(self) -> str:
        return f"S3Store({self.url!r})"

    @property
    def location(self) -> str:
        return self.url

    def get(self, key: str) -> bytes | None:
        check_key(key)
        try:
            return bytes(obstore.get(self._store, key).bytes())
        except FileNotFoundError:
            return None
        except (BaseError, OSError) as exc:
            raise _store_error("đọc", key, exc) from exc

    async def get_async(self, key: str) -> bytes | None:
        check_key(key)
        try:
            result = await obstore.get_async(self._store, key)
            return bytes(await result.bytes_async())
        except FileNotFoundError:
            return None
        except (BaseError, OSError) as exc:
            raise _store_error("đọc", key, exc) from exc

    def put(self, key: str, data: bytes) -> None:
        """Writes the object unless it exists (then it is already this content)."""
        check_key(key)
        try:
            obstore.put(
                self._store,
                key,
                data,
                mode="create",
                attributes={"Content-Type": content_type_of(key), "Cache-Control": IMMUTABLE},
            )
        except AlreadyExistsError:
            self.write_refusals += 1
        except (BaseError, OSError) as exc:
            raise _store_error("ghi", key, exc) from exc

    def has(self, key: str) -> bool:
        return self.stat(key) is not None

    def stat(self, key: str) -> tuple[int, float] | None:
        """(size in bytes, time written) of an object, or None."""
        check_key(key)
        try:
            meta = obstore.head(self._store, key)
        except FileNotFoundError:
            return None
        except (BaseError, OSError) as exc:
            raise _store_error("đọc", key, exc) from exc
        return meta["size"], meta["last_modified"].timestamp()

    def touch(self, key: str) -> None:
        """Nothing: objects expire by the bucket's lifecycle rule (by age), and an expired clip
        is made again on its next request."""

    def delete(self, key: str) -> None:
        check_key(key)
        try:
            obstore.delete(self._store, key)
        except FileNotFoundError:
            pass
        except (BaseError, OSError) as exc:
            raise _store_error("xoá", key, exc) from exc

    def ping(self) -> None:
        """Raises unless the bucket answers (a listing of at most one object)."""
        try:
            next(iter(obstore.list(self._store, chunk_size=1)), None)
        except (BaseError, OSError) as exc:
            raise _store_error("liệt kê", self.bucket, exc) from exc
