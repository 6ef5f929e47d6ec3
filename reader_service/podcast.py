"""A tenant's podcast feed: RSS 2.0 with the iTunes tags podcast apps and directories read.

What a directory checks (Apple Podcasts' and Spotify's published requirements, as tested in
tests/test_podcast.py): RSS 2.0 with the itunes namespace; a channel title, link, description,
language, author, category, explicit flag and a square image of 1400–3000 px; every episode a
title, a unique guid that never changes, a publication date (RFC 2822), an enclosure with an
absolute URL, its exact length in bytes and type audio/mpeg, and a duration; the enclosure
answers byte ranges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime
from xml.etree import ElementTree

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM = "http://www.w3.org/2005/Atom"
# Apple's category list has "Government" (top level): what a portal's readings are.
CATEGORY = "Government"
# Episodes in a feed: enough for an app's back catalogue, small enough to build on request.
MAX_EPISODES = 100


@dataclass(frozen=True)
class Channel:
    title: str
    link: str
    description: str
    author: str
    image: str
    self_url: str


@dataclass(frozen=True)
class Episode:
    guid: str
    title: str
    link: str | None
    summary: str
    audio_url: str
    audio_bytes: int
    duration_ms: int
    published: datetime


def published_at(article_date: str | None, made: str) -> datetime:
    """When an episode came out: the article's own date where it has one (at midnight UTC),
    else when its audio was made."""
    if article_date:
        day = date.fromisoformat(article_date)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return datetime.fromisoformat(made).astimezone(UTC)


def _duration(ms: int) -> str:
    seconds = round(ms / 1000)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def feed_xml(channel: Channel, episodes: Sequence[Episode]) -> bytes:
    """The feed document, UTF-8."""
    ElementTree.register_namespace("itunes", ITUNES)
    ElementTree.register_namespace("atom", ATOM)
    rss = ElementTree.Element("rss", {"version": "2.0"})
    node = ElementTree.SubElement(rss, "channel")

    def add(parent: ElementTree.Element, tag: str, text: str | None = None, **attrs: str) -> None:
        child = ElementTree.SubElement(parent, tag, attrs)
        if text is not None:
            child.text = text

    add(node, "title", channel.title)
    add(node, "link", channel.link)
    add(node, "description", channel.description)
    add(node, "language", "vi")
    add(node, "generator", "reader-service")
    add(node, f"{{{ATOM}}}link", href=channel.self_url, rel="self", type="application/rss+xml")
    add(node, f"{{{ITUNES}}}author", channel.author)
    add(node, f"{{{ITUNES}}}summary", channel.description)
    add(node, f"{{{ITUNES}}}type", "episodic")
    add(node, f"{{{ITUNES}}}image", href=channel.image)
    add(node, f"{{{ITUNES}}}category", text=CATEGORY)
    add(node, f"{{{ITUNES}}}explicit", "false")
    add(node, "image")
    image = node[-1]
    add(image, "url", channel.image)
    add(image, "title", channel.title)
    add(image, "link", channel.link)
    if episodes:
        add(node, "lastBuildDate", format_datetime(max(e.published for e in episodes)))
    for episode in episodes:
        item = ElementTree.SubElement(node, "item")
        add(item, "title", episode.title)
        if episode.link:
            add(item, "link", episode.link)
        add(item, "description", episode.summary)
        add(item, "guid", episode.guid, isPermaLink="false")
        add(item, "pubDate", format_datetime(episode.published))
        add(
            item,
            "enclosure",
            url=episode.audio_url,
            length=str(episode.audio_bytes),
            type="audio/mpeg",
        )
        add(item, f"{{{ITUNES}}}title", episode.title)
        add(item, f"{{{ITUNES}}}duration", _duration(episode.duration_ms))
        add(item, f"{{{ITUNES}}}explicit", "false")
        add(item, f"{{{ITUNES}}}episodeType", "full")
    ElementTree.indent(rss)
    return bytes(ElementTree.tostring(rss, encoding="utf-8", xml_declaration=True))
