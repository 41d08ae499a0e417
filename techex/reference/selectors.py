from django.db.models import QuerySet

from .models import Province, STField, Ward


def ward_list_for_province(*, province_code: str) -> QuerySet[Ward]:
    if not province_code:
        return Ward.objects.none()
    return Ward.objects.filter(province_id=province_code).order_by("name")


def province_list() -> QuerySet[Province]:
    """Provinces with the Mekong Delta first, then alphabetical."""
    return Province.objects.order_by("-is_mekong", "name")


def st_field_choices() -> QuerySet[STField]:
    return STField.objects.order_by("code")
