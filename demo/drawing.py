"""Pictures drawn with Pillow for the demo newsroom (and the tests): abstract
illustrations for stories and banners for ads. The same seed draws the same picture."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageColor, ImageDraw, ImageFont

PALETTES = {
    "harbour": ["#0b3954", "#087e8b", "#bfd7ea", "#ff5a5f", "#c81d25"],
    "civic": ["#2b2d42", "#8d99ae", "#edf2f4", "#ef233c", "#d90429"],
    "market": ["#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51"],
    "lab": ["#03045e", "#0077b6", "#00b4d8", "#90e0ef", "#caf0f8"],
    "stadium": ["#1b4332", "#2d6a4f", "#40916c", "#95d5b2", "#f1faee"],
    "forest": ["#283618", "#606c38", "#fefae0", "#dda15e", "#bc6c25"],
    "night": ["#10002b", "#3c096c", "#7b2cbf", "#c77dff", "#e0aaff"],
}


def draw_illustration(*, palette="harbour", seed=0, size=(1600, 900), fmt="JPEG") -> bytes:
    """An abstract illustration drawn with Pillow: a sky gradient, hills and shapes."""
    # Seeded so that a seed draws the same picture every time; nothing secret depends on it.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    colours = PALETTES[palette]
    width, height = size
    image = Image.new("RGB", size, colours[0])
    draw = ImageDraw.Draw(image)
    top, bottom = ImageColor.getrgb(colours[0]), ImageColor.getrgb(colours[2])
    for y in range(height):
        mix = y / height
        colour = tuple(round(a * (1 - mix) + b * mix) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    sun = _sun(rng, width, height)
    radius = height // 9
    draw.ellipse(
        [sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius], fill=colours[3]
    )
    for layer in range(3):
        base = height * (0.55 + 0.14 * layer)
        points = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base + rng.randint(-height // 12, height // 12)))
        points.append((width, height))
        draw.polygon(points, fill=colours[(layer + 1) % len(colours)])
    for _ in range(6):
        x, y = rng.randint(0, width), rng.randint(height // 2, height)
        w, h = rng.randint(width // 30, width // 12), rng.randint(height // 8, height // 3)
        draw.rectangle([x, y - h, x + w, y], fill=colours[4])
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def sun_position(*, seed=0, size=(1600, 900)) -> tuple[float, float]:
    """Where draw_illustration puts the sun (its point of interest), as fractions of
    the width and height: the demo photos' focal point."""
    width, height = size
    x, y = _sun(random.Random(seed), width, height)  # noqa: S311  # nosec B311
    return x / width, y / height


def _sun(rng, width, height):
    return rng.randint(width // 5, 4 * width // 5), rng.randint(height // 8, height // 3)


def draw_banner(width, height, background, text_colour, title, slogan) -> SimpleUploadedFile:
    """A PNG banner: the advertiser's name and slogan in a frame, ready to upload."""
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle([3, 3, width - 4, height - 4], outline=text_colour, width=3)
    big = ImageFont.load_default(size=max(12, min(height // 3, width // 14)))
    small = ImageFont.load_default(size=max(10, min(height // 6, width // 26)))
    draw.text((width / 2, height * 0.4), title, fill=text_colour, font=big, anchor="mm")
    draw.text((width / 2, height * 0.75), slogan, fill=text_colour, font=small, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return SimpleUploadedFile(f"{title[:20]}-{width}x{height}.png", buffer.getvalue(), "image/png")
