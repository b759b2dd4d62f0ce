#!/usr/bin/python3
"""Generates the image-codec and preprocessing fixtures of CnnLens with PIL (the reference).

Writes tests/CnnLens.Tests/Fixtures/images/: small PNG/JPEG/BMP/PGM/PPM files, the pixels PIL decodes
from them (raw uint8 .bin files), PIL resize outputs, torchvision preprocessing tensors (raw float32
little-endian) and, for the photos in ../shared/images (never copied), the SHA-256 of PIL's decoded
RGB buffer and of the torchvision ImageNet tensor. Run: /usr/bin/python3 tools/make_image_fixtures.py
"""
import hashlib
import io
import json
import os
import struct
import sys
import zlib

import numpy as np
import torch
import torchvision
from PIL import Image, ImageOps
from torchvision import transforms

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "CnnLens.Tests", "Fixtures", "images")
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "images")
if not os.path.isdir(SHARED):
    SHARED = "/work/shared/images"

manifest = {"decode": [], "resize": [], "tensors": [], "exif": []}


def write(rel, data):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def photo_like(w, h, seed):
    """Smooth gradients, a few sharp edges and mild noise: exercises every DCT frequency."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 128 + 90 * np.sin(x / (w / 3.1) + 0.5) * np.cos(y / (h / 2.3))
    g = 60 + 150 * (x + y) / (w + h) + 25 * np.sin(x * 0.9)
    b = 200 - 120 * (y / h) + 40 * ((x // 5 + y // 4) % 2)
    img = np.stack([r, g, b], -1) + rng.normal(0, 10, (h, w, 3))
    img[h // 3: h // 2, w // 4: w // 2] = [250, 30, 20]
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def record_decode(name, data, kind):
    """Stores the file and what PIL decodes from it (RGB, L, and RGBA when the file has alpha)."""
    write(name, data)
    im = Image.open(io.BytesIO(data))
    im.load()
    entry = {"file": name, "kind": kind, "width": im.width, "height": im.height, "pil_mode": im.mode}
    base = os.path.splitext(name)[0]
    rgb = np.asarray(im.convert("RGB"))
    write(base + ".rgb.bin", rgb.tobytes())
    entry["rgb"] = base + ".rgb.bin"
    if im.mode != "I":  # PIL cannot convert "I" to "L" with the same clamping path; RGB covers it
        write(base + ".l.bin", np.asarray(im.convert("L")).tobytes())
        entry["l"] = base + ".l.bin"
    if im.mode == "I":  # 16-bit gray: also the high bytes, for DecodeOptions.ClampSixteenBitGrayLikePil = false
        write(base + ".highbyte.bin", (np.asarray(im).astype(np.int64) >> 8).astype(np.uint8).tobytes())
        entry["high_byte"] = base + ".highbyte.bin"
    has_alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
    if has_alpha and im.mode != "I":
        write(base + ".rgba.bin", np.asarray(im.convert("RGBA")).tobytes())
        entry["rgba"] = base + ".rgba.bin"
    manifest["decode"].append(entry)


# ---------------------------------------------------------------- PNG (own writer: every variant)
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def pack_row(samples, depth):
    """samples: 1-D int array of one row's samples at the given bit depth -> bytes."""
    if depth == 16:
        return samples.astype(">u2").tobytes()
    if depth == 8:
        return samples.astype(np.uint8).tobytes()
    per = 8 // depth
    padded = np.zeros(((len(samples) + per - 1) // per) * per, dtype=np.int64)
    padded[: len(samples)] = samples
    out = bytearray()
    for i in range(0, len(padded), per):
        v = 0
        for j in range(per):
            v = (v << depth) | int(padded[i + j])
        out.append(v)
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_rows(rows, bpp, first_filter):
    out = bytearray()
    prev = bytes(len(rows[0])) if rows else b""
    for i, row in enumerate(rows):
        f = (first_filter + i) % 5
        res = bytearray()
        for k in range(len(row)):
            a = row[k - bpp] if k >= bpp else 0
            b = prev[k]
            c = prev[k - bpp] if k >= bpp else 0
            pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f]
            res.append((row[k] - pred) & 0xFF)
        out.append(f)
        out += res
        prev = row
    return bytes(out)


def make_png(samples, depth, color_type, palette=None, trns=None, interlace=False, idat_parts=1):
    """samples: (H, W, C) int array of raw sample values."""
    h, w, c = samples.shape
    bpp = max(1, c * depth // 8)
    raw = b""
    if not interlace:
        rows = [pack_row(samples[y].reshape(-1), depth) for y in range(h)]
        raw = filter_rows(rows, bpp, 0)
    else:
        for i, (x0, y0, dx, dy) in enumerate(ADAM7):
            sub = samples[y0::dy, x0::dx]
            if sub.shape[0] == 0 or sub.shape[1] == 0:
                continue
            rows = [pack_row(sub[y].reshape(-1), depth) for y in range(sub.shape[0])]
            raw += filter_rows(rows, bpp, i)
    comp = zlib.compress(raw, 9)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 1 if interlace else 0))
    if palette is not None:
        data += chunk(b"PLTE", bytes(int(v) for v in palette))
    if trns is not None:
        data += chunk(b"tRNS", bytes(int(v) for v in trns) if not isinstance(trns, bytes) else trns)
    data += chunk(b"tEXt", b"Comment\x00ancillary chunk the decoder must skip")
    step = (len(comp) + idat_parts - 1) // idat_parts
    for i in range(0, len(comp), step):
        data += chunk(b"IDAT", comp[i: i + step])
    return data + chunk(b"IEND", b"")


