"""Demo events for ``seed_demo``, built through the services so the audit trail and the e-mails are real.

A past techmart (Techmart–Techfest Mekong in Cần Thơ) with its programme and registrations, an upcoming demo day with
open registration and B2B meetings, and a seminar that the An Giang department runs in its own province. When demo
events exist already, nothing is done (``make run`` seeds on every start).
"""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from techex.departments.models import DepartmentStaff
from techex.organizations.models import Membership, Organization
from techex.reference.models import Province

from . import b2b, services
from .choices import EventType, MeetingStatus, RegistrationRole
from .models import B2BProfile, Event, Meeting

MAP = "https://www.openstreetmap.org/?mlat=10.0340&mlon=105.7880#map=17/10.0340/105.7880"


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _sessions(user: Any, event: Event, rows: list[tuple[int, int, int, int, str, str, str]]) -> None:
    day = timezone.localtime(event.starts_at)
    for start_h, start_m, end_h, end_m, title, room, speakers in rows:
        services.session_create(
            user=user,
            event=event,
            values={
                "title": title,
                "starts_at": _at(day, start_h, start_m),
                "ends_at": _at(day, end_h, end_m),
                "room": room,
                "speakers": speakers,
            },
        )


def _members(limit: int) -> list[Membership]:
    return list(
        Membership.objects.filter(organization__is_demo=True, user__is_active=True)
        .select_related("user", "organization")
        .order_by("organization__name", "pk")[:limit]
    )


def _register(event: Event, memberships: list[Membership], roles: tuple[str, ...]) -> int:
    done = 0
    seen: set[int] = set()
    for n, membership in enumerate(memberships):
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        services.registration_create(
            event=event,
            user=membership.user,
            organization=membership.organization,
            role=roles[n % len(roles)],
            sessions=list(event.sessions.all()[:2]),
            wants_b2b=event.b2b_enabled,
        )
        done += 1
    return done


# What demo participants offer and seek at the B2B meetings, in turn.
B2B_TEXTS = [
    ("Máy sấy lúa tầng sôi dùng trấu, công suất 10 tấn mỗi mẻ; chuyển giao kèm đào tạo vận hành.",
     "Hợp tác xã và doanh nghiệp xay xát cần giảm hao hụt sau thu hoạch."),
    ("Hệ thống tưới nhỏ giọt điều khiển qua điện thoại cho vườn cây ăn trái.",
     "Đối tác phân phối thiết bị ở các tỉnh ven biển."),
    ("Chế phẩm sinh học xử lý rơm rạ tại ruộng, đã thử nghiệm ở Cần Thơ và Hậu Giang.",
     "Nhà đầu tư cho dây chuyền sản xuất chế phẩm quy mô công nghiệp."),
    ("Dịch vụ phân tích chất lượng nông sản đạt chuẩn ISO/IEC 17025.",
     "Doanh nghiệp xuất khẩu trái cây cần kiểm nghiệm trước khi giao hàng."),
]  # fmt: skip


def _user_of(registration: Any) -> Any:
    # Demo B2B participants are members: their registration always has its user.
    return registration.user


def _b2b_setup(staff: Any, event: Event, day: datetime, *, tables: int) -> list[B2BProfile]:
    """The event's B2B hours (13:30–16:30, 20-minute meetings, a break at 15:00) and its registrants' profiles."""
    b2b.b2b_settings_save(
        user=staff,
        event=event,
        values={
            "starts_at": _at(day, 13, 30),
            "ends_at": _at(day, 16, 30),
            "meeting_minutes": 20,
            "break_starts_at": _at(day, 15, 0),
            "break_ends_at": _at(day, 15, 20),
            "tables": tables,
            "request_limit": 10,
        },
    )
    profiles = []
    for n, registration in enumerate(event.registrations.filter(wants_b2b=True, user__isnull=False).order_by("pk")):
        offer, seek = B2B_TEXTS[n % len(B2B_TEXTS)]
        profiles.append(b2b.b2b_profile_save(user=_user_of(registration), event=event, offer=offer, seek=seek))
    return profiles


def _b2b_accepted(event: Event, profiles: list[B2BProfile]) -> int:
    """Each participant asks the next one for a meeting, and the next accepts (the first pair marks it important)."""
    made = 0
    for n, sender in enumerate(profiles):
        recipient = profiles[(n + 1) % len(profiles)]
        if recipient.pk == sender.pk or (len(profiles) == 2 and n == 1):
            continue
        request = b2b.meeting_request_send(
            user=_user_of(sender.registration),
            event=event,
            recipient=recipient,
            message="Chúng tôi muốn trao đổi về khả năng hợp tác chuyển giao công nghệ.",
            important=n == 0,
        )
        b2b.meeting_request_accept(user=_user_of(recipient.registration), request=request, important=n == 0)
        made += 1
    return made


