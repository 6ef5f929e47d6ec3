"""Size limits on pages, kept apart from the extractor so settings can name them without
importing it (the command starts in a fraction of the time)."""

from __future__ import annotations

MAX_HTML_BYTES = 5_000_000
# Markup tags a page may hold. Counted before parsing, so a body built to cost seconds of CPU
# and hundreds of MB (50,000 empty paragraphs) is refused for the price of one byte scan; the
# largest real pages of our corpora hold about 4,300.
MAX_HTML_TAGS = 30_000
