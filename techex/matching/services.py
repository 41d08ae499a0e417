"""Writes of the matching domain: a listing's matches (both directions), all matches, the alert setting.

``match_listing`` runs in a background task after a listing is published, changed, renewed, withdrawn or expires
(``tasks.listing_matches_changed``, queued by the listing lifecycle after commit); ``match_all`` recomputes
everything (``manage.py recompute_matches``). Both read only live listings' search documents and public fields
(``candidates``), score with ``scoring`` and keep, for each listing, its best ``KEEP`` matches scoring at least
``MIN_SCORE`` — and every stored match of another listing that still scores that much, so recomputing one side
never takes a match away from the other.

After ``match_listing`` finds new matches, the owners of the listings on the other side whose alert threshold the
score reaches are notified (``match.new``, a digest kind: at most one e-mail a day). ``match_all`` notifies nobody:
a full recompute after a glossary edit must not flood inboxes with old news.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.listings.models import PROSE_FIELDS, Listing
from techex.organizations.models import Membership
from techex.search.analysis import stem, words

from . import candidates as source
from .models import DEFAULT_THRESHOLD, Match, MatchPreference
from .scoring import Profile, Scored, Vector, Vectorizer, score_pair

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.contrib.auth.models import AnonymousUser

    from techex.accounts.models import User

KEEP = 30
MIN_SCORE = 25
WRITE_BATCH = 500

# --- scoring one listing against its candidates ------------------------------------------------------------------


@dataclass
class Matcher:
    """Vectors and statistics shared by the listings matched in one run."""

    df: dict[str, int]
    documents: int
    vectors: dict[int, Vector] = field(default_factory=dict)
    profiles: dict[int, Profile] = field(default_factory=dict)
    complete_df: bool = False  # every term's frequency is already in ``df`` (a full recompute read them all)

    def __post_init__(self) -> None:
        self.vectorizer = Vectorizer(self.df, self.documents)

    def load(self, ids: Iterable[int]) -> None:
        """Read the profiles and vectors of the (live) listings among ``ids`` not read yet."""
        missing = [pk for pk in ids if pk not in self.profiles]
        if not missing:
            return
        profiles = source.load_profiles(missing)
        documents = source.load_documents(profiles)
        if not self.complete_df:
            source.document_frequencies({t for d in documents.values() for t in d.counts}, into=self.df)
        for pk, document in documents.items():
            self.profiles[pk] = profiles[pk]
            self.vectors[pk] = self.vectorizer.vector(document)

    def candidates(self, pk: int, *, existing: Iterable[int] = ()) -> list[int]:
        profile, vector = self.profiles[pk], self.vectors[pk]
        if not self.complete_df:
            source.document_frequencies(source.concept_terms(vector), into=self.df)
        kind = source.other_kind(profile.kind)
        ids = source.text_candidates(source.query_terms(vector, self.vectorizer), kind)
        found = dict.fromkeys([*ids, *existing])
        if len(ids) < source.FEW:
            found.update(dict.fromkeys(source.field_candidates(profile, kind, exclude=set(found))))
        found.pop(pk, None)
        return list(found)

    def score(self, pk: int, ids: Iterable[int], *, now: datetime) -> list[Scored]:
        """Score the listing against each of ``ids`` (loaded), best first."""
        profile, vector = self.profiles[pk], self.vectors[pk]
        results = []
        for other in ids:
            their = self.profiles.get(other)
            if their is None or their.kind == profile.kind:
                continue
            if profile.kind == "need":
                scored = score_pair(profile, vector, their, self.vectors[other], now=now)
            else:
                scored = score_pair(their, self.vectors[other], profile, vector, now=now)
            if scored is not None and scored.score >= MIN_SCORE:
                results.append(scored)
        results.sort(key=lambda s: (-s.score, s.offer_id if profile.kind == "need" else s.need_id))
        return results


def _display_forms(listing: Listing, wanted: set[str]) -> dict[str, str]:
    """The word the listing writes for each wanted term (with its diacritics; acronyms keep their capitals)."""
    english = listing.language == "en"
    found: dict[str, str] = {}
    texts = [listing.title, " ; ".join(listing.keywords or [])] + [getattr(listing, n) for n in PROSE_FIELDS[1:]]
    for text in texts:
        for term, surface in words(text or ""):
            key = stem(term) if english else term
            if key in wanted and key not in found:
                found[key] = surface if surface.isupper() and len(surface) > 1 else surface.lower()
        if len(found) == len(wanted):
            break
    return found


def _show_terms(results: list[Scored], listing: Listing) -> None:
    """Replace the term keys of the "terms" reasons by the words of the listing (the focal one: both have them)."""
    wanted = {
        part
        for s in results
        for r in s.reasons
        if r["code"] == "terms"
        for term in r["params"]["terms"]
        for part in term.split(" ")
    }
    if not wanted:
        return
    display = _display_forms(listing, wanted)
    for scored in results:
        for reason in scored.reasons:
            if reason["code"] == "terms":
                shown = [" ".join(display.get(p, p) for p in term.split(" ")) for term in reason["params"]["terms"]]
                reason["params"]["terms"] = list(dict.fromkeys(shown))


# --- writing -------------------------------------------------------------------------------------------------------


def _rows(results: list[Scored], now: datetime) -> list[Match]:
    return [
        Match(
            need_id=s.need_id,
            offer_id=s.offer_id,
            score=s.score,
            reasons=s.reasons,
            features=s.features,
            created_at=now,
            computed_at=now,
        )
        for s in results
    ]


def _upsert(rows: list[Match]) -> None:
    """Insert new pairs, update the score and reasons of known ones (keeping when they were found and seen)."""
    for start in range(0, len(rows), WRITE_BATCH):
        Match.objects.bulk_create(
            rows[start : start + WRITE_BATCH],
            update_conflicts=True,
            unique_fields=["need", "offer"],
            update_fields=["score", "reasons", "features", "computed_at"],
        )


def _kept(results: list[Scored], existing: set[int], pk: int) -> list[Scored]:
    """The best KEEP, and every other one that is already another listing's match."""
    best = results[:KEEP]
    chosen = {(s.need_id, s.offer_id) for s in best}
    others = [s for s in results[KEEP:] if (s.offer_id if s.need_id == pk else s.need_id) in existing]
    return best + [s for s in others if (s.need_id, s.offer_id) not in chosen]


