"""Saved searches' pages: "Save this search" on the browse page, my saved searches (with the match alert threshold),
the alert page, unsubscribe."""

import pytest
from django.test import Client
from django.urls import reverse

from techex.alerts import services as saved_services
from techex.alerts.models import SavedSearch
from techex.matching.models import MatchPreference
from techex.organizations.tests.factories import OrganizationFactory

from .factories import member_of, publish, save

pytestmark = pytest.mark.django_db

BROWSE = reverse("listings:browse")
CREATE = reverse("alerts:saved_create")
LIST = reverse("alerts:saved_list")
# Session, user, the saved searches, the labels of their fields and provinces, the match alert setting, the bell.
LIST_BUDGET = 8


@pytest.fixture
def reader(reference_data):
    return member_of(full_name="Lê Thị Thu")


@pytest.fixture
def signed_in(client, reader):
    client.force_login(reader)
    return client


def text(response) -> str:
    return response.content.decode()


# --- "Save this search" on the browse page -----------------------------------------------------------------------


def test_the_browse_page_offers_to_save_the_search_on_screen(signed_in):
    page = text(signed_in.get(BROWSE, {"q": "sấy lúa", "kind": "offer", "province": "92", "sort": "newest"}))
    assert "Save this search" in page
    form = page[page.index('id="save-search"') :]
    assert 'name="q" value="sấy lúa"' in form
    assert 'name="kind" value="offer"' in form and 'name="province" value="92"' in form
    assert 'name="sort"' not in form[: form.index("</form>")]


def test_visitors_are_asked_to_sign_in_first(client, reference_data):
    page = text(client.get(BROWSE, {"q": "sấy lúa", "kind": "need", "province": "zz"}))
    assert "Sign in to save this search" in page
    # Back to the same search after signing in, with the valid filters only.
    assert (
        f"{reverse('account_login')}?next=%2Flistings%2F%3Fq%3Ds%25E1%25BA%25A5y%2520l%25C3%25BAa%26kind%3Dneed" in page
    )
    fragment = page[page.index('id="save-search"') :]
    assert "zz" not in fragment[: fragment.index("</div>")]


def test_saving_from_the_browse_page(signed_in, reader):
    response = signed_in.post(CREATE, {"q": "sấy lúa", "kind": "offer", "trl": "6"}, follow=True)
    saved = SavedSearch.objects.get(user=reader)
    assert (saved.q, saved.filters) == ("sấy lúa", {"kind": "offer", "trl": 6})
    assert response.redirect_chain[-1][0] == LIST
    saved_message = "Search saved as “sấy lúa · Technology offer · TRL 6 or higher”."
    assert f"{saved_message} New listings it finds will be sent to you." in text(response)


