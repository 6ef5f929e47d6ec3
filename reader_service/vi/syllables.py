"""What one Vietnamese syllable looks like written without tone marks ("Long", "Minh", "an",
"hanoi" as "ha" + "noi"): an onset, a vowel nucleus and a final consonant or glide. Shared by
the check for foreign words (normalize.unknown, normalize.letters) and the reading of web
addresses (vi.addresses), so both agree on what counts as Vietnamese."""

from __future__ import annotations

import re

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
# Longest first: the regex takes the first alternative that fits.
_NUCLEUS = (
    r"(?:uye|uya|uyu|oai|oay|uây|uôi|ươi|ươu|iêu|yêu|oa|oe|uy|ươ|uô|iê|yê|ưa|ua|ia|ai|ao|au|ay|"
    r"âu|ây|eo|êu|iu|oi|ôi|ơi|ui|ưi|ưu|[aăâeêioôơuưy])"
)
# A final consonant, or a glide that does not start the next syllable's vowel.
_CODA = r"(?:ng|nh|ch|[cmnpt]|[iouy](?![aeiouy]))?"

VIETNAMESE_SYLLABLE = re.compile(_ONSET + _NUCLEUS + _CODA, re.IGNORECASE)
# A letter outside ASCII: a tone mark or a Vietnamese vowel, so a Vietnamese word.
TONED = re.compile(r"[^\x00-\x7f]")
