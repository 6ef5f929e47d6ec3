"""Errors of reader-service: one tree, each class with a stable code and an HTTP status.

Messages are written for a portal editor (Vietnamese, say what to do); `code` is for machines.
Third-party exceptions are translated into these at the edge, with ``raise ... from exc``.
"""

from __future__ import annotations


class ReaderError(Exception):
    """Base of every error the service reports to a user."""

    code: str = "reader_error"
    http_status: int = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, dict[str, str]]:
        """The JSON error body used by the HTTP API."""
        return {"error": {"code": self.code, "message": self.message}}


class InvalidInputError(ReaderError):
    """The request itself is unusable (empty text, bad option)."""

    code = "invalid_input"
    http_status = 422


class EmptyTextError(InvalidInputError):
    code = "empty_text"


class LexiconError(InvalidInputError):
    """An operator's lexicon file cannot be read or has a malformed line."""

    code = "bad_lexicon"


class TextTooLongError(InvalidInputError):
    code = "text_too_long"
    http_status = 413


class UnauthorizedError(ReaderError):
    """No API key, a wrong one, or a revoked one."""

    code = "unauthorized"
    http_status = 401


class ForbiddenError(ReaderError):
    """The key is valid but not for this host or action."""

    code = "forbidden"
    http_status = 403


class NotFoundError(ReaderError):
    code = "not_found"
    http_status = 404


class RateLimitedError(ReaderError):
    code = "rate_limited"
    http_status = 429


class RequestTooLargeError(InvalidInputError):
    """A request body over the service's cap."""

    code = "request_too_large"
    http_status = 413


class SourceNotFoundError(ReaderError):
    """A local file given as source does not exist or cannot be read."""

    code = "source_not_found"
    http_status = 404


class FetchError(ReaderError):
    """The page could not be downloaded."""

    code = "fetch_failed"
    http_status = 502


class FetchTimeoutError(FetchError):
    """The page was not fully received within its deadline."""

    code = "fetch_timeout"
    http_status = 504


class BusyError(ReaderError):
    """Too much work of this kind at once; the client should retry shortly."""

    code = "busy"
    http_status = 503


class UnsafeURLError(FetchError):
    """The URL points somewhere the service must not go (private network, bad scheme)."""

    code = "url_not_allowed"
    http_status = 403


class HostNotAllowedError(UnsafeURLError):
    """The page's host is not in the operator's allow-list (READER_ALLOWED_HOSTS)."""

    code = "host_not_allowed"


class PageTooLargeError(FetchError):
    code = "page_too_large"
    http_status = 413


class NotHTMLError(FetchError):
    code = "not_html"
    http_status = 415


class ExtractionError(ReaderError):
    """The page holds no article that can be read."""

    code = "no_article"
    http_status = 422


class EngineUnavailableError(ReaderError):
    """The speech engine asked for is not installed or cannot start here."""

    code = "engine_unavailable"
    http_status = 503


class SynthesisError(ReaderError):
    code = "synthesis_failed"
    http_status = 500


class AudioError(ReaderError):
    """Joining or encoding audio failed."""

    code = "audio_failed"
    http_status = 500


class StorageError(ReaderError):
    code = "storage_failed"
    http_status = 500
