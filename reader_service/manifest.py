"""The manifest: what the widget needs to follow the audio (JSON-ready dictionaries)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from reader_service.models import Article, Cue, CueWord, Preview, Rendition, Utterance


def article_to_dict(article: Article) -> dict[str, Any]:
    """An article as JSON-ready data (kept with its record, read back by article_from_dict)."""
    data = asdict(article)
    data["published"] = article.published.isoformat() if article.published else None
    data["paragraphs"] = list(article.paragraphs)
    return data


def article_from_dict(data: dict[str, Any]) -> Article:
    fields = dict(data)
    if fields.get("published"):
        fields["published"] = date.fromisoformat(fields["published"])
    fields["paragraphs"] = tuple(fields["paragraphs"])
    return Article(**fields)


def clip_url(key: str, article_id: str) -> str:
    """Where a clip is served; the article id says where its text is kept."""
    return f"/v1/clips/{key}.mp3?a={article_id}"


def planned_cue(utterance: Utterance, engine: str, clip: str) -> dict[str, Any]:
    """A manifest cue before any audio exists (the widget's listen: no timings yet)."""
    sentence = utterance.sentence
    return {
        "index": sentence.index,
        "paragraph": sentence.paragraph,
        "text": sentence.text,
        "spoken": utterance.spoken,
        "engine": engine,
        "clip": clip,
    }


def rendered_cue(cue: Cue, clip: str) -> dict[str, Any]:
    """A manifest cue of a rendered reading (timings and words), served at ``clip``."""
    return cue_to_dict(cue) | {"clip": clip}


def cue_to_dict(cue: Cue) -> dict[str, Any]:
    return {
        "index": cue.sentence,
        "paragraph": cue.paragraph,
        "text": cue.text,
        "spoken": cue.spoken,
        "start_ms": cue.start_ms,
        "end_ms": cue.end_ms,
        "clip": cue.clip_key,
        "engine": cue.engine,
        "words": [{"text": w.text, "start_ms": w.start_ms, "end_ms": w.end_ms} for w in cue.words],
    }


def cue_from_dict(data: dict[str, Any]) -> Cue:
    return Cue(
        sentence=int(data["index"]),
        paragraph=int(data["paragraph"]),
        text=str(data["text"]),
        spoken=str(data["spoken"]),
        start_ms=int(data["start_ms"]),
        end_ms=int(data["end_ms"]),
        engine=str(data["engine"]),
        clip_key=str(data["clip"]),
        words=tuple(
            CueWord(str(w["text"]), int(w["start_ms"]), int(w["end_ms"])) for w in data["words"]
        ),
    )


def manifest(rendition: Rendition) -> dict[str, Any]:
    """Article metadata, the audio's length, the engines that spoke and one cue per sentence."""
    article = rendition.article
    return {
        "title": article.title,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "published": article.published.isoformat() if article.published else None,
        "author": article.author,
        "site_name": article.site_name,
        "lang": article.lang,
        "content_hash": article.content_hash,
        "duration_ms": rendition.duration_ms,
        "mime_type": rendition.mime_type,
        "engines": list(rendition.engines),
        "cues": [cue_to_dict(cue) for cue in rendition.cues],
    }


def preview_record(result: Preview) -> dict[str, Any]:
    """What will be read: each sentence, its spoken form, the tokens read by a fallback."""
    return {
        "title": result.article.title,
        "estimated_seconds": result.estimated_seconds,
        "sentences": [
            {
                "index": line.sentence.index,
                "paragraph": line.sentence.paragraph,
                "text": line.sentence.text,
                "spoken": line.spoken,
                "unknown": [{"token": u.token, "why": u.why} for u in line.unknown],
            }
            for line in result.lines
        ],
    }
