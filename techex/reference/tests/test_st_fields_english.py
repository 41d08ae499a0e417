"""In English, every level of the S&T field classification reads in English (the majors too, not only the fields)."""

from django.utils import translation

from techex.reference.models import STField


def test_every_st_field_has_an_english_name(reference_data):
    assert STField.objects.count() > 290
    assert list(STField.objects.filter(name_en="").values_list("code", flat=True)) == []


def test_a_major_reads_in_english_under_its_english_sector(reference_data):
    major = STField.objects.select_related("parent__parent").get(code="40107")
    with translation.override("en"):
        assert major.label == "Post-harvest preservation and processing of agricultural products"
        assert major.parent.parent.label == "Agricultural sciences"
    with translation.override("vi"):
        assert major.label == "Bảo quản và chế biến nông sản"
