"""Registering for an event on a 360 px phone, in Vietnamese: the form answers in place (htmx), the e-mail's link
confirms the place, and nothing scrolls sideways."""

import re
from urllib.parse import urlsplit

from django.core import mail

from techex.accounts.tests.factories import StaffFactory
from techex.events.models import Registration
from techex.events.tests.factories import make_event

from .test_journeys import assert_fits_phone


def test_guest_registers_on_a_phone_and_confirms_from_the_email(new_phone_page, live_server, settings, reference_data):
    event = make_event(user=StaffFactory(), sessions=2, capacity=30)
    page = new_phone_page()
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "vi", "url": live_server.url}])
    page.goto("/su-kien/")
    assert page.locator("h1").inner_text() == "Sự kiện"
    assert_fits_phone(page)
    page.get_by_role("link", name=event.title).click()
    page.wait_for_url(f"**{event.get_absolute_url()}")
    assert "còn 30 chỗ" in page.content()
    assert_fits_phone(page)

    page.get_by_label("Tên đầy đủ").fill("Nguyễn Thị Ngọc Hân")
    page.get_by_label("Email").fill("ngochan@example.vn")
    page.get_by_label("Số điện thoại").fill("0939 555 777")
    page.get_by_label("Tổ chức").fill("HTX Dịch vụ Nông nghiệp Thới Lai")
    page.get_by_label("Diễn giả").check()
    page.get_by_label(re.compile("Phiên 2")).check()
    page.get_by_role("button", name="Đăng ký").click()
    page.get_by_text("Sắp xong: chúng tôi đã gửi e-mail cho bạn").wait_for()
    assert_fits_phone(page)
    registration = Registration.objects.get()
    assert registration.role == "speaker" and registration.sessions.get().title.startswith("Phiên 2")

    link = re.search(r"https?://\S+/events/verify/\S+/", mail.outbox[-1].body).group(0)
    page.goto(urlsplit(link).path)  # the e-mail names the site's address; the test server has its own
    page.get_by_role("button", name="Xác nhận").click()
    page.get_by_text("Bạn đã đăng ký thành công").wait_for()
    assert Registration.objects.get().status == "confirmed"
    assert "còn 29 chỗ" in page.content()
    assert_fits_phone(page)