def _partner_staff(code: str) -> Any:
    row = DepartmentStaff.objects.filter(department__code=code).select_related("user").first()
    return row.user if row is not None else None


@transaction.atomic
def seed_events(*, staff: Any) -> int:
    """Create the demo events (and their registrations); return how many events were made."""
    if Event.objects.filter(is_demo=True).exists():
        return 0
    can_tho = Province.objects.get(code="92")
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    organizers = list(Organization.objects.filter(is_demo=True, province=can_tho).order_by("name")[:2])
    made = 0

    # A techmart that has taken place: made while it was ahead (registration open), then moved to its real dates.
    start = _at(today + timedelta(days=10), 8)
    techmart = services.event_create(
        user=staff,
        is_demo=True,
        organizers=organizers,
        values={
            "title": "Techmart – Techfest Mekong 2026",
            "type": EventType.TECHMART,
            "summary": "Chợ công nghệ và thiết bị vùng Đồng bằng sông Cửu Long: hơn 800 công nghệ, 200 gian hàng, "
            "phiên kết nối cung – cầu và gặp gỡ B2B.",
            "description": "Techmart – Techfest Mekong do Sở Khoa học và Công nghệ thành phố Cần Thơ chủ trì, phối "
            "hợp với các Sở Khoa học và Công nghệ trong vùng tổ chức.\n\nNội dung gồm trưng bày công nghệ, thiết bị "
            "của viện, trường, doanh nghiệp; hội thảo chuyên đề về nông nghiệp công nghệ cao, chế biến nông sản, "
            "năng lượng tái tạo; phiên kết nối cung – cầu công nghệ và gặp gỡ B2B giữa bên có công nghệ và bên cần "
            "công nghệ.",
            "starts_at": start,
            "ends_at": _at(start + timedelta(days=2), 17),
            "province": can_tho,
            "venue": "Trung tâm Hội nghị thành phố Cần Thơ",
            "address": "Số 2 đường Hòa Bình, phường Ninh Kiều, thành phố Cần Thơ",
            "map_url": MAP,
            "other_organizers": "Cục Phát triển thị trường và doanh nghiệp khoa học và công nghệ",
            "capacity": 800,
            "b2b_enabled": True,
        },
    )
    _sessions(
        staff,
        techmart,
        [
            (8, 0, 9, 0, "Khai mạc và tham quan gian hàng", "Sảnh chính", "Lãnh đạo UBND thành phố Cần Thơ"),
            (9, 0, 11, 30, "Hội thảo: Công nghệ sau thu hoạch cho lúa gạo và trái cây", "Hội trường A",
             "PGS.TS. Nguyễn Văn Bình; TS. Trần Thị Mai"),
            (13, 30, 16, 30, "Phiên kết nối cung – cầu công nghệ và gặp gỡ B2B", "Hội trường B", ""),
        ],
    )  # fmt: skip
    services.event_publish(user=staff, event=techmart)
    _register(techmart, _members(8), (RegistrationRole.VISITOR, RegistrationRole.EXHIBITOR))
    # Its B2B meetings were requested, scheduled and published while it was ahead.
    techmart_profiles = _b2b_setup(staff, techmart, start, tables=4)
    if len(techmart_profiles) >= 2:
        _b2b_accepted(techmart, techmart_profiles)
        b2b.b2b_schedule_run(user=staff, event=techmart, time_limit=2)
        b2b.b2b_schedule_publish(user=staff, event=techmart)
    past_start = _at(today - timedelta(days=75), 8)
    techmart = services.event_update(
        user=staff,
        event=techmart,
        values={"starts_at": past_start, "ends_at": _at(past_start + timedelta(days=2), 17)},
    )
    # The sessions move with the event (same days, same hours).
    for session in techmart.sessions.all():
        shift = past_start - start
        services.session_update(
            user=staff,
            session=session,
            values={"starts_at": session.starts_at + shift, "ends_at": session.ends_at + shift},
        )
    settings = b2b.b2b_settings_of(event=techmart)
    if settings is not None:
        b2b.b2b_settings_save(
            user=staff,
            event=techmart,
            values={
                name: getattr(settings, name) + (past_start - start)
                for name in ("starts_at", "ends_at", "break_starts_at", "break_ends_at")
            },
        )
        # Most meetings took place (b2match's figure is about three in four); one side marks each.
        for n, meeting in enumerate(Meeting.objects.filter(event=techmart).select_related("first__registration")):
            status = MeetingStatus.NO_SHOW if n % 4 == 3 else MeetingStatus.HELD
            b2b.meeting_mark(user=_user_of(meeting.first.registration), meeting=meeting, status=status)
    made += 1

    # An upcoming demo day: registration open, B2B meetings, a few places already taken.
    start = _at(today + timedelta(days=24), 8)
    demo_day = services.event_create(
        user=staff,
        is_demo=True,
        organizers=organizers[:1],
        values={
            "title": "Ngày trình diễn công nghệ nông nghiệp xanh 2027",
            "type": EventType.DEMO_DAY,
            "summary": "Trình diễn trực tiếp máy sấy, thiết bị IoT tưới tiết kiệm và chế phẩm sinh học cho vùng "
            "lúa – tôm; gặp gỡ B2B giữa viện, trường và hợp tác xã.",
            "description": "Ngày trình diễn công nghệ dành cho hợp tác xã, doanh nghiệp nhỏ và nông dân. Mỗi nhóm "
            "công nghệ có khu trình diễn riêng, nhà khoa học giải đáp tại chỗ.\n\nNgười tham dự đăng ký gặp gỡ B2B "
            "sẽ nhận lịch gặp cá nhân trước sự kiện.",
            "starts_at": start,
            "ends_at": _at(start, 17),
            "province": can_tho,
            "venue": "Khu trình diễn – Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Cần Thơ",
            "address": "Đường Nguyễn Văn Cừ nối dài, phường An Bình, thành phố Cần Thơ",
            "map_url": MAP,
            "capacity": 120,
            "registration_closes_at": _at(start - timedelta(days=2), 17),
            "b2b_enabled": True,
        },
    )
    _sessions(
        staff,
        demo_day,
        [
            (8, 0, 8, 30, "Đón khách và giới thiệu chương trình", "Sảnh chính", ""),
            (8, 30, 11, 0, "Trình diễn: máy sấy lúa tầng sôi và sấy trái cây bằng bơm nhiệt", "Khu trình diễn 1",
             "KS. Lê Hoàng Phúc"),
            (9, 0, 11, 0, "Trình diễn: tưới nhỏ giọt điều khiển qua điện thoại", "Khu trình diễn 2",
             "ThS. Phạm Ngọc Hân"),
            (13, 30, 16, 30, "Gặp gỡ B2B theo lịch hẹn", "Hội trường B2B", ""),
        ],
    )  # fmt: skip
    services.event_publish(user=staff, event=demo_day)
    _register(demo_day, _members(4), (RegistrationRole.VISITOR,))
    # B2B profiles and accepted requests, waiting for staff to run the scheduler.
    demo_profiles = _b2b_setup(staff, demo_day, start, tables=3)
    if len(demo_profiles) >= 2:
        _b2b_accepted(demo_day, demo_profiles)
    made += 1

    # A seminar the An Giang department runs in its own province (its staff create it: routed to An Giang).
    an_giang_staff = _partner_staff("an-giang")
    if an_giang_staff is not None:
        start = _at(today + timedelta(days=38), 8)
        seminar = services.event_create(
            user=an_giang_staff,
            is_demo=True,
            values={
                "title": "Hội thảo chuyển giao công nghệ nuôi tôm – lúa bền vững tại An Giang",
                "type": EventType.SEMINAR,
                "summary": "Giới thiệu quy trình luân canh tôm – lúa thích ứng xâm nhập mặn và mô hình liên kết "
                "tiêu thụ.",
                "description": "Hội thảo do Sở Khoa học và Công nghệ tỉnh An Giang tổ chức cho hợp tác xã và hộ "
                "nuôi vùng ven biển. Đăng ký cần được ban tổ chức duyệt.",
                "starts_at": start,
                "ends_at": _at(start, 11, 30),
                "province": Province.objects.get(code="91"),
                "venue": "Hội trường Sở Khoa học và Công nghệ tỉnh An Giang",
                "address": "Phường Long Xuyên, tỉnh An Giang",
                "capacity": 60,
                "needs_approval": True,
            },
        )
        _sessions(
            an_giang_staff,
            seminar,
            [(8, 0, 9, 30, "Quy trình luân canh tôm – lúa", "Hội trường", "TS. Huỳnh Văn Tài"),
             (9, 45, 11, 30, "Mô hình liên kết tiêu thụ và thảo luận", "Hội trường", "Đại diện HTX")],
        )  # fmt: skip
        services.event_publish(user=an_giang_staff, event=seminar)
        made += 1
    return made
