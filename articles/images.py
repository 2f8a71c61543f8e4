"""Validation, normalisation and responsive renditions for uploaded photos.

Every entry point decodes the upload through the same checks, so a file that
``validate_image`` would refuse can never reach the re-encoders either.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS: frozenset[str] = frozenset({"JPEG", "PNG", "WEBP"})

# Pillow reports a JPEG that embeds further images through MPF (Ultra HDR and Apple
# HDR gain maps, stereo pairs) as "MPO"; its first frame is the ordinary photo.
_FORMAT_ALIASES = {"MPO": "JPEG"}
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
_SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 88, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85},
}
_MEGABYTE = 1024 * 1024

# What Pillow raises for malformed data: UnidentifiedImageError, "image file is
# truncated" and libjpeg/libwebp decoder errors are OSErrors; bad PNG chunks or CRCs
# raise SyntaxError; PNG text chunks over Pillow's memory limits raise ValueError.
# (Pillow wraps EOFError/struct.error from header parsers into these itself.)
_DECODE_ERRORS = (OSError, SyntaxError, ValueError)
_BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)

# Converting to sRGB and dropping the profile (rather than keeping it) means the
# output carries no metadata at all, and looks the same in every browser (untagged
# images are shown as sRGB), including renditions, which never carry a profile.
# Wide-gamut colours (e.g. Display P3 phone photos) are clipped to sRGB.
_SRGB = ImageCms.createProfile("sRGB")

_MESSAGES = {
    "too_large": _(
        "This file is larger than %(limit)s MB, the most Newsroom accepts for a photo. "
        "Export a smaller version and upload it again."
    ),
    "invalid": _("This file is not an image Newsroom can read. Upload a JPEG, PNG or WebP photo."),
    "format": _("%(format)s images are not accepted. Upload a JPEG, PNG or WebP photo instead."),
    "too_many_pixels": _(
        "This image is %(width)s by %(height)s pixels, more than the %(megapixels)s "
        "megapixels Newsroom accepts. Resize it and upload it again."
    ),
    "decompression_bomb": _(
        "This image claims dimensions far too large to process safely. "
        "Resize it and upload it again."
    ),
    "truncated": _(
        "This image is incomplete or damaged, so Newsroom cannot read it. "
        "Export or download it again and upload the new copy."
    ),
    "too_small": _(
        "This image is only %(width)s pixels wide. Photos must be at least "
        "%(min_width)s pixels wide; upload a larger version."
    ),
}


class Upload(Protocol):
    """Anything we can read an upload from: a Django File or a binary file object."""

    def read(self, size: int = ..., /) -> bytes: ...

    def seek(self, offset: int, whence: int = ..., /) -> int: ...


@dataclass(frozen=True)
class NormalisedImage:
    content: ContentFile
    width: int
    height: int
    format: str
    extension: str


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    format: str
    content: ContentFile
    extension: str
    ratio: str = ""  # the crop's name ("16:9"), or "" for the whole picture


# A crop's aspect ratio as whole numbers: 1.91:1 is (191, 100).
Ratio = tuple[int, int]
# Where the point of interest is: fractions of the width (from the left) and height (from the top).
FocalPoint = tuple[float, float]
CENTRE: FocalPoint = (0.5, 0.5)


def validate_image(file: Upload, *, min_width: int | None = None) -> None:
    """Raise ValidationError unless ``file`` is a complete JPEG, PNG or WebP within limits.

    ``min_width`` defaults to settings.PHOTO_MIN_WIDTH (news photos); other uploads,
    such as ad creatives sized by their placement, pass their own. A file already in
    storage was checked when it was uploaded; it is not read again each time its
    photo is saved.
    """
    if getattr(file, "_committed", False):
        return
    _decode(file, min_width=min_width)[0].close()


def normalise_image(file: Upload) -> NormalisedImage:
    """Re-encode an upload upright, in sRGB and without metadata, keeping its format.

    Re-encoding from decoded pixels also drops anything appended to or hidden in
    the file (polyglots, trailing payloads). Raises ValidationError like
    ``validate_image``.
    """
    image, fmt = _prepare(file)
    if fmt == "JPEG" and image.mode not in ("L", "RGB"):
        image = image.convert("RGB")  # CMYK without a usable profile
    return NormalisedImage(
        content=_encode(image, fmt),
        width=image.width,
        height=image.height,
        format=fmt,
        extension=_EXTENSIONS[fmt],
    )


def make_renditions(
    file: Upload, *, widths: tuple[int, ...] = (480, 800, 1200, 1600)
) -> list[Rendition]:
    """Resize to each requested width the image can fill, as WebP plus a JPEG fallback.

    Never upscales: widths above the image's width are skipped, and an image
    narrower than every requested width gets a single rendition at its own width.
    WebP keeps transparency; the JPEG is flattened on white.
    """
    image = _prepare_pixels(file)
    targets = sorted({width for width in widths if width <= image.width}) or [image.width]
    return _resized(image, targets, ratio="")


def make_crops(
    file: Upload, *, crops: Mapping[str, tuple[Ratio, tuple[int, ...]]], focal: FocalPoint = CENTRE
) -> list[Rendition]:
    """Crop to each named ratio around the focal point, then resize like make_renditions.

    `crops` maps a name ("16:9") to its ratio and widths. Each crop is the largest box
    of its ratio that the picture holds (focal_crop_box). Never upscales; a crop
    narrower than its widest width also gets a rendition at its own width, so the
    largest crop the picture allows always exists.
    """
    image = _prepare_pixels(file)
    renditions = []
    for name, (ratio, widths) in crops.items():
        box = focal_crop_box(image.width, image.height, ratio=ratio, focal=focal)
        cropped = image.crop(box)
        targets = {width for width in widths if width <= cropped.width}
        if cropped.width < max(widths):
            targets.add(cropped.width)
        renditions += _resized(cropped, sorted(targets), ratio=name)
    return renditions


def focal_crop_box(
    width: int, height: int, *, ratio: Ratio, focal: FocalPoint = CENTRE
) -> tuple[int, int, int, int]:
    """The largest box of `ratio` inside a `width` x `height` picture, centred on the
    focal point as far as the picture's edges allow, as (left, top, right, bottom).

    The box always spans the full width or the full height, so the point is always
    inside it; only near an edge is it off the box's centre.
    """
    ratio_width, ratio_height = ratio
    if width * ratio_height > height * ratio_width:  # wider than the ratio: full height
        box_width = max(1, min(width, round(height * ratio_width / ratio_height)))
        box_height = height
    else:
        box_width = width
        box_height = max(1, min(height, round(width * ratio_height / ratio_width)))
    focal_x, focal_y = focal
    left = min(max(round(focal_x * width - box_width / 2), 0), width - box_width)
    top = min(max(round(focal_y * height - box_height / 2), 0), height - box_height)
    return left, top, left + box_width, top + box_height


def _prepare_pixels(file: Upload) -> Image.Image:
    image = _prepare(file)[0]
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _resized(image: Image.Image, widths: list[int], *, ratio: str) -> list[Rendition]:
    """`image` at each of `widths`, as WebP plus a JPEG flattened on white."""
    renditions = []
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        webp = _encode(resized, "WEBP")
        jpeg = _encode(_flatten_on_white(resized), "JPEG")
        renditions.append(Rendition(width, height, "WEBP", webp, "webp", ratio))
        renditions.append(Rendition(width, height, "JPEG", jpeg, "jpg", ratio))
    return renditions


def _error(code: str, **params: object) -> ValidationError:
    return ValidationError(_MESSAGES[code], code=code, params=params or None)


def _read_within_limit(file: Upload) -> bytes:
    """Read the whole upload, refusing it by its declared size before reading if possible."""
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    too_large = _error("too_large", limit=f"{round(limit / _MEGABYTE, 2):g}")
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise too_large
    file.seek(0)
    try:
        data = file.read(limit + 1)  # one byte more tells us the limit was exceeded
    finally:
        file.seek(0)
    if len(data) > limit:
        raise too_large
    return data


def _decode(file: Upload, *, min_width: int | None = None) -> tuple[Image.Image, str]:
    """Return the upload's first frame, decoded and turned upright per EXIF, and its format."""
    data = _read_within_limit(file)
    # Pillow only warns between MAX_IMAGE_PIXELS and twice that; make it an error
    # here without touching the global limit. catch_warnings() swaps process-wide
    # filters, so a concurrent thread may briefly miss (or share) this filter;
    # the pixel check in _open_header still refuses such images either way as
    # long as PHOTO_MAX_PIXELS is below Image.MAX_IMAGE_PIXELS (89.5M by default).
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image, fmt = _open_header(data)
            _load_verified(image, data)
        except _BOMB_ERRORS as exc:
            raise _error("decompression_bomb") from exc
    if min_width is None:
        min_width = settings.PHOTO_MIN_WIDTH
    if image.width < min_width:
        image.close()
        raise _error("too_small", width=image.width, min_width=min_width)
    return image, fmt


