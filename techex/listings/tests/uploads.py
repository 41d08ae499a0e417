"""Small real files for upload tests: the checks read content, so the bytes must be what they claim."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 110, 79)).save(buffer, format="PNG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_upload(name: str = "may-say.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf_upload(name: str = "ho-so.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def zip_bomb_bytes(kind: str = "xlsx", unpacked: int = 60_000_000) -> bytes:
    """A small office file (or plain ZIP) of ``unpacked`` zero bytes that deflates to a few tens of kilobytes."""
    import zipfile

    folder = {"xlsx": "xl/", "docx": "word/", "pptx": "ppt/", "zip": ""}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        if folder:
            archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
            archive.writestr(f"{folder}workbook.xml" if kind == "xlsx" else f"{folder}document.xml", "<x/>")
        with archive.open(f"{folder}media/zeros.bin", "w", force_zip64=True) as member:
            chunk = bytes(1_000_000)
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def zip_bomb_upload(kind: str = "xlsx", unpacked: int = 60_000_000) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"bang-gia.{kind}", zip_bomb_bytes(kind, unpacked))
