"""schema.org data in JSON-LD, which search engines read from a page's head (base.html writes ``json_ld``).

Each domain builds the dictionary of its own public page (listings, organisations); this module only writes it
safely into HTML: the JSON cannot close the script element nor open a comment, whatever the text holds.
"""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# What json_script escapes too: "<", ">" and "&" as JSON escapes, so no "</script>" or "<!--" can appear.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """``data`` (with its ``@context``) as a ``<script type="application/ld+json">`` element."""
    text = json.dumps({"@context": "https://schema.org", **data}, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text.translate(_ESCAPES)))  # noqa: S308  # escaped above


def without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """The entries with a value: schema.org wants missing properties left out, not null or empty."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}