def match_listing(*, listing: Listing, notify_owners: bool = True) -> list[Match]:
    """Recompute one listing's matches in both directions; drop them all when it is not live. Returns the stored
    matches of the listing, best first.

    The scoring reads outside the transaction and only the writes are atomic: on SQLite a transaction takes the
    write lock when it begins (``transaction_mode`` IMMEDIATE), which no other writer should wait ~100 ms for.
    """
    fresh = Listing.objects.select_related("organization").filter(pk=listing.pk).first()
    if fresh is None:
        return []
    listing = fresh
    mine = Q(need_id=listing.pk) | Q(offer_id=listing.pk)
    matcher = Matcher(df={}, documents=source.corpus_documents())
    matcher.load([listing.pk])
    if not listing.is_live or listing.pk not in matcher.vectors:
        with transaction.atomic():
            Match.objects.filter(mine).delete()
        return []
    now = timezone.now()
    ids = matcher.candidates(listing.pk, existing=source.existing_counterparts(listing.pk))
    matcher.load(ids)
    scored = matcher.score(listing.pk, ids, now=now)
    with transaction.atomic():
        existing = source.existing_counterparts(listing.pk)
        results = _kept(scored, set(existing), listing.pk)
        _show_terms(results, listing)
        _upsert(_rows(results, now))
        kept = {_other(s, listing.pk) for s in results}
        gone = [existing[pk].pk for pk in existing.keys() - kept]
        if gone:
            Match.objects.filter(pk__in=gone).delete()
        new = [s for s in results if _other(s, listing.pk) not in existing]
        if notify_owners and new:
            _notify_new(listing, new)
    return list(Match.objects.filter(mine).order_by("-score", "-id"))


def _other(scored: Scored, pk: int) -> int:
    return scored.offer_id if scored.need_id == pk else scored.need_id


