"""reader-service: Vietnamese portal articles read aloud ("Đọc nội dung").

Stages live in their modules (``reader_service.extract.extract``,
``reader_service.normalize.normalize``, ``reader_service.pipeline.render``); they are not
re-exported here because their names would shadow the modules themselves.
"""

from __future__ import annotations

__version__ = "0.1.0"

from reader_service.errors import ReaderError  # noqa: E402
from reader_service.models import Article, Rendition  # noqa: E402

__all__ = ["Article", "ReaderError", "Rendition", "__version__"]
