"""Check uploaded files by their content, never by their name."""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
OFFICE_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
MAX_IMAGE_PIXELS = 40_000_000
# A zip-based file (DOCX, XLSX, PPTX, ODT, a plain ZIP …) may unpack to far more than it weighs (a "zip bomb"),
# filling the memory or disk of what opens it: the import, a preview, the person who downloads it. Office XML
# packs about ten times; forty times its size, and never less than 40 MB, leaves room for any real document.
MAX_UNPACK_RATIO = 40
MIN_UNPACK_BASE = 1_000_000


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str
    is_image: bool


def _check_size(file) -> None:
    limit = settings.UPLOAD_MAX_BYTES
    if file.size is None or file.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(file.size or 0), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")


def check_unpacked_size(archive: zipfile.ZipFile, *, packed_size: int) -> None:
    """Refuse an archive that unpacks to more than MAX_UNPACK_RATIO times its size (every zip-based upload)."""
    unpacked = sum(info.file_size for info in archive.infolist())
    limit = MAX_UNPACK_RATIO * max(packed_size, MIN_UNPACK_BASE)
    if unpacked > limit:
        raise ValidationError(
            _("This file unpacks to %(size)s, more than a document of its size may hold (%(limit)s).")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limit)},
            code="unpacks_too_large",
        )


def _sniff_image(file) -> Sniffed | None:
    file.seek(0)
    try:
        with Image.open(file) as image:
            if image.format not in IMAGE_FORMATS:
                return None
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")
            image.verify()
            content_type, extension = IMAGE_FORMATS[image.format]
            return Sniffed(content_type, extension, True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        file.seek(0)


def _sniff_document(file) -> Sniffed | None:
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return Sniffed("application/pdf", "pdf", False)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                check_unpacked_size(archive, packed_size=file.size)  # before anything reads a member
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" in names:
            for prefix, (content_type, extension) in OFFICE_TYPES.items():
                if any(name.startswith(prefix) for name in names):
                    return Sniffed(content_type, extension, False)
    return None


def validate_image(file) -> Sniffed:
    """Accept a JPEG, PNG or WebP image within the size limit, whatever its name says."""
    _check_size(file)
    sniffed = _sniff_image(file)
    if sniffed is None:
        raise ValidationError(
            _("This file is not a JPEG, PNG or WebP image (its content was checked, not its name)."),
            code="not_image",
        )
    return sniffed


def validate_document(file) -> Sniffed:
    """Accept a PDF, Word, Excel or PowerPoint document, or an image, within the size limit."""
    _check_size(file)
    sniffed = _sniff_document(file) or _sniff_image(file)
    if sniffed is None:
        raise ValidationError(
            _("This file type is not accepted. Upload a PDF, DOCX, XLSX, PPTX, JPEG, PNG or WebP file."),
            code="bad_type",
        )
    return sniffed