def _open_header(data: bytes) -> tuple[Image.Image, str]:
    """Open lazily and check format and dimensions before any pixel is decoded."""
    try:
        image = Image.open(BytesIO(data))
    except UnidentifiedImageError as exc:
        raise _error("invalid") from exc
    except _DECODE_ERRORS as exc:  # recognised, but the header is cut short or damaged
        raise _error("truncated") from exc
    fmt = image.format or ""
    fmt = _FORMAT_ALIASES.get(fmt, fmt)
    if fmt not in ALLOWED_FORMATS:
        image.close()
        raise _error("format", format=fmt)
    max_pixels = settings.PHOTO_MAX_PIXELS
    if image.width * image.height > max_pixels:
        image.close()
        raise _error(
            "too_many_pixels",
            width=image.width,
            height=image.height,
            megapixels=f"{max_pixels / 1_000_000:g}",
        )
    return image, fmt


def _load_verified(image: Image.Image, data: bytes) -> None:
    """Decode ``image`` in place, refusing truncated or corrupt data.

    verify() checks PNG chunk CRCs (it is a no-op for JPEG and WebP) and leaves
    the image unusable, hence the separate open; load() catches truncation in
    every format because ImageFile.LOAD_TRUNCATED_IMAGES is left at False.
    """
    try:
        with Image.open(BytesIO(data)) as probe:
            probe.verify()
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
    except _DECODE_ERRORS as exc:
        image.close()
        raise _error("truncated") from exc


