"""Who may see a listing, its anonymous owner, and a deal: one rule each, asked the same way for lists, single
getters and objects already loaded (a page's rows). Each kind of user is checked against every door."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from techex.deals import selectors
from techex.deals.models import Deal
from techex.deals.permissions import deal_roles
from techex.deals.tests.factories import deal_parties, make_deal, member_of
from techex.listings import selectors as listing_selectors
from techex.listings.models import Listing
from techex.listings.tests.factories import make_listing
from techex.organizations.tests.factories import OrganizationFactory

USERS = ("anonymous", "outsider", "member", "inquirer", "broker", "staff")


@pytest.fixture
def world(reference_data):
    """An anonymous live offer brokered by an intermediary, a draft of the same owner, and an inquiry on the offer
    that the broker has not forwarded yet."""
    parties = deal_parties(anonymous=True, broker=True)
    draft = make_listing(user=parties.owner, organization=parties.owner_org, title="Bản nháp chưa gửi duyệt")
    # Brokered too, so the rule is seen to keep a broker out of drafts it merely brokers.
    Listing.objects.filter(pk=draft.pk).update(broker=parties.broker_org)
    draft.refresh_from_db()
    deal = make_deal(parties)
    users = {
        "anonymous": AnonymousUser(),
        "outsider": member_of(OrganizationFactory(name="Công ty Người Ngoài")),
        "member": parties.owner,
        "inquirer": parties.inquirer,
        "broker": parties.broker,
        "staff": parties.staff,
    }
    listing = Listing.objects.get(pk=parties.listing.pk)
    return {"listing": listing, "draft": draft, "deal": deal, "users": users}


# Who may open the draft (everyone opens the live offer), who may know the anonymous offer's owner, who may read the
# unforwarded inquiry (the owner's members only once the broker forwards it).
OPENS_DRAFT = {"member", "staff"}
KNOWS_OWNER = {"member", "broker", "staff"}
READS_DEAL = {"inquirer", "broker", "staff"}


def _fresh(user):
    # A new object per question, so no membership cache carries over from another door.
    return user if isinstance(user, AnonymousUser) else type(user).objects.get(pk=user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("who", USERS)
def test_listing_visible_to_lists_gets_and_loaded_objects_agree(world, who):
    user, listing, draft = world["users"][who], world["listing"], world["draft"]
    expected = {listing.pk} | ({draft.pk} if who in OPENS_DRAFT else set())

    listed = set(
        Listing.objects.filter(pk__in=[listing.pk, draft.pk]).visible_to(_fresh(user)).values_list("pk", flat=True)
    )
    assert listed == expected
    for item in (listing, draft):
        assert item.is_visible_to(_fresh(user)) is (item.pk in expected)
        assert listing_selectors.listing_visible_to(user=_fresh(user), listing=item) is (item.pk in expected)
        if item.pk in expected:
            assert listing_selectors.listing_get_for_user(user=_fresh(user), reference_code=item.reference_code) == item
        else:
            with pytest.raises(Http404):
                listing_selectors.listing_get_for_user(user=_fresh(user), reference_code=item.reference_code)


@pytest.mark.django_db
@pytest.mark.parametrize("who", USERS)
def test_identity_of_an_anonymous_listing_is_one_rule(world, who):
    user, listing = world["users"][who], world["listing"]
    knows = who in KNOWS_OWNER
    assert listing.is_anonymous
    assert Listing.objects.filter(pk=listing.pk).identity_visible_to(_fresh(user)).exists() is knows
    assert listing.is_identity_visible_to(_fresh(user)) is knows
    assert listing_selectors.user_sees_identity(user=_fresh(user), listing=listing) is knows


@pytest.mark.django_db
@pytest.mark.parametrize("who", USERS)
def test_deal_visible_to_lists_gets_and_roles_agree(world, who):
    user, deal = world["users"][who], world["deal"]
    reads = who in READS_DEAL

    assert Deal.objects.visible_to(_fresh(user)).filter(pk=deal.pk).exists() is reads
    assert bool(deal_roles(_fresh(user), deal)) is reads
    if reads:
        assert Deal.objects.visible_to(_fresh(user)).get(pk=deal.pk) == deal
        assert selectors.deal_get_for_user(user=_fresh(user), reference_code=deal.reference_code) == deal
    else:
        with pytest.raises(Deal.DoesNotExist):
            Deal.objects.visible_to(_fresh(user)).get(pk=deal.pk)
        with pytest.raises(Http404):
            selectors.deal_get_for_user(user=_fresh(user), reference_code=deal.reference_code)
    # "My deals" are those taken part in: staff read every deal but list only their own.
    takes_part = reads and who != "staff"
    assert (deal in selectors.deal_list_for_user(user=_fresh(user))) is takes_part


@pytest.mark.django_db
def test_a_forwarded_inquiry_opens_to_the_owners_members(world):
    from techex.deals import services

    deal, broker, member = world["deal"], world["users"]["broker"], world["users"]["member"]
    services.deal_forward(deal=deal, user=broker)
    deal.refresh_from_db()
    assert Deal.objects.visible_to(_fresh(member)).get(pk=deal.pk) == deal
    assert "owner" in deal_roles(_fresh(member), deal)
