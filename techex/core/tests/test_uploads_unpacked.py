"""Every zip-based upload (DOCX, XLSX, PPTX, a plain ZIP) is refused when it unpacks to far more than it weighs."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from techex.core.uploads import validate_document
from techex.listings.tests.uploads import zip_bomb_bytes, zip_bomb_upload

MESSAGE = "This file unpacks to 57.2\xa0MB, more than a document of its size may hold (38.1\xa0MB)."


@pytest.mark.parametrize("kind", ["xlsx", "docx", "pptx", "zip"])
def test_a_zip_bomb_is_refused_whatever_it_claims_to_be(kind):
    assert len(zip_bomb_bytes(kind)) < 200_000  # 60 MB of zeros deflate to a few tens of kB
    with pytest.raises(ValidationError) as error:
        validate_document(zip_bomb_upload(kind))
    assert error.value.messages == [MESSAGE]
    assert error.value.code == "unpacks_too_large"


def test_a_real_workbook_is_accepted():
    from openpyxl import Workbook

    workbook = Workbook()
    for row in range(2000):
        workbook.active.append([f"Máy sấy lúa {row}", row, row * 1.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sniffed = validate_document(SimpleUploadedFile("bang.xlsx", buffer.getvalue()))
    assert sniffed.extension == "xlsx"


def test_a_document_within_the_ratio_is_accepted():
    assert validate_document(zip_bomb_upload("docx", unpacked=30_000_000)).extension == "docx"
