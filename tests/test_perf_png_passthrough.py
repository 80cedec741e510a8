"""WeasyPrint takes the image data of the dossier's PNGs as they are (issue 15, item 3).

A PDF's FlateDecode filter with a PNG predictor (PDF 1.7, 7.4.4.4) reads exactly the zlib stream
of an 8-bit, non-interlaced grey or RGB PNG: its IDAT chunks joined. So ``write_pdf`` hands
those chunks over instead of letting WeasyPrint decode and encode every image again. Checked
here by decoding the chunks independently (Pillow, on a PNG rebuilt around them), and by the
pages: the same pixels with and without the pass-through.
"""

import base64
import contextlib
import datetime as dt
import io
import shutil
import struct
import subprocess
import zlib

import numpy as np
import pytest
from PIL import Image

from impact.report import pdf


def _png(mode: str, size=(37, 23), **save) -> tuple[bytes, np.ndarray]:
    rng = np.random.default_rng(7)
    shape = (size[1], size[0]) if mode in ("L", "P") else (size[1], size[0], len(mode))
    pixels = rng.integers(0, 256, shape, dtype=np.uint8)
    image = Image.fromarray(pixels, "L" if mode == "P" else mode)
    if mode == "P":
        image = image.convert("P")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **save)
    return buffer.getvalue(), np.asarray(image)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))


@pytest.mark.parametrize("mode", ["RGB", "L"])
@pytest.mark.parametrize("level", [1, 9])
def test_the_chunks_decode_to_the_same_pixels(mode, level):
    png, pixels = _png(mode, compress_level=level)
    data = pdf.png_image_data(png)
    assert data is not None
    # An independent decoder: Pillow on a PNG made of the original header and only these bytes.
    rebuilt = png[:33] + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(rebuilt))), pixels)
    width, height = Image.open(io.BytesIO(png)).size
    channels = 3 if mode == "RGB" else 1
    assert len(zlib.decompress(data)) == height * (1 + width * channels)  # a filter byte per row


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_other_layouts_are_left_to_weasyprint(mode):
    png, _ = _png(mode)
    assert pdf.png_image_data(png) is None


def test_a_damaged_png_is_left_to_weasyprint():
    png, _ = _png("RGB")
    assert pdf.png_image_data(png[: len(png) - 12]) is None  # IEND cut off
    assert pdf.png_image_data(b"GIF89a" + png[6:]) is None
    assert pdf.png_image_data(png[:20]) is None


def _write(tmp_path, name: str, html: str) -> bytes:
    target = tmp_path / name
    pdf.write_pdf(html, target, base_dir=tmp_path, allowed_dirs=[tmp_path], date=dt.date(2026, 12, 2), attachments=[])
    return target.read_bytes()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (make system-deps)")
def test_the_pages_keep_their_pixels_and_the_pdf_carries_the_chunks(tmp_path, monkeypatch):
    rgb, _ = _png("RGB", size=(120, 80), compress_level=1)
    grey, _ = _png("L", size=(60, 40), compress_level=1)
    images = "".join(
        f'<img src="data:image/png;base64,{base64.b64encode(p).decode()}" style="width:{w}px">'
        for p, w in ((rgb, 120), (grey, 60))
    )
    html = f"<html><body>{images}</body></html>"
    fast = _write(tmp_path, "fast.pdf", html)
    assert pdf.png_image_data(rgb) in fast and pdf.png_image_data(grey) in fast  # taken as they are
    monkeypatch.setattr(pdf, "_png_passthrough", contextlib.nullcontext)
    slow = _write(tmp_path, "slow.pdf", html)
    assert pdf.png_image_data(rgb) not in slow  # WeasyPrint's own encoding, the reference

    def pages(data: bytes, name: str) -> np.ndarray:
        (tmp_path / name).write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "96", "-png", str(tmp_path / name), str(tmp_path / name)], check=True)
        return np.asarray(Image.open(next(tmp_path.glob(f"{name}*.png"))))

    assert np.array_equal(pages(fast, "f"), pages(slow, "s"))


def test_weasyprint_gets_its_own_encoder_back(tmp_path):
    from weasyprint import images

    before = images.RasterImage._get_png_data
    _write(tmp_path, "a.pdf", "<p>x</p>")
    assert images.RasterImage._get_png_data is before
