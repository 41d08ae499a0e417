"""Highlighted titles and snippets: the listing's own text, HTML-escaped, with the matched words in <mark>."""

import itertools
import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from techex.core.text import fold

from .analysis import stem

_WORD = re.compile(r"\w+")
SNIPPET_WORDS = 32


SCAN_WORDS = 400  # a snippet is looked for in the first words of a long description


@lru_cache(maxsize=100_000)
def _forms(word: str) -> tuple[str, ...]:
    """The folded parts of a word and their stems: what it matches in the index."""
    parts = fold(word).split()
    return tuple(dict.fromkeys([*parts, *(stem(part) for part in parts)]))


def _matches(word: str, terms: set[str], prefix: str | None = None) -> bool:
    forms = _forms(word)
    return any(form in terms for form in forms) or bool(prefix and any(f.startswith(prefix) for f in forms))


def highlight(text: str, terms: set[str], *, prefix: str | None = None) -> SafeString:
    """The text, escaped, with the words matching ``terms`` (or starting with ``prefix``) in <mark>."""
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(text or ""):
        if _matches(match.group(), terms, prefix):
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    out.append(escape((text or "")[last:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece is escaped above)


def snippet(texts: list[str], terms: set[str], size: int = SNIPPET_WORDS) -> SafeString:
    """The passage of ``size`` words with the most matched words, from the first text that has any."""
    for text in texts:
        spans = list(itertools.islice(_WORD.finditer(text or ""), SCAN_WORDS))
        hits = [i for i, span in enumerate(spans) if _matches(span.group(), terms)]
        if not hits:
            continue
        best_start, best_count, right = 0, 0, 0
        for left, first in enumerate(hits):  # the window starting a little before a hit with the most hits
            while right < len(hits) and hits[right] < max(0, first - 4) + size:
                right += 1
            if right - left > best_count:
                best_start, best_count = max(0, first - 4), right - left
        end = min(len(spans), best_start + size)
        begin_char = spans[best_start].start() if best_start else 0
        end_char = spans[end - 1].end() if end < len(spans) or len(spans) == SCAN_WORDS else len(text)
        body = highlight(text[begin_char:end_char], terms)
        prefix = "… " if best_start else ""
        suffix = " …" if end_char < len(text.rstrip()) else ""
        return mark_safe(prefix + body + suffix)  # noqa: S308 (body is escaped; the ellipses are constants)
    first_text = next((t for t in texts if t), "")
    spans = list(itertools.islice(_WORD.finditer(first_text), size + 1))
    if len(spans) > size:
        return mark_safe(escape(first_text[: spans[size - 1].end()]) + " …")  # noqa: S308
    return mark_safe(escape(first_text))  # noqa: S308
