"""The database side of search: which documents match, and a first ranking of them.

A query reaches a backend as *groups*: one per query word, each a list of alternative index terms (the folded word,
its stem, typo corrections). ``all`` mode needs every group to match, ``any`` mode one of them. A backend answers
with SQL for the set of matching listing ids (for counts, facets and filters) and with the ids of the best
candidates by its own ranking; ``techex.search.ranking`` then re-ranks those candidates the same way on every
database, so the two backends order results alike.

Terms reach SQL only as bound parameters inside a full-text expression built here from ``[a-z0-9]`` terms (and
non-ASCII letters for other scripts), each quoted, so a query cannot change the expression's syntax.
"""

from django.db import connection

Groups = list[list[str]]
Weights = list[float]


class SQLiteBackend:
    """SQLite FTS5: an external-content table over search_searchdocument (see migration 0002)."""

    # bm25() column weights: title, keywords, summary, body, organisation.
    column_weights = (4.0, 3.0, 1.5, 1.0, 1.5)

    @staticmethod
    def _quote(term: str, prefix: bool = False) -> str:
        return '"' + term.replace('"', "") + '"' + ("*" if prefix else "")

    def expression(self, groups: Groups, mode: str, *, prefix_last: bool = False) -> str:
        parts = []
        for index, group in enumerate(groups):
            prefix = prefix_last and index == len(groups) - 1
            parts.append("(" + " OR ".join(self._quote(term, prefix) for term in group) + ")")
        return (" AND " if mode == "all" else " OR ").join(parts)

    def match_sql(self, groups: Groups, mode: str, *, prefix_last: bool = False) -> tuple[str, list]:
        return "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [
            self.expression(groups, mode, prefix_last=prefix_last)
        ]

    def ranked_ids(
        self,
        groups: Groups,
        mode: str,
        *,
        idf: Weights,
        restrict: tuple[str, list] | None,
        limit: int,
        offset: int = 0,
        prefix_last: bool = False,
    ) -> list[int]:
        weights = ", ".join(str(w) for w in self.column_weights)
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
        params: list = [self.expression(groups, mode, prefix_last=prefix_last)]
        if restrict:
            sql += f" AND rowid IN ({restrict[0]})"
            params += restrict[1]
        sql += f" ORDER BY bm25(search_fts, {weights}) LIMIT %s OFFSET %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]


class PostgreSQLBackend:
    """PostgreSQL full text: the generated ``vector`` column of search_searchdocument with a GIN index.

    ``ts_rank`` knows nothing of how rare a term is, so in ``any`` mode the first ranking adds each group's rank
    weighted by its idf; the re-ranking in Python does the rest.
    """

    rank_weights = "{0.25, 0.4, 0.7, 1.0}"  # D (body), C (summary, organisation), B (keywords), A (title)

    @staticmethod
    def _term(term: str, prefix: bool = False) -> str:
        # tsquery syntax characters cannot occur in folded terms; strip them anyway, and quote.
        clean = "".join(ch for ch in term if ch.isalnum())
        return f"'{clean}'" + (":*" if prefix else "")

    def _group(self, group: list[str], prefix: bool) -> str:
        return "(" + " | ".join(self._term(term, prefix) for term in group) + ")"

    def expression(self, groups: Groups, mode: str, *, prefix_last: bool = False) -> str:
        parts = [self._group(group, prefix_last and i == len(groups) - 1) for i, group in enumerate(groups)]
        return (" & " if mode == "all" else " | ").join(parts)

    def match_sql(self, groups: Groups, mode: str, *, prefix_last: bool = False) -> tuple[str, list]:
        return "SELECT listing_id FROM search_searchdocument WHERE vector @@ to_tsquery('simple', %s)", [
            self.expression(groups, mode, prefix_last=prefix_last)
        ]

    def ranked_ids(
        self,
        groups: Groups,
        mode: str,
        *,
        idf: Weights,
        restrict: tuple[str, list] | None,
        limit: int,
        offset: int = 0,
        prefix_last: bool = False,
    ) -> list[int]:
        expression = self.expression(groups, mode, prefix_last=prefix_last)
        params: list = []
        if mode == "any" and len(groups) > 1:
            ranks = []
            for i, (group, weight) in enumerate(zip(groups, idf, strict=True)):
                ranks.append(f"%s * ts_rank('{self.rank_weights}', vector, to_tsquery('simple', %s))")
                params += [weight, self._group(group, prefix_last and i == len(groups) - 1)]
            rank = " + ".join(ranks)
        else:
            rank = f"ts_rank('{self.rank_weights}', vector, to_tsquery('simple', %s))"
            params.append(expression)
        # Only constants and placeholders are formatted into the SQL; terms are bound parameters.
        sql = f"SELECT listing_id, {rank} AS rank FROM search_searchdocument WHERE vector @@ to_tsquery('simple', %s)"  # noqa: S608
        params.append(expression)
        if restrict:
            sql += f" AND listing_id IN ({restrict[0]})"
            params += restrict[1]
        sql += " ORDER BY rank DESC, listing_id DESC LIMIT %s OFFSET %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]


def backend() -> SQLiteBackend | PostgreSQLBackend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"No search backend for {connection.vendor}")
