"""core.uploads: files are judged by their bytes, never by their name or declared type."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sevamitra.core.errors import DomainError
from sevamitra.core.uploads import document_content, picture_content

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def picture(fmt: str = "PNG", size: tuple[int, int] = (40, 30), exif: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGBA" if fmt == "PNG" else "RGB", size, (10, 120, 200))
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {2: (26.0, 51.0, 0.0)}  # GPS latitude: where the photo was taken
        image.save(out, fmt, exif=data)
    else:
        image.save(out, fmt)
    return out.getvalue()


def upload(data: bytes, name: str = "file.bin", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_picture_becomes_a_clean_jpeg_within_the_size_asked():
    content = picture_content(upload(picture("PNG", (1600, 1200))), field="photo", max_side=800)
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG"
        assert image.size == (800, 600)


def test_the_photos_metadata_with_its_location_is_removed():
    content = picture_content(upload(picture("JPEG", exif=True)), field="photo", max_side=800)
    with Image.open(io.BytesIO(content)) as image:
        assert dict(image.getexif()) == {}


def test_a_pdf_is_kept_as_sent():
    assert document_content(upload(PDF, "cert.pdf"), field="file", max_side=100) == (PDF, "pdf")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"MZ\x90\x00 not a picture", "invalid_document_file"),
        (b"<script>alert(1)</script>", "invalid_document_file"),
        (PDF[:-8], "invalid_document_file"),  # a cut-off PDF
        (b"GIF89a" + b"\x00" * 20, "invalid_document_file"),  # not a format we take
    ],
)
def test_anything_else_is_refused_whatever_its_name(data, code):
    with pytest.raises(DomainError) as refused:
        document_content(upload(data, "scan.jpg"), field="file", max_side=100)
    assert (refused.value.code, refused.value.field) == (code, "file")


def test_a_text_file_called_photo_jpg_is_not_a_photo():
    with pytest.raises(DomainError) as refused:
        picture_content(upload(b"hello", "photo.jpg"), field="photo", max_side=100)
    assert refused.value.code == "invalid_image"


def test_files_above_the_limit_are_refused_before_being_read(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(DomainError) as refused:
        document_content(upload(PDF + b" " * 2000, "big.pdf"), field="file", max_side=100)
    assert refused.value.code == "file_too_large"
