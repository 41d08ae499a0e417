"""The search index: one document per live listing, the document frequency of each term, corpus totals.

Only live listings have a document, built from their approved (public) text; confidential files are never read.
The full-text structures are kept by the database from ``SearchDocument`` itself, in the same transaction as the
write: an FTS5 external-content table maintained by triggers on SQLite, a generated ``tsvector`` column with a GIN
index on PostgreSQL (migration 0002). A crash therefore never leaves the two disagreeing, and the listing services
write the document in the transaction that publishes, withdraws or expires the listing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

FIELDS = ("title", "keywords", "summary", "body", "org")


class SearchDocument(models.Model):
    """The analysed text of a live listing, one space-separated term string per field."""

    listing = models.OneToOneField(
        "listings.Listing", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)  # the other public prose (description without the summary it repeats, …)
    org = models.TextField(blank=True)  # the province's name and, unless the listing is anonymous, the organisation's
    accents = models.TextField(blank=True)  # accent keys of the words with diacritics, for exact-accent ranking
    # The words with diacritics as exact terms (analysis.exact_terms), in the full-text index beside the folded
    # fields: a query typed with diacritics finds and ranks first the listings with those very words.
    exact = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"search document {self.listing_id}"

    def term_set(self) -> set[str]:
        """The distinct terms of the document, folded and exact (their document frequencies are kept alike)."""
        found = {term for name in FIELDS for term in getattr(self, name).split()}
        return found | set(self.exact.split()) - {"|"}


class SearchTerm(models.Model):
    """How many documents contain a term (any field): the statistics of ranking, typo correction and suggestions."""

    term = models.CharField(max_length=64, primary_key=True)
    df = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return f"{self.term} ({self.df})"


class SearchCorpus(models.Model):
    """The number of documents and the total length of each field (one row), for BM25's averages."""

    documents = models.PositiveIntegerField(default=0)
    title_length = models.PositiveBigIntegerField(default=0)
    keywords_length = models.PositiveBigIntegerField(default=0)
    summary_length = models.PositiveBigIntegerField(default=0)
    body_length = models.PositiveBigIntegerField(default=0)
    org_length = models.PositiveBigIntegerField(default=0)
    # Raised by every change to the index, in the same transaction: search results cached under one version are
    # never served once a listing is published, changed or withdrawn (techex.search.cache).
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("search corpus statistics")
        verbose_name_plural = _("search corpus statistics")

    def __str__(self) -> str:
        return f"{self.documents} documents"

    def average_lengths(self) -> dict[str, float]:
        n = max(self.documents, 1)
        return {name: max(getattr(self, f"{name}_length") / n, 1.0) for name in FIELDS}


class SearchQueryDay(models.Model):
    """How many times a query was searched on one day, and how many of those found nothing: what the market asks
    for (statistics' search demand). No person, session, address or time of day is kept, and a query that looks
    like an e-mail address or a phone number is never stored (``services.search_query_record``)."""

    day = models.DateField(_("day"))
    query = models.CharField(_("query"), max_length=200)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    empty = models.PositiveIntegerField(_("searches that found nothing"), default=0)

    class Meta:
        verbose_name = _("searched query")
        verbose_name_plural = _("searched queries")
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="search_query_day_unique")]
        indexes = [models.Index(fields=["day"], name="search_query_day_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.query}"
