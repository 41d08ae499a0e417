"""The database side of search: which documents match, and a first ranking of them.

A query reaches a backend as *groups*: one per query word, each a list of alternative index terms (the folded word,
its stem, typo corrections). ``all`` mode needs every group to match, ``most`` mode all but one, ``any`` mode one of
them. A backend answers
with SQL for the set of matching listing ids (for counts, facets and filters) and with the ids of the best
candidates by its own ranking; ``techex.search.ranking`` then re-ranks those candidates the same way on every
database, so the two backends order results alike.

Terms reach SQL only as bound parameters inside a full-text expression built here from ``[a-z0-9]`` terms (and
non-ASCII letters for other scripts), each quoted, so a query cannot change the expression's syntax.
"""

from itertools import combinations

from django.db import connection

Groups = list[list[str]]
Weights = list[float]


class _Backend:
    """What both backends share: a full-text expression from groups of terms, and the SQL of the matching ids."""

    OR = AND = ""  # the expression's operators
    MATCH_SQL = ""  # SELECT of the matching listing ids, with one placeholder for the expression
    ID = ""  # the column of the listing id in the ranked SQL
    ORDER = ""  # the ORDER BY of the ranked SQL, best first

    def _term(self, term: str, prefix: bool) -> str:
        raise NotImplementedError

    def _ranked_sql(self, groups: Groups, mode: str, *, idf: Weights | None, prefix_last: bool) -> tuple[str, list]:
        raise NotImplementedError

    def _group(self, group: list[str], prefix: bool = False) -> str:
        return "(" + self.OR.join(self._term(term, prefix) for term in group) + ")"

    def expression(self, groups: Groups, mode: str, *, prefix_last: bool = False) -> str:
        """``all`` groups, ``most`` (every group but at most one), or ``any`` group."""
        last = len(groups) - 1
        parts = [self._group(group, prefix_last and i == last) for i, group in enumerate(groups)]
        if mode == "most" and len(parts) > 2:
            subsets = combinations(parts, len(parts) - 1)
            return self.OR.join("(" + self.AND.join(subset) + ")" for subset in subsets)
        return (self.AND if mode == "all" else self.OR).join(parts)

    def match_sql(self, groups: Groups, mode: str, *, prefix_last: bool = False) -> tuple[str, list]:
        return self.MATCH_SQL, [self.expression(groups, mode, prefix_last=prefix_last)]

    def count(self, groups: Groups, mode: str, *, limit: int) -> int:
        """How many documents match, counting no further than ``limit``: every document is a live listing, so
        without other filters this is the number of results, counted in the full-text index alone (a join with the
        listings costs ~20x more for a broad query at 100,000 listings, bench/search_speed.py)."""
        sql, params = self.match_sql(groups, mode)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT %s) matches", [*params, limit])  # noqa: S608
            return cursor.fetchone()[0]

    def ranked_ids(
        self,
        groups: Groups,
        mode: str,
        *,
        idf: Weights | None,
        restrict: tuple[str, list] | None,
        limit: int,
        offset: int = 0,
        prefix_last: bool = False,
    ) -> list[int]:
        """The ids of the best ``limit`` matches after ``offset`` by the database's ranking, among the ids of the
        ``restrict`` SQL when given."""
        sql, params = self._ranked_sql(groups, mode, idf=idf, prefix_last=prefix_last)
        if restrict:
            sql += f" AND {self.ID} IN ({restrict[0]})"
            params += restrict[1]
        sql += f" ORDER BY {self.ORDER} LIMIT %s OFFSET %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]


class SQLiteBackend(_Backend):
    """SQLite FTS5: an external-content table over search_searchdocument (see migration 0002)."""

    OR, AND = " OR ", " AND "
    MATCH_SQL = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
    ID = "rowid"
    # bm25() column weights: title, keywords, summary, body, organisation, exact (accented) terms.
    ORDER = "bm25(search_fts, 4.0, 3.0, 1.5, 1.0, 1.5, 2.0)"

    def _term(self, term: str, prefix: bool) -> str:
        return '"' + term.replace('"', "") + '"' + ("*" if prefix else "")

    def _ranked_sql(self, groups: Groups, mode: str, *, idf: Weights | None, prefix_last: bool) -> tuple[str, list]:
        return self.match_sql(groups, mode, prefix_last=prefix_last)


class PostgreSQLBackend(_Backend):
    """PostgreSQL full text: the generated ``vector`` column of search_searchdocument with a GIN index.

    ``ts_rank`` knows nothing of how rare a term is, so in ``any`` and ``most`` modes the first ranking adds each
    group's rank weighted by its idf; the re-ranking in Python does the rest. Each ``ts_rank`` call reads the
    document's vector again (out of line, compressed), so when ``idf`` is None (broad queries, see
    ``selectors.BROAD``) one call ranks all the words: 2.6 times faster over 11,000 matches at 100,000 listings.
    """

    OR, AND = " | ", " & "
    MATCH_SQL = "SELECT listing_id FROM search_searchdocument WHERE vector @@ to_tsquery('simple', %s)"
    ID = "listing_id"
    ORDER = "rank DESC, listing_id DESC"
    RANK = "ts_rank('{0.25, 0.4, 0.7, 1.0}', vector, to_tsquery('simple', %s))"  # weights of D, C, B, A

    def _term(self, term: str, prefix: bool) -> str:
        # tsquery syntax characters cannot occur in folded terms; strip them anyway, and quote.
        clean = "".join(ch for ch in term if ch.isalnum())
        return f"'{clean}'" + (":*" if prefix else "")

    def _ranked_sql(self, groups: Groups, mode: str, *, idf: Weights | None, prefix_last: bool) -> tuple[str, list]:
        if mode in ("any", "most") and len(groups) > 1 and idf is not None:
            last = len(groups) - 1
            rank = " + ".join([f"%s * {self.RANK}"] * len(groups))
            params: list = []
            for i, (group, weight) in enumerate(zip(groups, idf, strict=True)):
                params += [weight, self._group(group, prefix_last and i == last)]
        else:
            rank, params = self.RANK, [self.expression(groups, mode, prefix_last=prefix_last)]
        match, match_params = self.match_sql(groups, mode, prefix_last=prefix_last)
        # Only constants and placeholders are formatted into the SQL; terms are bound parameters.
        sql = match.replace("SELECT listing_id", f"SELECT listing_id, {rank} AS rank", 1)
        return sql, params + match_params


def backend() -> _Backend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"No search backend for {connection.vendor}")
