"""The demo's illustrations: their focal point is on the sun they draw."""

from io import BytesIO

import pytest
from PIL import Image, ImageColor

from demo.drawing import PALETTES, draw_illustration, sun_position


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_demo_focal_point_is_on_the_sun(seed):
    image = Image.open(BytesIO(draw_illustration(palette="harbour", seed=seed, size=(1600, 900))))
    x, y = sun_position(seed=seed, size=(1600, 900))

    pixel = image.convert("RGB").getpixel((round(x * 1600), round(y * 900)))

    sun = ImageColor.getrgb(PALETTES["harbour"][3])
    assert all(abs(a - b) <= 12 for a, b in zip(pixel, sun, strict=True))
