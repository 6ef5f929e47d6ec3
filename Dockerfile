# reader-service: the HTTP service with the offline espeak-ng voice, on a slim Python base.
#   docker build -t reader-service .
#   docker run -p 8000:8000 -v reader-cache:/var/cache/reader-service reader-service
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    READER_CACHE_DIR=/var/cache/reader-service \
    READER_DATA_DIR=/var/lib/reader-service \
    READER_HOST=0.0.0.0 \
    READER_PORT=8000

RUN useradd --system --create-home --home-dir /home/reader --uid 10001 reader \
    && mkdir -p /var/cache/reader-service /var/lib/reader-service \
    && chown reader /var/cache/reader-service /var/lib/reader-service

WORKDIR /src
COPY pyproject.toml README.md ./
COPY reader_service ./reader_service
COPY static ./static
# espeak-ng (espeakng-loader), LAME (lameenc) and dr_mp3 (miniaudio) come as wheels: no apt packages.
RUN pip install . && rm -rf /src

USER reader
WORKDIR /home/reader
VOLUME ["/var/cache/reader-service", "/var/lib/reader-service"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["reader-service", "serve", "--host", "0.0.0.0", "--port", "8000"]