def _prepare(file: Upload) -> tuple[Image.Image, str]:
    """Decode to 8-bit sRGB pixels without metadata; return them with the source format.

    ``info`` keeps only the PNG transparency key (pixel data, not metadata):
    EXIF, XMP, ICC, comments and text chunks go, since some encoders copy them
    from ``info`` (PNG its ICC profile, JPEG its comment).
    """
    image, fmt = _decode(file)
    if image.mode.startswith("I;16"):
        # 16-bit greyscale PNG: convert("L") clips to white instead of scaling, and
        # point() ignores a mode argument for I;16, so scale first, then convert.
        image = image.point(lambda value: value / 256).convert("L")
        image.info.pop("transparency", None)  # a 16-bit key colour means nothing in 8 bits
    image = _to_srgb(image)
    transparency = image.info.get("transparency")
    image.info = {} if transparency is None else {"transparency": transparency}
    return image, fmt


def _to_srgb(image: Image.Image) -> Image.Image:
    """Apply an embedded colour profile to RGB(A)/CMYK pixels so they read as sRGB.

    Other modes (greyscale, palette) and unusable profiles simply lose the profile.
    """
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    if image.has_transparency_data:
        image = image.convert("RGBA")  # a key colour would not survive the transform
    try:
        return ImageCms.profileToProfile(
            image,
            BytesIO(icc),
            _SRGB,
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError):
        return image


def _flatten_on_white(image: Image.Image) -> Image.Image:
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background


def _encode(image: Image.Image, fmt: str) -> ContentFile:
    buffer = BytesIO()
    image.save(buffer, format=fmt, **_SAVE_OPTIONS[fmt])
    return ContentFile(buffer.getvalue())
