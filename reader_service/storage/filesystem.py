"""The default store: files under one directory, written atomically."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from reader_service.errors import StorageError

_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]{2,127}$")


class FileStore:
    """Entries live at ``root/<first two characters>/<key>``; half-written files never show."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise StorageError(f"Khoá bộ đệm không hợp lệ: {key!r}")
        return self.root / key[:2] / key

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StorageError(f"Không đọc được bộ đệm {self.root}: {exc}") from exc

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StorageError(f"Không ghi được bộ đệm {self.root}: {exc}") from exc