def png_fixtures():
    rng = np.random.default_rng(7)
    base = photo_like(33, 17, 1).astype(np.int64)
    w, h = 33, 17
    gray8 = (base[..., 0] * 3 + base[..., 1] * 5) // 8
    for depth in (1, 2, 4, 8, 16):
        if depth == 16:
            vals = rng.integers(0, 65536, (h, w)); vals[:, :8] = rng.integers(0, 300, (h, 8))
        else:
            vals = gray8 >> (8 - depth)
        record_decode(f"png/gray{depth}.png", make_png(vals[..., None], depth, 0), "png")
    record_decode("png/gray8_trns.png", make_png(gray8[..., None], 8, 0, trns=struct.pack(">H", int(gray8[3, 4]))), "png")
    record_decode("png/gray4_adam7.png", make_png((gray8 >> 4)[..., None], 4, 0, interlace=True), "png")
    record_decode("png/rgb8.png", make_png(base, 8, 2, idat_parts=3), "png")
    rgb16 = base * 257 + rng.integers(0, 256, base.shape)
    record_decode("png/rgb16.png", make_png(rgb16, 16, 2), "png")
    px = base[5, 6]
    record_decode("png/rgb8_trns.png", make_png(base, 8, 2, trns=struct.pack(">HHH", *map(int, px))), "png")
    record_decode("png/rgb8_adam7.png", make_png(base, 8, 2, interlace=True), "png")
    for depth in (1, 2, 4, 8):
        n = 1 << depth
        pal = rng.integers(0, 256, (n, 3))
        idx = (gray8 * n) >> 8
        record_decode(f"png/palette{depth}.png", make_png(idx[..., None], depth, 3, palette=pal.reshape(-1)), "png")
    short = rng.integers(0, 256, (5, 3))  # indices past the palette: PIL shows a gray ramp
    record_decode("png/palette4_short_plte.png", make_png(((gray8 * 16) >> 8)[..., None], 4, 3, palette=short.reshape(-1)), "png")
    pal = rng.integers(0, 256, (16, 3))
    idx = (gray8 * 16) >> 8
    alphas = rng.integers(0, 256, 11)  # shorter than the palette: the rest stay opaque
    record_decode("png/palette4_trns.png", make_png(idx[..., None], 4, 3, palette=pal.reshape(-1), trns=alphas), "png")
    record_decode("png/palette4_trns_adam7.png", make_png(idx[..., None], 4, 3, palette=pal.reshape(-1), trns=alphas, interlace=True), "png")
    alpha = rng.integers(0, 256, (h, w))
    record_decode("png/gray_alpha8.png", make_png(np.stack([gray8, alpha], -1), 8, 4), "png")
    record_decode("png/gray_alpha16.png", make_png(np.stack([gray8 * 257 + 3, alpha * 256 + 9], -1), 16, 4), "png")
    rgba = np.concatenate([base, alpha[..., None]], -1)
    record_decode("png/rgba8.png", make_png(rgba, 8, 6), "png")
    record_decode("png/rgba16_adam7.png", make_png(rgba * 257 + 1, 16, 6, interlace=True), "png")
    small = photo_like(5, 3, 2).astype(np.int64)  # smaller than one Adam7 block
    record_decode("png/rgb8_adam7_tiny.png", make_png(small, 8, 2, interlace=True), "png")
    buf = io.BytesIO()
    Image.fromarray(photo_like(16, 12, 3)).save(buf, "PNG")  # as PIL itself writes it
    record_decode("png/pil_rgb.png", buf.getvalue(), "png")


