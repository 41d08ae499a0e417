"""Serve a deal's files: only to those who may read the deal; to anyone else the same 404 as a missing file.

The pages route these views (``docs/deals.md``); the API has its own download endpoints that share ``file_response``.
"""

from pathlib import PurePath

from django.http import FileResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from . import selectors


def file_response(field_file, *, name: str, extension: str, content_type: str, fallback: str) -> FileResponse:
    """A private download: never cached by shared caches, never sniffed or run by the browser."""
    # The name offered keeps the user's words but the extension of the checked content.
    stem = " ".join(PurePath(name).stem.split()) or fallback
    response = FileResponse(
        field_file.open("rb"),
        content_type=content_type,
        as_attachment=not content_type.startswith("image/"),
        filename=f"{stem}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    patch_cache_control(response, private=True, no_store=True)
    return response


def attachment_response(attachment) -> FileResponse:
    return file_response(
        attachment.file,
        name=attachment.original_name,
        extension=attachment.extension,
        content_type=attachment.content_type,
        fallback=attachment.deal.reference_code,
    )


def nda_file_response(nda) -> FileResponse:
    return file_response(
        nda.signed_file,
        name=nda.signed_file_name,
        extension=nda.signed_file_extension,
        content_type=nda.signed_file_type,
        fallback=f"{nda.deal.reference_code}-nda",
    )


@require_safe
def attachment_download(request, token: str):
    """A file sent with a deal message."""
    return attachment_response(selectors.attachment_get_for_user(user=request.user, token=token))


@require_safe
def nda_file_download(request, reference_code: str):
    """The signed NDA document of a deal."""
    return nda_file_response(selectors.nda_file_get_for_user(user=request.user, reference_code=reference_code))
