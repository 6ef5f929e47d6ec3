"""Request and response bodies of the HTTP API (pydantic at the edge only)."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator, model_validator


def encodable(value: str | None) -> str | None:
    """Text that cannot be written as UTF-8 (a lone surrogate such as "\\ud800" in JSON) is
    refused at the edge, before any stage tries to write it."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(
                f"văn bản chứa ký tự không hợp lệ (mã {ord(value[exc.start]):#x})"
            ) from exc
    return value


class Word(BaseModel):
    text: str
    start_ms: int
    end_ms: int


class ListenCue(BaseModel):
    index: int
    paragraph: int
    text: str = Field(description="The sentence as shown on the page.")
    spoken: str = Field(description="What the engine says (numbers, abbreviations in words).")
    clip: str = Field(description="URL of the sentence's MP3, made on first request.")
    start_ms: int | None = None
    end_ms: int | None = None
    engine: str | None = None
    words: list[Word] = []


class ProvenanceStatement(BaseModel):
    article_url: str | None
    text_sha256: str = Field(description="SHA-256 of the title and paragraphs, blank-line joined.")
    audio_sha256: str = Field(description="SHA-256 of the MP3 at `audio`.")
    engine: str
    voice: str
    pipeline_version: str
    signed_at: str
    key_id: str = Field(description="Which key of /.well-known/reader-service-key signed.")


class Provenance(BaseModel):
    """A signed statement that the MP3 at `audio` reads exactly `title` and `paragraphs`."""

    algorithm: str = "Ed25519"
    statement: ProvenanceStatement
    signature: str = Field(description="Ed25519 over the statement as canonical JSON, base64.")
    public_key: str = Field(description="The signing key (base64); trust the published one.")


class Manifest(BaseModel):
    id: str
    title: str
    url: str | None = None
    lang: str
    published: str | None = None
    voice: str
    voices: list[str] = Field([], description="Voices the widget may offer for this engine.")
    engine: str
    audio: str = Field(description="URL of the whole article's MP3.")
    duration_ms: int | None = None
    audio_bytes: int | None = Field(None, description="Size of the MP3 at `audio`, once made.")
    paragraphs: list[str] | None = Field(
        None, description="The body as read, once the reading is signed (with `provenance`)."
    )
    provenance: Provenance | None = None
    cues: list[ListenCue]


class ArticleInput(BaseModel):
    """One of: {url}, {url, html}, {title, text}."""

    url: str | None = Field(None, max_length=2048)
    html: str | None = None
    title: str | None = Field(None, max_length=1000)
    text: str | None = None
    voice: str | None = Field(None, max_length=64)

    _encodable = field_validator("url", "html", "title", "text", "voice")(encodable)

    @property
    def input_bytes(self) -> int:
        return sum(len(part or "") for part in (self.html, self.text, self.title))

    @model_validator(mode="after")
    def _one_shape(self) -> ArticleInput:
        if self.text is not None:
            if self.html is not None:
                raise ValueError("gửi {title, text} hoặc {url, html}, không cả hai")
            return self
        if self.url is None:
            raise ValueError("cần {url}, {url, html} hoặc {title, text}")
        return self


class UnknownTokenOut(BaseModel):
    token: str
    why: str


class PreviewSentence(BaseModel):
    index: int
    paragraph: int
    text: str
    spoken: str
    unknown: list[UnknownTokenOut]


class PreviewOut(BaseModel):
    title: str
    estimated_seconds: float
    sentences: list[PreviewSentence]


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody
