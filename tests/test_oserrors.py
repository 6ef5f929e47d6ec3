"""Library and system errors said in Vietnamese (reader_service.oserrors), and at the edges."""

from __future__ import annotations

import errno
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from conftest import free_port
from reader_service.oserrors import explain


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), "từ chối kết nối"),
        (socket.gaierror(-2, "Name or service not known"), "không tìm thấy máy chủ"),
        (OSError(errno.ENETUNREACH, "Network is unreachable"), "không có đường mạng"),
        (httpx.ConnectError("[Errno 111] Connection refused"), "từ chối kết nối"),
        (httpx.ReadTimeout("The read operation timed out"), "quá thời gian chờ"),
        (RuntimeError("something odd"), "lỗi kết nối (RuntimeError)"),
    ],
)
def test_errors_are_said_in_vietnamese(error: BaseException, said: str) -> None:
    assert said in explain(error)


def test_a_wrapped_cause_is_found() -> None:
    try:
        try:
            raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
        except OSError as inner:
            raise httpx.ConnectError("all attempts failed") from inner
    except httpx.ConnectError as outer:
        assert "từ chối kết nối" in explain(outer)


def test_the_command_says_a_refused_connection_in_one_vietnamese_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader_service", "read", f"http://127.0.0.1:{free_port()}/x.html"],
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "READER_ALLOW_LOOPBACK": "1",
            "XDG_CACHE_HOME": str(tmp_path),
        },
        timeout=60,
    )
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert "máy chủ từ chối kết nối" in stderr and "Errno" not in stderr
    assert len(stderr.strip().splitlines()) == 1
