"""Provenance: anyone can check that an MP3 is this service's reading of a given text.

A reading's manifest carries the text read (title and paragraphs, as served) and a signed
statement: the article's URL, the SHA-256 of that text, the SHA-256 of the MP3 handed out, the
engines and voice, the pipeline version, the time, and the id of the key. The signature is
Ed25519 over the statement written as canonical JSON (keys sorted, no spaces, UTF-8). The
service's public keys are at ``/.well-known/reader-service-key``; ``reader-service verify``
checks a download offline. Keys are made on first use and kept in the metadata database;
rotating makes a new key and retires the old one, whose public half stays published.

The text hash is SHA-256 of the title and the paragraphs joined by blank lines ("\\n\\n"), in
UTF-8: what a verifier recomputes from the manifest's ``title`` and ``paragraphs``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from reader_service.clips import PIPELINE_VERSION
from reader_service.db import Database, insert_missing, now
from reader_service.db.schema import signing_keys
from reader_service.models import Article

ALGORITHM = "Ed25519"


def text_read(title: str, paragraphs: Sequence[str]) -> str:
    """The text a reading speaks, as one string: the title, then each paragraph."""
    return "\n\n".join(block for block in (title, *paragraphs) if block)


def text_sha256(title: str, paragraphs: Sequence[str]) -> str:
    return hashlib.sha256(text_read(title, paragraphs).encode("utf-8")).hexdigest()


def canonical(statement: dict[str, Any]) -> bytes:
    return json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def fingerprint(public_key: str) -> str:
    """A short, readable form of a public key, for comparing it by eye."""
    digest = hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:20]
    return ":".join(digest[i : i + 4] for i in range(0, len(digest), 4))


@dataclass(frozen=True)
class SigningKey:
    id: str
    private_key: str  # base64 of the 32-byte Ed25519 seed
    public_key: str  # base64 of the 32-byte Ed25519 public key
    created: str
    retired: str | None = None

    def published(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "algorithm": ALGORITHM,
            "public_key": self.public_key,
            "fingerprint": fingerprint(self.public_key),
            "created": self.created,
            "retired": self.retired,
        }

    def sign(self, message: bytes) -> str:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        seed = base64.b64decode(self.private_key)
        return _b64(Ed25519PrivateKey.from_private_bytes(seed).sign(message))


def _new_key() -> SigningKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    created = now()
    key_id = f"{created[:10].replace('-', '')}-{secrets.token_hex(4)}"
    return SigningKey(key_id, _b64(seed), _b64(public), created)


class SigningKeys:
    """The service's keys in the metadata database (shared by every replica and worker)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def all(self) -> list[SigningKey]:
        with self.database.transaction(read_only=True) as connection:
            rows = connection.execute(
                select(signing_keys).order_by(signing_keys.c.created, signing_keys.c.id)
            ).all()
        return [SigningKey(**row._asdict()) for row in rows]

    def current(self) -> SigningKey:
        """The key signatures are made with; made on first use. Replicas starting together may
        each make one: all stay valid and published, and all then sign with the oldest."""
        active = [key for key in self.all() if key.retired is None]
        if active:
            return active[0]
        key = _new_key()
        with self.database.transaction() as connection:
            insert_missing(connection, signing_keys, _row(key))
        return self.current()

    def rotate(self) -> SigningKey:
        """A new key; the keys before it are retired (their public halves stay published)."""
        key = _new_key()
        with self.database.transaction() as connection:
            connection.execute(
                update(signing_keys)
                .where(signing_keys.c.retired.is_(None))
                .values(retired=key.created)
            )
            insert_missing(connection, signing_keys, _row(key))
        return key

    def published(self) -> dict[str, Any]:
        """What /.well-known/reader-service-key serves: every public key, current first."""
        keys = self.all()
        current = [k for k in keys if k.retired is None][:1]
        rest = [k for k in keys if k not in current]
        return {"algorithm": ALGORITHM, "keys": [k.published() for k in current + rest]}


def _row(key: SigningKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "private_key": key.private_key,
        "public_key": key.public_key,
        "created": key.created,
        "retired": key.retired,
    }


def sign(
    key: SigningKey, article: Article, mp3: bytes, engines: Sequence[str], voice: str
) -> dict[str, Any]:
    """The provenance block of a manifest for ``mp3``, the reading of ``article``."""
    statement = {
        "article_url": article.url or article.canonical_url,  # where it was read, else its claim
        "text_sha256": text_sha256(article.title, article.paragraphs),
        "audio_sha256": hashlib.sha256(mp3).hexdigest(),
        "engine": ",".join(engines),
        "voice": voice,
        "pipeline_version": PIPELINE_VERSION,
        "signed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "key_id": key.id,
    }
    return {
        "algorithm": ALGORITHM,
        "statement": statement,
        "signature": key.sign(canonical(statement)),
        "public_key": key.public_key,
    }


@dataclass(frozen=True)
class Verdict:
    """What a check found: ``problems`` is empty when the download is what was signed."""

    problems: tuple[str, ...]
    key_id: str | None
    fingerprint: str | None
    key_trusted: bool

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(mp3: bytes, manifest: dict[str, Any], trusted: dict[str, Any] | None = None) -> Verdict:
    """Check ``mp3`` against ``manifest``'s text and signature. ``trusted`` is the service's
    published key list (/.well-known/reader-service-key); without it, the key in the manifest
    is used and the verdict says it was not checked against the published one."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    block = manifest.get("provenance")
    if not isinstance(block, dict) or not isinstance(block.get("statement"), dict):
        return Verdict(("Tệp mô tả không có phần chữ ký (provenance).",), None, None, False)
    statement = block["statement"]
    key_id = str(statement.get("key_id", ""))
    problems = []
    public_key = str(block.get("public_key", ""))
    key_trusted = False
    if trusted is not None:
        published = {str(k.get("id")): str(k.get("public_key")) for k in trusted.get("keys", [])}
        if key_id not in published:
            problems.append(f"Khoá {key_id} không có trong danh sách khoá công bố của dịch vụ.")
        else:
            public_key, key_trusted = published[key_id], True
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key)).verify(
            base64.b64decode(str(block.get("signature", ""))), canonical(statement)
        )
    except (InvalidSignature, ValueError):
        problems.append("Chữ ký không khớp: phần mô tả đã bị sửa hoặc không do khoá này ký.")
    audio_hash = hashlib.sha256(mp3).hexdigest()
    if audio_hash != statement.get("audio_sha256"):
        problems.append("Tệp âm thanh khác tệp đã ký (mã băm SHA-256 không khớp).")
    title = str(manifest.get("title") or "")
    paragraphs = [str(p) for p in manifest.get("paragraphs") or []]
    if text_sha256(title, paragraphs) != statement.get("text_sha256"):
        problems.append("Văn bản trong tệp mô tả khác văn bản đã đọc (mã băm không khớp).")
    try:
        shown = fingerprint(public_key) if public_key else None
    except ValueError:  # not base64: the signature check above already failed
        shown = None
    return Verdict(tuple(problems), key_id or None, shown, key_trusted)
