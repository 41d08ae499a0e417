"""The B2B flow on a 360 px phone: a participant asks another for a meeting, the other accepts, staff run the
scheduler and publish, and the participant's agenda shows the table; no page scrolls sideways."""

from playwright.sync_api import expect

from techex.accounts.tests.factories import StaffFactory
from techex.events.models import Meeting
from techex.events.tests.b2b_factories import b2b_member, make_b2b_event, user_of

from .test_deals_journey import sign_in
from .test_journeys import assert_fits_phone


def test_b2b_meeting_flow_on_a_phone(new_phone_page, live_server, reference_data):
    lead = StaffFactory()
    event = make_b2b_event(user=lead)
    an = b2b_member(event, "Nguyễn Văn An", offer="Dây chuyền sấy lúa tầng sôi dùng trấu, công suất 10 tấn mỗi mẻ")
    binh = b2b_member(event, "Lê Thị Bình")

    page = new_phone_page()
    sign_in(page, user_of(an).email)
    page.goto(f"/events/{event.slug}/b2b/")
    assert_fits_phone(page)
    page.get_by_role("link", name="Ask for a meeting").click()
    page.get_by_label("Message").fill("Chúng tôi muốn giới thiệu máy sấy cho hợp tác xã của chị.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your meeting request is sent.")).to_be_visible()
    assert_fits_phone(page)
    page.goto(f"/events/{event.slug}/b2b/profile/")
    assert_fits_phone(page)

    other = new_phone_page()
    sign_in(other, user_of(binh).email)
    other.goto(f"/events/{event.slug}/b2b/requests/")
    other.get_by_role("button", name="Accept").click()
    expect(other.get_by_text("The meeting request is updated.")).to_be_visible()
    assert_fits_phone(other)

    staff = new_phone_page()
    sign_in(staff, lead.email)
    staff.goto(f"/events/staff/{event.slug}/b2b/")
    assert_fits_phone(staff)
    staff.get_by_role("button", name="Run the scheduler").click()
    expect(staff.get_by_text("1 meeting is scheduled. Check it, then publish.")).to_be_visible()
    assert_fits_phone(staff)
    staff.get_by_role("button", name="Publish the agendas").click()
    expect(staff.get_by_text("1 meeting is published; the participants are told.")).to_be_visible()

    meeting = Meeting.objects.get(event=event, published=True)
    page.goto(f"/events/{event.slug}/b2b/agenda/")
    expect(page.get_by_role("heading", name="Lê Thị Bình")).to_be_visible()
    expect(page.get_by_text(f"Table {meeting.table}")).to_be_visible()
    assert_fits_phone(page)
