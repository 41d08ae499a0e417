"""What a search returns: ranked hits, their count, facets and the query as it was understood."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a development requirement: types only

    from techex.listings.models import Listing

SORTS = ("relevance", "newest", "trl")


@dataclass
class SearchHit:
    listing: "Listing"
    score: float | None  # None when the results are not ordered by relevance (no words, or another sort)
    title_html: SafeString  # the title, HTML-escaped, matched words in <mark>
    snippet_html: SafeString  # a passage of the summary or description around the matched words, likewise


@dataclass
class FacetValue:
    value: str
    label: "StrOrPromise"  # a choice's label stays lazy: it is translated when the page is rendered
    count: int
    selected: bool


@dataclass
class Facet:
    name: str  # the filter's query parameter: kind, field, province, trl, ip_type, transfer_form, organization_type
    label: str
    values: list[FacetValue]


@dataclass
class SearchResults:
    """One page of results. ``paginator``/``page`` behave like Django's, so pagination templates work unchanged."""

    page: object  # django.core.paginator.Page whose object_list is a list of SearchHit
    total: int
    total_exact: bool = True  # False: more than ``total`` listings match (the count stops there)
    facets: list[Facet] = field(default_factory=list)
    # "all": every word matched (allowing accents, spelling variants and typos); "most": few listings had every one
    # of three words, so those lacking one are ranked too; "any": no listing had every word, so the results are
    # listings with some of them; "ranked": four words or more, listings with any of them, best first; "browse":
    # no words were given.
    mode: str = "browse"
    corrected: str = ""  # the query as corrected for typos, when a correction was used ("" otherwise)
    suggestion: str = ""  # a "did you mean" query when nothing was found ("" otherwise)
