"""The listing's field lists are one list: what validation accepts is what the API reads and writes."""

from ..api.serializers import ListingContentSerializer, ListingCreateSerializer, ListingSerializer
from ..models import PROSE_FIELDS
from ..validation import EDITABLE_FIELDS, TEXT_FIELDS


def test_the_api_writes_exactly_the_fields_validation_accepts():
    assert set(ListingContentSerializer().fields) == set(EDITABLE_FIELDS)
    assert set(ListingCreateSerializer().fields) == {*EDITABLE_FIELDS, "organization", "kind"}


def test_the_api_shows_every_field_validation_accepts_in_the_same_order():
    shown = [name for name in ListingSerializer.Meta.fields if name in EDITABLE_FIELDS]
    assert shown == list(EDITABLE_FIELDS)


def test_the_prose_fields_lead_the_text_fields():
    assert TEXT_FIELDS[: len(PROSE_FIELDS)] == PROSE_FIELDS