def match_all(*, batch: int = 200, workers: int = 1, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute every match from the needs' side (each need's candidates give both directions); returns how many
    matches were written. Matches not found again are deleted at the end; nobody is notified.

    With ``workers`` > 1 the batches of needs are shared among that many processes (forked; each reads the
    database on its own connection and writes its batches in transactions of their own).
    """
    started = timezone.now()
    need_ids = list(Listing.objects.live().filter(kind="need").order_by("pk").values_list("pk", flat=True))
    batches = [need_ids[start : start + batch] for start in range(0, len(need_ids), batch)]
    stored = done = 0
    # Processes cannot share the caller's transaction (a test's): then the batches run here, one after another.
    if workers > 1 and len(batches) > 1 and not transaction.get_connection().in_atomic_block:
        results = _in_processes(batches, workers)
    else:
        df = source.all_document_frequencies()
        results = (_match_batch(df, chunk) for chunk in batches)
    for written, count in results:
        stored += written
        done += count
        if progress:
            progress(done, len(need_ids))
    with transaction.atomic():
        Match.objects.filter(computed_at__lt=started).delete()
    return stored


def _match_batch(df: dict[str, int], need_ids: list[int]) -> tuple[int, int]:
    """Match a batch of needs; return (matches written, needs)."""
    # A matcher per batch: the offers' vectors are read again for each batch rather than all kept in memory.
    matcher = Matcher(df=df, documents=source.corpus_documents(), complete_df=True)
    now = timezone.now()
    matcher.load(need_ids)
    found = {pk: matcher.candidates(pk) for pk in need_ids if pk in matcher.vectors}
    matcher.load({other for ids in found.values() for other in ids})
    needs = Listing.objects.in_bulk(list(found))
    rows: list[Match] = []
    for pk, ids in found.items():
        results = matcher.score(pk, ids, now=now)[:KEEP]
        _show_terms(results, needs[pk])
        rows += _rows(results, now)
    with transaction.atomic():
        _upsert(rows)
    return len(rows), len(need_ids)


_worker_df: dict[str, int] = {}


def _worker_start() -> None:
    _worker_df.update(source.all_document_frequencies())


def _worker_batch(need_ids: list[int]) -> tuple[int, int]:
    return _match_batch(_worker_df, need_ids)


def _in_processes(batches: list[list[int]], workers: int) -> Iterator[tuple[int, int]]:
    """Yield the results of the batches as processes finish them."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each process opens its own connection
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_worker_start) as pool:
        yield from pool.imap_unordered(_worker_batch, batches)


# --- alerts ---------------------------------------------------------------------------------------------------------


def _notify_new(listing: Listing, new: list[Scored]) -> None:
    """Tell the owners of the other side's listings about a new match that reaches their threshold."""
    from techex.notifications.services import notify

    other_ids = [s.offer_id if s.need_id == listing.pk else s.need_id for s in new]
    others = Listing.objects.filter(pk__in=other_ids, is_live=True).only("pk", "title", "organization_id")
    by_id = {other.pk: other for other in others}
    members: dict[int, list[int]] = {}
    organizations = {other.organization_id for other in by_id.values()}
    for organization_id, user_id in Membership.objects.filter(
        organization_id__in=organizations, user__is_active=True
    ).values_list("organization_id", "user_id"):
        members.setdefault(organization_id, []).append(user_id)
    preferences = {
        p.user_id: p for p in MatchPreference.objects.filter(user_id__in={u for ids in members.values() for u in ids})
    }
    User = get_user_model()
    for scored in new:
        other = by_id.get(scored.offer_id if scored.need_id == listing.pk else scored.need_id)
        if other is None or other.organization_id == listing.organization_id:
            continue
        recipients = [
            User(pk=user_id)
            for user_id in members.get(other.organization_id, [])
            if _wants(preferences.get(user_id), scored.score)
        ]
        if recipients:
            notify(
                recipients=recipients,
                kind="match.new",
                url=listing.get_absolute_url(),
                params={"listing": other.title, "match": listing.title, "score": scored.score},
            )


def _wants(preference: MatchPreference | None, score: int) -> bool:
    if preference is None:
        return score >= DEFAULT_THRESHOLD
    return preference.alerts_enabled and score >= preference.threshold


@transaction.atomic
def match_threshold_set(*, user: User | AnonymousUser, threshold: int, alerts_enabled: bool = True) -> MatchPreference:
    """Set how good a new match must be (1–100) before the user is told, or turn match alerts off."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to change your match alerts."))
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 1 <= threshold <= 100:
        raise ValidationError({"threshold": [_("Choose a threshold from 1 to 100.")]})
    preference, _created = MatchPreference.objects.select_for_update().get_or_create(user=user)
    preference.threshold = threshold
    preference.alerts_enabled = bool(alerts_enabled)
    preference.full_clean()
    preference.save()
    return preference


@transaction.atomic
def match_mark_viewed(*, match: Match, user: User | AnonymousUser) -> Match:
    """Record that an owner of one side opened the other listing from their matches (staff see who acted)."""
    from techex.organizations.selectors import user_organization_ids

    organizations = user_organization_ids(user=user)
    now = timezone.now()
    sides = Listing.objects.filter(pk__in=[match.need_id, match.offer_id]).values_list("pk", "organization_id")
    owners = dict(sides)
    if owners.get(match.need_id) in organizations and match.need_viewed_at is None:
        Match.objects.filter(pk=match.pk).update(need_viewed_at=now)
        match.need_viewed_at = now
    if owners.get(match.offer_id) in organizations and match.offer_viewed_at is None:
        Match.objects.filter(pk=match.pk).update(offer_viewed_at=now)
        match.offer_viewed_at = now
    return match
