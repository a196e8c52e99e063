"""Uploaded images, trusted only once Pillow has decoded them.

An image's name and declared type count for nothing: `decode` opens the bytes with Pillow,
allowing only the given formats (never SVG, which can carry script), refuses a picture of
more than `max_pixels` from its header, before decoding anything (a decompression bomb),
and decodes the first frame only (an animated GIF of 500 frames costs one). Whatever is
stored is re-encoded by `save`: no metadata (GPS coordinates, camera serials) survives.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence

from PIL import Image, ImageOps, UnidentifiedImageError

WEB_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")


class ImageProblem(ValueError):
    """Why the upload is not an image we take, for the field's error."""


def decode(data: bytes, *, max_pixels: int, formats: Sequence[str] = WEB_FORMATS) -> Image.Image:
    """The upload's first frame, upright, or ImageProblem."""
    if not data:
        raise ImageProblem("Choose an image file")
    names = ", ".join(formats[:-1]) + f" or {formats[-1]}" if len(formats) > 1 else formats[0]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(formats))
            if image.width * image.height > max_pixels:
                raise ImageProblem("The image has too many pixels")
            image.seek(0)
            image.draft("RGB", (1024, 1024))  # JPEG: decode at the size we need, not 40 MP
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem("The image has too many pixels") from None
    except UnidentifiedImageError:
        raise ImageProblem(f"This is not a {names} image") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageProblem(f"The image could not be read: {error}") from None
    return ImageOps.exif_transpose(image)


def encoded(image: Image.Image, format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **options)
    return out.getvalue()
