"""Library and operating-system errors said in one Vietnamese line, at the edge where they
become the service's own errors: "[Errno 111] Connection refused" means nothing to an editor."""

from __future__ import annotations

import errno
import socket
import ssl

# Known causes, looked for in the exception and the ones it was raised from.
_BY_ERRNO = {
    errno.ECONNREFUSED: "máy chủ từ chối kết nối (không có dịch vụ ở cổng đó)",
    errno.ECONNRESET: "máy chủ ngắt kết nối giữa chừng",
    errno.ENETUNREACH: "không có đường mạng tới máy chủ",
    errno.EHOSTUNREACH: "không có đường mạng tới máy chủ",
    errno.ETIMEDOUT: "quá thời gian chờ kết nối",
    errno.EACCES: "không có quyền truy cập",
    errno.ENOENT: "không tìm thấy tệp hoặc thư mục",
    errno.ENOSPC: "ổ đĩa đã đầy",
}
# Words of the messages libraries write, where no errno survives (httpx wraps httpcore's).
_BY_TEXT = (
    ("connection refused", _BY_ERRNO[errno.ECONNREFUSED]),
    ("name or service not known", "không tìm thấy máy chủ (tên miền không phân giải được)"),
    ("temporary failure in name resolution", "không phân giải được tên miền (mạng hoặc DNS)"),
    ("nodename nor servname", "không tìm thấy máy chủ (tên miền không phân giải được)"),
    ("network is unreachable", _BY_ERRNO[errno.ENETUNREACH]),
    ("connection reset", _BY_ERRNO[errno.ECONNRESET]),
    ("certificate verify failed", "chứng chỉ bảo mật (HTTPS) của máy chủ không hợp lệ"),
    ("timed out", "quá thời gian chờ"),
    ("server disconnected", "máy chủ ngắt kết nối giữa chừng"),
)


def explain(exc: BaseException) -> str:
    """What went wrong, in Vietnamese, for an error from the network or the system."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return "chứng chỉ bảo mật (HTTPS) của máy chủ không hợp lệ"
        if isinstance(seen, socket.gaierror):
            return "không tìm thấy máy chủ (tên miền không phân giải được)"
        if isinstance(seen, OSError) and seen.errno in _BY_ERRNO:
            return _BY_ERRNO[seen.errno]
        text = str(seen).casefold()
        for words, meaning in _BY_TEXT:
            if words in text:
                return meaning
        seen = seen.__cause__ or seen.__context__
    return f"lỗi kết nối ({type(exc).__name__})"