# ---------------------------------------------------------------- JPEG
def pil_jpeg(img, **kw):
    buf = io.BytesIO()
    img.save(buf, "JPEG", **kw)
    return buf.getvalue()


ZIGZAG = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
          35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63]


class BitWriter:
    def __init__(self):
        self.out = bytearray(); self.acc = 0; self.n = 0

    def put(self, value, length):
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1); self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)
                self.acc = 0; self.n = 0

    def flush(self):
        while self.n:
            self.put(1, 1)


def flat_huffman(symbols):
    """Canonical table giving every symbol the same length (all-ones code left unused)."""
    symbols = sorted(set(symbols)) or [0]
    length = max(1, int(np.ceil(np.log2(len(symbols) + 1))))
    bits = [0] * 16
    bits[length - 1] = len(symbols)
    codes = {s: (i, length) for i, s in enumerate(symbols)}
    return bits, symbols, codes


def category(v):
    v = abs(int(v)); n = 0
    while v:
        n += 1; v >>= 1
    return n


def own_baseline_jpeg(planes, sampling, ids, restart=0, adobe=None, jfif=True, quality_scale=1):
    """A small baseline JPEG encoder (float DCT, flat Huffman codes) for variants PIL cannot write:
    restart markers, Adobe RGB, 4:4:0 and 4:1:1 sampling. PIL decodes the result for the expectation."""
    h, w = planes[0].shape
    hmax = max(s[0] for s in sampling); vmax = max(s[1] for s in sampling)
    mcux = (w + 8 * hmax - 1) // (8 * hmax); mcuy = (h + 8 * vmax - 1) // (8 * vmax)
    q = np.clip((np.arange(64).reshape(8, 8).sum(0)[None, :] + np.arange(8)[:, None] * 2 + 4) * quality_scale, 1, 255).astype(int)
    cmat = np.array([[np.sqrt((1 if k == 0 else 2) / 8) * np.cos((2 * n + 1) * k * np.pi / 16) for n in range(8)] for k in range(8)])
    comps = []
    for plane, (hs, vs) in zip(planes, sampling):
        fx, fy = hmax // hs, vmax // vs
        dw, dh = -(-w * hs // hmax), -(-h * vs // vmax)
        p = np.pad(plane.astype(float), ((0, dh * fy - h), (0, dw * fx - w)), mode="edge")
        p = p.reshape(dh, fy, dw, fx).mean((1, 3))
        bw, bh = mcux * hs * 8, mcuy * vs * 8
        p = np.pad(p, ((0, bh - dh), (0, bw - dw)), mode="edge") - 128
        blocks = np.zeros((mcuy * vs, mcux * hs, 64), dtype=int)
        for by in range(mcuy * vs):
            for bx in range(mcux * hs):
                d = cmat @ p[by * 8:by * 8 + 8, bx * 8:bx * 8 + 8] @ cmat.T
                blocks[by, bx] = np.round(d / q).astype(int).reshape(-1)[ZIGZAG]
        comps.append(blocks)
    # Symbols per table: DC table 0, AC table 0 shared by all components.
    order = []
    for my in range(mcuy):
        for mx in range(mcux):
            for ci, (hs, vs) in enumerate(sampling):
                for v in range(vs):
                    for u in range(hs):
                        order.append((ci, my * vs + v, mx * hs + u))
    dc_syms, ac_syms = set(), set()
    pred = [0] * len(planes)
    mcu_blocks = sum(hs * vs for hs, vs in sampling)
    for i, (ci, by, bx) in enumerate(order):
        if restart and i % (restart * mcu_blocks) == 0:
            pred = [0] * len(planes)
        b = comps[ci][by, bx]
        dc_syms.add(category(b[0] - pred[ci])); pred[ci] = b[0]
        run = 0
        for k in range(1, 64):
            if b[k] == 0:
                run += 1; continue
            while run > 15:
                ac_syms.add(0xF0); run -= 16
            ac_syms.add(run << 4 | category(b[k])); run = 0
        if run:
            ac_syms.add(0)
    dcb, dcs, dcc = flat_huffman(dc_syms)
    acb, acs, acc = flat_huffman(ac_syms)
    bw_ = BitWriter(); pred = [0] * len(planes); rst = 0
    for i, (ci, by, bx) in enumerate(order):
        if restart and i > 0 and i % (restart * mcu_blocks) == 0:
            bw_.flush(); bw_.out += bytes([0xFF, 0xD0 + rst]); rst = (rst + 1) % 8; pred = [0] * len(planes)
        b = comps[ci][by, bx]
        diff = int(b[0] - pred[ci]); pred[ci] = b[0]
        s = category(diff); bw_.put(*dcc[s])
        if s:
            bw_.put(diff if diff > 0 else diff + (1 << s) - 1, s)
        run = 0
        for k in range(1, 64):
            v = int(b[k])
            if v == 0:
                run += 1; continue
            while run > 15:
                bw_.put(*acc[0xF0]); run -= 16
            s = category(v); bw_.put(*acc[run << 4 | s]); bw_.put(v if v > 0 else v + (1 << s) - 1, s); run = 0
        if run:
            bw_.put(*acc[0])
    bw_.flush()

    def seg(marker, body):
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body
    out = b"\xFF\xD8"
    if jfif:
        out += seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    if adobe is not None:
        out += seg(0xEE, b"Adobe" + struct.pack(">HHHB", 100, 0, 0, adobe))
    out += seg(0xDB, bytes([0]) + bytes(int(q.reshape(-1)[z]) for z in ZIGZAG))
    sof = struct.pack(">BHHB", 8, h, w, len(planes))
    for cid, (hs, vs) in zip(ids, sampling):
        sof += bytes([cid, hs << 4 | vs, 0])
    out += seg(0xC0, sof)
    out += seg(0xC4, bytes([0x00]) + bytes(dcb) + bytes(dcs))
    out += seg(0xC4, bytes([0x10]) + bytes(acb) + bytes(acs))
    if restart:
        out += seg(0xDD, struct.pack(">H", restart))
    sos = bytes([len(planes)])
    for cid in ids:
        sos += bytes([cid, 0x00])
    out += seg(0xDA, sos + bytes([0, 63, 0]))
    return out + bytes(bw_.out) + b"\xFF\xD9"


def ycbcr_planes(rgb):
    ycc = np.asarray(Image.fromarray(rgb).convert("YCbCr")).astype(int)
    return [ycc[..., 0], ycc[..., 1], ycc[..., 2]]


def jpeg_fixtures():
    for (w, h) in ((33, 17), (16, 12), (47, 29)):
        img = Image.fromarray(photo_like(w, h, w))
        for sub, label in ((0, "444"), (1, "422"), (2, "420")):
            record_decode(f"jpeg/baseline_{label}_{w}x{h}.jpg", pil_jpeg(img, quality=90, subsampling=sub), "jpeg")
            record_decode(f"jpeg/progressive_{label}_{w}x{h}.jpg", pil_jpeg(img, quality=85, subsampling=sub, progressive=True), "jpeg")
        record_decode(f"jpeg/gray_{w}x{h}.jpg", pil_jpeg(img.convert("L"), quality=90), "jpeg")
        record_decode(f"jpeg/gray_progressive_{w}x{h}.jpg", pil_jpeg(img.convert("L"), quality=80, progressive=True), "jpeg")
    big = Image.fromarray(photo_like(70, 45, 5))
    record_decode("jpeg/baseline_420_q100_70x45.jpg", pil_jpeg(big, quality=100, subsampling=2), "jpeg")
    record_decode("jpeg/baseline_420_q30_70x45.jpg", pil_jpeg(big, quality=30, subsampling=2), "jpeg")
    record_decode("jpeg/progressive_optimized_420_70x45.jpg", pil_jpeg(big, quality=75, subsampling=2, progressive=True, optimize=True), "jpeg")
    record_decode("jpeg/tiny_420_3x2.jpg", pil_jpeg(Image.fromarray(photo_like(3, 2, 9)), quality=90, subsampling=2), "jpeg")
    record_decode("jpeg/tiny_422_4x9.jpg", pil_jpeg(Image.fromarray(photo_like(4, 9, 9)), quality=90, subsampling=1), "jpeg")

    rgb = photo_like(37, 21, 11)
    y, cb, cr = ycbcr_planes(rgb)
    record_decode("jpeg/own_restart2_420.jpg", own_baseline_jpeg([y, cb, cr], [(2, 2), (1, 1), (1, 1)], [1, 2, 3], restart=2), "jpeg")
    record_decode("jpeg/own_restart1_444.jpg", own_baseline_jpeg([y, cb, cr], [(1, 1), (1, 1), (1, 1)], [1, 2, 3], restart=1), "jpeg")
    record_decode("jpeg/own_440.jpg", own_baseline_jpeg([y, cb, cr], [(1, 2), (1, 1), (1, 1)], [1, 2, 3], restart=3), "jpeg")
    record_decode("jpeg/own_411.jpg", own_baseline_jpeg([y, cb, cr], [(4, 1), (1, 1), (1, 1)], [1, 2, 3]), "jpeg")
    r, g, b = rgb[..., 0].astype(int), rgb[..., 1].astype(int), rgb[..., 2].astype(int)
    record_decode("jpeg/own_adobe_rgb.jpg", own_baseline_jpeg([r, g, b], [(1, 1)] * 3, [1, 2, 3], adobe=0, jfif=False), "jpeg")
    record_decode("jpeg/own_rgb_ids.jpg", own_baseline_jpeg([r, g, b], [(1, 1)] * 3, [82, 71, 66], jfif=False), "jpeg")

    # EXIF orientation: PIL's Image.open ignores it; ImageOps.exif_transpose applies it.
    src = Image.fromarray(photo_like(13, 7, 13))
    for o in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = o
        data = pil_jpeg(src, quality=90, subsampling=2, exif=exif.tobytes())
        name = f"jpeg/exif_orientation{o}.jpg"
        write(name, data)
        im = Image.open(io.BytesIO(data))
        raw = np.asarray(im.convert("RGB"))
        turned = ImageOps.exif_transpose(im).convert("RGB")
        write(f"jpeg/exif_orientation{o}.rgb.bin", raw.tobytes())
        write(f"jpeg/exif_orientation{o}.transposed.rgb.bin", np.asarray(turned).tobytes())
        manifest["exif"].append({"file": name, "orientation": o, "width": im.width, "height": im.height,
                                 "rgb": f"jpeg/exif_orientation{o}.rgb.bin", "transposed_width": turned.width,
                                 "transposed_height": turned.height, "transposed": f"jpeg/exif_orientation{o}.transposed.rgb.bin"})


# ---------------------------------------------------------------- BMP / PGM / PPM
def other_fixtures():
    rgb = photo_like(11, 6, 21)
    buf = io.BytesIO(); Image.fromarray(rgb).save(buf, "BMP")
    record_decode("other/rgb24.bmp", buf.getvalue(), "bmp")
    # 24-bit top-down and 32-bit BI_RGB, written by hand
    w, h = rgb.shape[1], rgb.shape[0]
    for bits, topdown in ((24, True), (32, False)):
        row = ((w * bits + 31) // 32) * 4
        pix = bytearray()
        for yy in (range(h) if topdown else range(h - 1, -1, -1)):
            line = bytearray()
            for xx in range(w):
                r_, g_, b_ = rgb[yy, xx]
                line += bytes([b_, g_, r_]) + (bytes([77]) if bits == 32 else b"")
            pix += line + bytes(row - len(line))
        head = struct.pack("<IiiHHIIiiII", 40, w, -h if topdown else h, 1, bits, 0, len(pix), 2835, 2835, 0, 0)
        data = b"BM" + struct.pack("<IHHI", 14 + len(head) + len(pix), 0, 0, 14 + len(head)) + head + bytes(pix)
        record_decode(f"other/rgb{bits}{'_topdown' if topdown else ''}.bmp", data, "bmp")
    gray = rgb[..., 1]
    record_decode("other/gray.pgm", f"P5\n# comment\n{w} {h}\n255\n".encode() + gray.tobytes(), "pnm")
    record_decode("other/gray_max15.pgm", f"P5 {w} {h} 15\n".encode() + (gray >> 4).tobytes(), "pnm")
    record_decode("other/gray_ascii.pgm", f"P2\n{w} {h}\n255\n".encode() + " ".join(map(str, gray.reshape(-1))).encode() + b"\n", "pnm")
    record_decode("other/rgb.ppm", f"P6\n{w} {h}\n255\n".encode() + rgb.tobytes(), "pnm")
    record_decode("other/rgb16.ppm", f"P6\n{w} {h}\n1000\n".encode() + (rgb.astype(np.int64) * 1000 // 255 + (rgb & 1)).astype(">u2").tobytes(), "pnm")
    record_decode("other/rgb_ascii_max100.ppm", f"P3\n{w} {h}\n100\n".encode() + " ".join(map(str, (rgb.astype(int) * 100 // 255).reshape(-1))).encode(), "pnm")


# ---------------------------------------------------------------- preprocessing
def preprocessing_fixtures():
    src_rgb = photo_like(47, 29, 31)
    write("resize/source_47x29.rgb.bin", src_rgb.tobytes())
    src_l = np.asarray(Image.fromarray(src_rgb).convert("L"))
    write("resize/source_47x29.l.bin", src_l.tobytes())
    for mode, arr in (("rgb", src_rgb), ("l", src_l)):
        for (tw, th) in ((20, 13), (10, 7), (64, 40), (47, 10), (5, 29), (100, 3), (1, 1), (33, 33), (13, 29)):
            out = np.asarray(Image.fromarray(arr).resize((tw, th), Image.BILINEAR))
            rel = f"resize/{mode}_{tw}x{th}.bin"
            write(rel, out.tobytes())
            manifest["resize"].append({"source": f"resize/source_47x29.{mode}.bin", "channels": 3 if mode == "rgb" else 1,
                                       "width": 47, "height": 29, "target_width": tw, "target_height": th, "expected": rel})
    def torch_case(name, img_array, tf, opts):
        img = Image.fromarray(img_array)
        t = tf(img).unsqueeze(0).contiguous()
        src_name = f"tensors/{name}.png"
        b2 = io.BytesIO(); img.save(b2, "PNG"); write(src_name, b2.getvalue())
        data = t.numpy().astype("<f4").tobytes()
        entry = {"name": name, "source": src_name, "shape": list(t.shape), "options": opts,
                 "sha256": hashlib.sha256(data).hexdigest()}
        if len(data) <= 64_000:
            write(f"tensors/{name}.f32", data)
            entry["expected"] = f"tensors/{name}.f32"
        manifest["tensors"].append(entry)

    photo = photo_like(77, 50, 51)
    torch_case("rgb_resize64_crop55", photo,
               transforms.Compose([transforms.Resize(64), transforms.CenterCrop(55), transforms.ToTensor(),
                                   transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
               {"resize": 64, "crop": 55, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]})
    torch_case("rgb_portrait_resize40_crop70_padded", photo_like(30, 53, 52),
               transforms.Compose([transforms.Resize(40), transforms.CenterCrop(70), transforms.ToTensor(),
                                   transforms.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3])]),
               {"resize": 40, "crop": 70, "mean": [0.5, 0.4, 0.3], "std": [0.2, 0.25, 0.3]})
    torch_case("mnist_gray", photo_like(50, 41, 53),
               transforms.Compose([transforms.Grayscale(), transforms.Resize(28), transforms.CenterCrop(28), transforms.ToTensor(),
                                   transforms.Normalize([0.1307], [0.3081])]),
               {"grayscale": True, "resize": 28, "crop": 28, "mean": [0.1307], "std": [0.3081]})
    torch_case("imagenet_320x240", photo_like(320, 240, 54),
               transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                                   transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
               {"resize": 256, "crop": 224, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]})


IMAGENET = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                               transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


def shared_photos():
    photos = {}
    if not os.path.isdir(SHARED):
        print("no shared photos found; shared_photos_pil.json not written", file=sys.stderr)
        return
    for name in sorted(os.listdir(SHARED)):
        if name.endswith(".md"):
            continue
        with open(os.path.join(SHARED, name), "rb") as f:
            data = f.read()
        im = Image.open(io.BytesIO(data))
        rgb = im.convert("RGB")
        arr = np.asarray(rgb)
        tensor = IMAGENET(rgb).unsqueeze(0).numpy().astype("<f4").tobytes()
        photos[name] = {"file_sha256": hashlib.sha256(data).hexdigest(), "pil_mode": im.mode, "width": im.width,
                        "height": im.height, "rgb_sha256": hashlib.sha256(arr.tobytes()).hexdigest(),
                        "imagenet_tensor_sha256": hashlib.sha256(tensor).hexdigest()}
    with open(os.path.join(OUT, "shared_photos_pil.json"), "w") as f:
        json.dump({"pil": Image.__version__ if hasattr(Image, "__version__") else "", "torchvision": torchvision.__version__,
                   "photos": photos}, f, indent=1, sort_keys=True)


def main():
    import PIL
    png_fixtures()
    jpeg_fixtures()
    other_fixtures()
    preprocessing_fixtures()
    shared_photos()
    manifest["generator"] = {"pillow": PIL.__version__, "torch": torch.__version__, "torchvision": torchvision.__version__}
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
