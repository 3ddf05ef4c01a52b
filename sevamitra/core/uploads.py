"""Uploaded files, checked by their content: size, then what the bytes really are.

Pictures (JPEG, PNG, WebP) are decoded and re-encoded as JPEG without their metadata (a phone
photo's EXIF can hold where it was taken), so what we store is a clean picture whatever the
upload claimed to be; PDFs are kept as sent once they look like a whole PDF. Anything else is
refused with a message for the form field. Stored files have no public URL (settings.MEDIA_ROOT
is outside the web root); views that check who asks serve them.
"""

import io

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from sevamitra.core.errors import DomainError

_MAX_PIXELS = 40_000_000
_IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})


def _too_large(field: str) -> DomainError:
    return DomainError(
        _("The file is too large: at most %(mb)d MB.")
        % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
        code="file_too_large",
        field=field,
    )


def read_upload(upload: File, *, field: str) -> bytes:
    """The bytes of an upload, refused above settings.UPLOAD_MAX_BYTES or when empty."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _too_large(field)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(field)
    if not data:
        raise DomainError(_("The file is empty."), code="empty_file", field=field)
    return data


def reencoded_image(data: bytes, *, max_side: int, field: str) -> bytes | None:
    """A JPEG, PNG or WebP picture re-encoded as a JPEG of at most max_side pixels a side,
    without its metadata; None when the bytes are not such a picture."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in _IMAGE_FORMATS:
                return None
            width, height = image.size
            if width * height > _MAX_PIXELS:
                raise DomainError(
                    _("The picture has too many pixels. Send a smaller one."),
                    code="image_too_large",
                    field=field,
                )
            image.load()
            picture = ImageOps.exif_transpose(image)
            if picture.mode in ("RGBA", "LA", "P"):
                picture = picture.convert("RGBA")
                flat = Image.new("RGB", picture.size, "white")
                flat.paste(picture, mask=picture.getchannel("A"))
                picture = flat
            picture = picture.convert("RGB")
            picture.thumbnail((max_side, max_side))
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=85, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return None


def picture_content(upload: File, *, field: str, max_side: int) -> bytes:
    """A photo: JPEG bytes, or a form error for `field`."""
    data = read_upload(upload, field=field)
    content = reencoded_image(data, max_side=max_side, field=field)
    if content is None:
        raise DomainError(
            _("The photo must be a picture (JPEG, PNG or WebP)."),
            code="invalid_image",
            field=field,
        )
    return content


def document_content(upload: File, *, field: str, max_side: int) -> tuple[bytes, str]:
    """(bytes, extension) of a document: a PDF as sent, or a picture re-encoded as JPEG."""
    data = read_upload(upload, field=field)
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return data, "pdf"
    content = reencoded_image(data, max_side=max_side, field=field)
    if content is None:
        raise DomainError(
            _("The file must be a PDF or a picture (JPEG, PNG or WebP)."),
            code="invalid_document_file",
            field=field,
        )
    return content, "jpg"
