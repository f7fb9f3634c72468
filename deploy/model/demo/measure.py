"""Reads a generated image back into scene attributes; the Java test `DemoImageMeasurements` is a port.

The image is box-averaged to 128x128 first (every supported size is a multiple of 128), so the numbers
do not depend on the output size. Then:
- background: per-channel median of the outer 4 pixels on each side, named by the nearest palette colour;
- object mask: pixels farther than 60 (Euclidean, sRGB 0-255) from that median;
- objects: 4-connected components of the mask with at least 30 pixels (0.18% of the image);
- colour: per-channel median of the objects' core pixels (distance from the background at least 0.8 x the
  distance of the pixel ranked n//10 from the farthest, so the blurred rim does not drag it toward the
  background), nearest palette colour;
- position: centroid of all object pixels, nearest anchor (centre or a corner; a group is centred);
- shape: the largest object's area / bounding-box area: >= 0.89 square, >= 0.64 circle, else triangle
  (ideal values 1.0, pi/4 and 0.5).
"""
import numpy as np

from scenes import ANCHORS, PALETTE

SIDE = 128
BORDER = 4
MASK_DISTANCE = 60.0
MIN_AREA = 30
SQUARE_FILL = 0.89
CIRCLE_FILL = 0.64
CORE_FRACTION = 0.8


def constants():
    """What the Java port reads from heldout.json, so both measure with the same numbers."""
    return {"side": SIDE, "border": BORDER, "mask_distance": MASK_DISTANCE, "min_area": MIN_AREA,
            "square_fill": SQUARE_FILL, "circle_fill": CIRCLE_FILL, "core_fraction": CORE_FRACTION}


def nearest_colour(rgb):
    return min(PALETTE, key=lambda name: sum((a - b) ** 2 for a, b in zip(PALETTE[name], rgb)))


def downsample(image):
    h, w, _ = image.shape
    return image.reshape(SIDE, h // SIDE, SIDE, w // SIDE, 3).astype(np.float64).mean(axis=(1, 3))


def components(mask):
    """4-connected components as lists of (y, x), in scan order of their first pixel."""
    seen = np.zeros_like(mask, dtype=bool)
    found = []
    for y0, x0 in zip(*np.nonzero(mask)):
        if seen[y0, x0]:
            continue
        seen[y0, x0] = True
        stack, pixels = [(y0, x0)], []
        while stack:
            y, x = stack.pop()
            pixels.append((y, x))
            for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= ny < SIDE and 0 <= nx < SIDE and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        found.append(pixels)
    return found


def measure(image):
    """image: uint8 [H, W, 3]. Returns background, colour, count, position, shape (None when no object)."""
    small = downsample(image)
    border = np.concatenate([small[:BORDER].reshape(-1, 3), small[-BORDER:].reshape(-1, 3),
                             small[:, :BORDER].reshape(-1, 3), small[:, -BORDER:].reshape(-1, 3)])
    bg = np.median(border, axis=0)
    mask = np.sqrt(((small - bg) ** 2).sum(-1)) > MASK_DISTANCE
    objects = sorted((c for c in components(mask) if len(c) >= MIN_AREA), key=len, reverse=True)
    result = {"background": nearest_colour(bg), "count": len(objects), "colour": None, "position": None,
              "shape": None}
    if not objects:
        return result
    ys, xs = np.array([p for o in objects for p in o]).T
    distance = np.sqrt(((small[ys, xs] - bg) ** 2).sum(-1))
    reference = np.sort(distance)[::-1][len(distance) // 10]
    core = distance >= CORE_FRACTION * reference
    result["colour"] = nearest_colour(np.median(small[ys[core], xs[core]], axis=0))
    cx, cy = (xs.mean() + 0.5) / SIDE, (ys.mean() + 0.5) / SIDE
    result["position"] = min(ANCHORS, key=lambda a: (ANCHORS[a][0] - cx) ** 2 + (ANCHORS[a][1] - cy) ** 2)
    ys, xs = np.array(objects[0]).T
    fill = len(xs) / ((xs.max() - xs.min() + 1) * (ys.max() - ys.min() + 1))
    result["shape"] = "square" if fill >= SQUARE_FILL else "circle" if fill >= CIRCLE_FILL else "triangle"
    return result
