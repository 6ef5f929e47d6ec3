"""gTTS: Google Translate's natural Vietnamese voice (online).

Our segmentation feeds it chunks of at most 100 characters at clause, then word boundaries
(``max_chars``). One sentence has a time budget (``budget_s``, retries included; gTTS's own
default waits forever): 429 and 5xx answers are retried with exponential back-off inside it. A
request that times out, or that cannot connect at all (no route, name not resolved, refused),
means the network is down: the circuit breaker opens at once, so the next sentences and
listeners fall back to the offline voice without waiting; other failures open it after
``breaker_failures`` in a row. gTTS errors become ours.

``reachable`` is a short probe of Google's host (cached a little while) for ``engines`` and
health checks: "usable" means the machine can reach Google now, not that the package imports.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from reader_service import audio
from reader_service.engines.base import EngineConfig, EngineInfo
from reader_service.errors import EngineUnavailableError, InvalidInputError, SynthesisError
from reader_service.models import Clip, SynthesisOptions
from reader_service.oserrors import explain

log = logging.getLogger(__name__)

VOICES = ("vi",)
# Below this rate gTTS's "slow" reading is used (it has only normal and slow).
_SLOW_BELOW_WPM = 120
# Google's Vietnamese voice, syllables a minute at normal and slow speed: NOT measured here
# (no network where this was written); a newsreader's pace and gTTS's slow speed at about two
# thirds of it. preview uses it only until this process has made a gTTS reading
# (reader_service.duration.observe), whose real pace then replaces it.
_NOMINAL_SYLLABLES_PER_MINUTE = 250.0
_SLOW_FACTOR = 0.65
# The reachability probe: how long it may take (name lookup included), and how long its answer
# holds.
PROBE_TIMEOUT_S = 3.0
PROBE_TTL_S = 30.0
# Connecting is quick on a working network; a longer wait means a black hole.
_CONNECT_TIMEOUT_S = 3.0
# A chunk with nothing to say (punctuation only): a short silence instead of a request.
_SILENCE_MS = 150


class GttsEngine:
    def __init__(
        self,
        tld: str | None = None,
        timeout_s: float | None = None,
        budget_s: float | None = None,
        config: EngineConfig | None = None,
        retries: int = 3,
        backoff_s: float = 0.5,
        breaker_failures: int = 5,
        breaker_cooldown_s: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        config = config or EngineConfig()
        tld = tld or config.gtts_tld
        timeout_s = timeout_s or config.gtts_timeout_s
        budget_s = budget_s or config.gtts_budget_s
        try:
            import gtts  # noqa: F401  (checked here so "engines" reports it)
        except ImportError as exc:  # pragma: no cover - gtts is a dependency
            raise EngineUnavailableError("Chưa cài gói gTTS.") from exc
        self.tld = tld
        self.timeout_s = timeout_s
        self.budget_s = budget_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.breaker_failures = breaker_failures
        self.breaker_cooldown_s = breaker_cooldown_s
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._open_until = 0.0
        self._probed: tuple[float, str | None] | None = None
        self.info = EngineInfo(
            name="gtts",
            online=True,
            max_chars=100,
            voices=VOICES,
            sample_rate=24_000,
            default_voice="vi",
        )

    def synthesize(self, text: str, voice: str, options: SynthesisOptions) -> Clip:
        if voice not in VOICES:
            raise InvalidInputError(f"gTTS chỉ có giọng {', '.join(VOICES)}, không có '{voice}'.")
        if not any(ch.isalnum() for ch in text):
            return Clip(b"\x00\x00" * (24 * _SILENCE_MS), 24_000, "gtts", voice)
        if not self.available():
            raise EngineUnavailableError("gTTS tạm ngừng sau lỗi kết nối; dùng bộ đọc dự phòng.")
        mp3 = self._fetch(text, slow=options.rate_wpm < _SLOW_BELOW_WPM)
        return audio.from_mp3(mp3, "gtts", voice)

    @property
    def host(self) -> str:
        return f"translate.google.{self.tld}"

    def reachable(self) -> str | None:
        """None if Google's host answers now (any HTTP answer will do), else why not, in
        Vietnamese. At most PROBE_TIMEOUT_S, name lookup included; cached PROBE_TTL_S."""
        with self._lock:
            if self._probed is not None and self._clock() - self._probed[0] < PROBE_TTL_S:
                return self._probed[1]
        import requests

        def probe() -> None:
            requests.head(
                f"https://{self.host}/", timeout=PROBE_TIMEOUT_S, allow_redirects=False
            ).close()

        # A thread, because requests' timeout does not bound the name lookup.
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gtts-probe")
        try:
            pool.submit(probe).result(timeout=PROBE_TIMEOUT_S + 0.5)
            why = None
        except FutureTimeout:
            why = f"không kết nối được {self.host} (quá {PROBE_TIMEOUT_S:g} giây)"
        except requests.RequestException as exc:
            why = f"không kết nối được {self.host}: {explain(exc)}"
        finally:
            pool.shutdown(wait=False)
        with self._lock:
            self._probed = (self._clock(), why)
        return why

    def nominal_syllables_per_minute(self, options: SynthesisOptions) -> float:
        """The pace preview assumes before any gTTS reading has been timed."""
        slow = options.rate_wpm < _SLOW_BELOW_WPM
        return _NOMINAL_SYLLABLES_PER_MINUTE * (_SLOW_FACTOR if slow else 1.0)

    def available(self) -> bool:
        """False while the breaker is open: callers go straight to the fallback."""
        with self._lock:
            return self._clock() >= self._open_until

    def _fetch(self, text: str, slow: bool) -> bytes:
        import requests
        from gtts import gTTS, gTTSError

        deadline = self._clock() + self.budget_s
        for attempt in range(self.retries + 1):
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise self._opened(f"gTTS không trả lời trong {self.budget_s:g} giây")
            try:
                buffer = io.BytesIO()
                gTTS(
                    text=text,
                    lang="vi",
                    tld=self.tld,
                    slow=slow,
                    # gTTS hands this to requests: (connect, read).
                    timeout=(
                        min(_CONNECT_TIMEOUT_S, remaining),
                        min(self.timeout_s, remaining),
                    ),
                ).write_to_fp(buffer)
            except gTTSError as exc:
                status = exc.rsp.status_code if exc.rsp is not None else None
                if isinstance(exc.__context__, requests.Timeout):
                    # A black hole: every retry would wait as long again.
                    raise self._opened("gTTS không trả lời (hết thời gian chờ)") from exc
                if isinstance(exc.__context__, requests.ConnectionError):
                    # No route, no name, refused: the network is down, not busy.
                    raise self._opened(f"không kết nối được {self.host}: {explain(exc)}") from exc
                retryable = status is None or status == 429 or status >= 500
                if retryable and attempt < self.retries:
                    delay = self.backoff_s * 2**attempt
                    if delay >= deadline - self._clock():
                        # Out of time for this sentence: too slow to wait on for the next ones.
                        raise self._opened(
                            f"gTTS không trả lời được trong {self.budget_s:g} giây: {explain(exc)}"
                        ) from exc
                    log.info("gTTS trả lời mã %s; thử lại sau %.1f giây", status, delay)
                    self._sleep(delay)
                    continue
                self._failed()
                if retryable:
                    raise EngineUnavailableError(
                        f"gTTS không trả lời được: {explain(exc)}"
                    ) from exc
                raise SynthesisError(f"gTTS từ chối đoạn văn bản: {exc}") from exc
            data = buffer.getvalue()
            if not data:
                self._failed()
                raise SynthesisError("gTTS không trả về âm thanh.")
            with self._lock:
                self._failures = 0
            return data
        raise AssertionError("unreachable")  # pragma: no cover

    def _opened(self, why: str) -> EngineUnavailableError:
        """Open the breaker; the error says why and for how long (the one line a reader sees
        when the fallback takes over)."""
        with self._lock:
            self._open_until = self._clock() + self.breaker_cooldown_s
            self._failures = 0
        return EngineUnavailableError(
            f"{why}; tạm không gọi gTTS trong {self.breaker_cooldown_s:g} giây"
        )

    def _failed(self) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= self.breaker_failures:
                self._open_until = self._clock() + self.breaker_cooldown_s
                self._failures = 0
                log.warning(
                    "gTTS lỗi nhiều lần liên tiếp; tạm không gọi trong %.0f giây",
                    self.breaker_cooldown_s,
                )