def test_saving_with_htmx_answers_the_fragment(signed_in, reader):
    response = signed_in.post(CREATE, {"q": "sấy lúa"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Saved as “sấy lúa”: new listings it finds will be sent to you." in text(response)
    again = signed_in.post(CREATE, {"q": "sấy lúa"}, HTTP_HX_REQUEST="true")
    assert "You have already saved this search, as “sấy lúa”." in text(again)
    assert SavedSearch.objects.filter(user=reader).count() == 1


def test_a_bad_filter_is_an_error_not_a_saved_search(signed_in, reader):
    response = signed_in.post(CREATE, {"q": "lúa", "province": "99"}, follow=True)
    assert "This search cannot be saved: Unknown code." in text(response)
    assert not SavedSearch.objects.exists()
    # Back on the browse page with the words kept.
    assert response.redirect_chain[-1][0].startswith(f"{BROWSE}?q=")


def test_saving_needs_a_signed_in_post(client, reference_data):
    assert client.post(CREATE, {"q": "lúa"}).status_code == 302
    assert not SavedSearch.objects.exists()
    member = member_of()
    client.force_login(member)
    assert client.get(CREATE).status_code == 405


# --- my saved searches -------------------------------------------------------------------------------------------


def test_my_saved_searches_with_their_filters_in_words(signed_in, reader):
    save(reader, "sấy lúa", kind="offer", province="92", field="4")
    save(member_of(), "của người khác")
    page = text(signed_in.get(LIST))
    assert "sấy lúa · Technology offer" in page
    assert "Province: Can Tho" in page and "Kind: Technology offer" in page
    assert "của người khác" not in page
    assert "Tell me about new matches scoring at least" in page


def test_the_list_costs_the_same_queries_for_many_searches(signed_in, reader, count_queries):
    save(reader, "sấy lúa", province="92")
    with count_queries() as few:
        assert signed_in.get(LIST).status_code == 200
    for n, province in enumerate(["96", "86", "82", "80"]):
        save(reader, f"tôm {n}", province=province, field="4")
    with count_queries() as many:
        assert signed_in.get(LIST).status_code == 200
    assert len(many) == len(few) + 1  # the fields' labels, once for all
    assert len(many) <= LIST_BUDGET


def test_rename_switch_alerts_and_delete(signed_in, reader):
    saved = save(reader, "sấy lúa")
    url = reverse("alerts:saved_rename", kwargs={"pk": saved.pk})
    assert "The search is now called “Máy sấy”." in text(signed_in.post(url, {"name": "Máy sấy"}, follow=True))
    off = signed_in.post(reverse("alerts:saved_alerts_set", kwargs={"pk": saved.pk}), {"active": "0"}, follow=True)
    assert "Alerts for “Máy sấy” are off." in text(off)
    assert not SavedSearch.objects.get(pk=saved.pk).is_active
    on = signed_in.post(reverse("alerts:saved_alerts_set", kwargs={"pk": saved.pk}), {"active": "1"}, follow=True)
    assert "Alerts for “Máy sấy” are on." in text(on)
    gone = signed_in.post(reverse("alerts:saved_delete", kwargs={"pk": saved.pk}), follow=True)
    assert "The saved search “Máy sấy” was deleted." in text(gone)
    assert not SavedSearch.objects.exists()


def test_rename_errors_are_shown(signed_in, reader):
    saved, other = save(reader, "sấy lúa"), save(reader, "tôm")
    url = reverse("alerts:saved_rename", kwargs={"pk": saved.pk})
    assert "You already have a saved search with this name." in text(
        signed_in.post(url, {"name": other.name}, follow=True)
    )
    assert "This field is required." in text(signed_in.post(url, {"name": ""}, follow=True))


def test_somebody_elses_saved_search_is_not_found(signed_in):
    theirs = save(member_of(), "lúa")
    for name in ("saved_rename", "saved_alerts_set", "saved_delete"):
        assert (
            signed_in.post(
                reverse(f"alerts:{name}", kwargs={"pk": theirs.pk}), {"name": "x", "active": "0"}
            ).status_code
            == 404
        )
    assert SavedSearch.objects.get(pk=theirs.pk).name == "lúa"
    assert signed_in.post("/matching/saved/99999999999999999999/delete/").status_code == 404


# --- the alert page and one-click unsubscribe, opened from an e-mail ---------------------------------------------


def test_the_alert_page_lists_what_was_alerted_without_signing_in(client, reader, staff):
    saved = save(reader, "sấy lúa")
    dryer = publish(staff)
    saved_services.saved_search_alert_for_listing(listing=dryer)
    response = client.get(saved.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "New listings for “sấy lúa”" in page
    assert dryer.title in page
    assert reverse("alerts:saved_unsubscribe", kwargs={"token": saved.token}) in page
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"


def test_the_alert_page_hides_listings_no_longer_live(client, reader, staff):
    from techex.listings import services as listing_services

    saved = save(reader, "sấy lúa")
    dryer = publish(staff)
    saved_services.saved_search_alert_for_listing(listing=dryer)
    listing_services.listing_withdraw(listing=dryer, user=dryer.organization.memberships.get().user)
    page = text(client.get(saved.get_absolute_url()))
    assert dryer.title not in page
    assert "No new listing for this search is on the exchange at the moment." in page


def test_an_unknown_token_is_not_found(client, reference_data):
    assert client.get("/matching/saved/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/").status_code == 404
    assert client.get("/matching/saved/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/feed/").status_code == 404


def test_unsubscribe_asks_on_get_and_does_it_on_post_without_signing_in(reader):
    saved = save(reader, "sấy lúa")
    url = reverse("alerts:saved_unsubscribe", kwargs={"token": saved.token})
    browser = Client(enforce_csrf_checks=True)
    asked = browser.get(url)
    assert asked.status_code == 200
    assert "Stop the alerts for your saved search “sấy lúa”?" in text(asked)
    assert SavedSearch.objects.get().is_active
    done = browser.post(url)
    assert done.status_code == 200
    assert "Done: you will no longer get alerts for “sấy lúa”. Its feed keeps working." in text(done)
    assert not SavedSearch.objects.get().is_active
    assert "Alerts for “sấy lúa” are already off." in text(browser.get(url))


def test_unsubscribe_with_a_cut_token_says_so(client, reader):
    saved = save(reader, "sấy lúa")
    response = client.post(reverse("alerts:saved_unsubscribe", kwargs={"token": saved.token[:-3]}))
    assert response.status_code == 400
    assert "This link is not valid: it may have been cut or changed" in text(response)
    assert SavedSearch.objects.get().is_active


def test_the_alert_pages_stop_button_is_one_click(client, reader):
    saved = save(reader, "sấy lúa")
    page = text(client.get(saved.get_absolute_url()))
    assert "Stop these alerts" in page
    Client(enforce_csrf_checks=True).post(reverse("alerts:saved_unsubscribe", kwargs={"token": saved.token}))
    assert "Alerts for this search are off." in text(client.get(saved.get_absolute_url()))


def test_an_anonymous_listing_keeps_its_owner_hidden_on_the_alert_page(client, reader, staff):
    hidden = OrganizationFactory(name="Viện Công Nghệ Kín Đáo")
    saved = save(reader, "sấy lúa")
    saved_services.saved_search_alert_for_listing(listing=publish(staff, organization=hidden, is_anonymous=True))
    page = text(client.get(saved.get_absolute_url()))
    assert "Kín Đáo" not in page and "Anonymous organisation" in page


# --- the match alert threshold (matching's setting, a form of this page) -----------------------------------------


def test_set_the_match_alert_threshold(client, reference_data):
    member = member_of()
    client.force_login(member)
    page = text(client.get(reverse("alerts:saved_list")))
    assert 'name="threshold" value="60"' in page
    response = client.post(reverse("alerts:threshold"), {"threshold": "75", "alerts_enabled": "on"}, follow=True)
    assert "You will be told about new matches scoring 75 or more." in text(response)
    preference = MatchPreference.objects.get(user=member)
    assert (preference.threshold, preference.alerts_enabled) == (75, True)
    response = client.post(reverse("alerts:threshold"), {"threshold": "75"}, follow=True)
    assert "Match alerts are off" in text(response)
    assert not MatchPreference.objects.get(user=member).alerts_enabled


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("101", "Ensure this value is less than or equal to 100."),
        ("nhiều", "Enter a whole number."),
        ("", "This field is required."),
    ],
)
def test_a_bad_threshold_is_refused_with_a_message(client, reference_data, value, message):
    member = member_of()
    client.force_login(member)
    response = client.post(reverse("alerts:threshold"), {"threshold": value, "alerts_enabled": "on"})
    assert response.status_code == 400
    assert message in text(response)
    assert not MatchPreference.objects.filter(user=member).exists()


# --- the paths stay where they were ----------------------------------------------------------------------------


def test_the_paths_are_those_sent_in_e_mails_before_saved_searches_left_matching():
    token = "A" * 32
    assert reverse("alerts:saved_list") == "/matching/saved/"
    assert reverse("alerts:saved_create") == "/matching/saved/new/"
    assert reverse("alerts:threshold") == "/matching/threshold/"
    assert reverse("alerts:saved_rename", kwargs={"pk": 7}) == "/matching/saved/7/rename/"
    assert reverse("alerts:saved_alerts_set", kwargs={"pk": 7}) == "/matching/saved/7/alerts/"
    assert reverse("alerts:saved_delete", kwargs={"pk": 7}) == "/matching/saved/7/delete/"
    assert reverse("alerts:saved_alerts", kwargs={"token": token}) == f"/matching/saved/{token}/"
    assert reverse("alerts:saved_feed", kwargs={"token": token}) == f"/matching/saved/{token}/feed/"
    assert reverse("alerts:saved_unsubscribe", kwargs={"token": token}) == f"/matching/saved/{token}/unsubscribe/"
