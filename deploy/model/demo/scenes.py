"""Scenes of the demo model: what a prompt means, drawn, and which prompt combinations are held out.

A scene is one to three flat-coloured shapes (circle, square, triangle) on a flat background. Coordinates
are normalised ([0,1] x [0,1], y down), so one scene renders identically at any resolution. Every random
choice comes from a `random.Random` the caller seeds, so the training data order is reproducible.

The measurements (`measure.py`, and `DemoImageMeasurements` in the Java test) read back exactly the
attributes defined here: palette colours, anchor positions and shape fill ratios.
"""
import math
import random
from dataclasses import dataclass

import torch
import torch.nn.functional as F

# Well separated sRGB colours (the closest pair, pink/white, is 114 apart), so a nearest-palette
# classification of a blurred or slightly off pixel still lands on the intended name.
PALETTE = {
    "red": (215, 25, 25),
    "green": (30, 160, 50),
    "blue": (30, 70, 220),
    "yellow": (245, 220, 30),
    "purple": (130, 50, 180),
    "pink": (250, 140, 200),
    "white": (245, 245, 245),
    "black": (20, 20, 20),
}
COLOURS = list(PALETTE)
SHAPES = ["circle", "square", "triangle"]
# Single objects sit on one of five anchors; groups of two or three use fixed layouts that keep them apart.
ANCHORS = {
    "centre": (0.5, 0.5),
    "top left": (0.27, 0.27),
    "top right": (0.73, 0.27),
    "bottom left": (0.27, 0.73),
    "bottom right": (0.73, 0.73),
}
GROUPS = {
    2: [(0.28, 0.5), (0.72, 0.5)],
    3: [(0.5, 0.27), (0.27, 0.71), (0.73, 0.71)],
}
# Half-extent of a shape as a fraction of the image side, by (size word, count).
EXTENT = {
    ("small", 1): 0.085, (None, 1): 0.14, ("large", 1): 0.2,
    ("small", 2): 0.07, (None, 2): 0.1, ("large", 2): 0.13,
    ("small", 3): 0.06, (None, 3): 0.09, ("large", 3): 0.11,
}
DEFAULT_BACKGROUND = "white"
COUNT_WORDS = {2: ["two", "2"], 3: ["three", "3"]}
POSITION_PHRASES = {
    "centre": ["in the centre", "in the center", "in the middle"],
    "top left": ["in the top left corner", "at the top left", "top left"],
    "top right": ["in the top right corner", "at the top right", "top right"],
    "bottom left": ["in the bottom left corner", "at the bottom left", "bottom left"],
    "bottom right": ["in the bottom right corner", "at the bottom right", "bottom right"],
}
HELD_OUT_FRACTION = 0.15
SPLIT_SEED = 11


@dataclass(frozen=True)
class Scene:
    colour: str
    shape: str
    background: str
    count: int = 1
    position: str = "centre"
    size: str | None = None

    def triple(self):
        return (self.colour, self.shape, self.background)


def all_triples():
    return [(c, s, b) for c in COLOURS for s in SHAPES for b in COLOURS if c != b]


def held_out_triples():
    """The (object colour, shape, background) combinations never shown in training: a fixed 15% draw."""
    triples = all_triples()
    rng = random.Random(SPLIT_SEED)
    return set(rng.sample(triples, round(len(triples) * HELD_OUT_FRACTION)))


def sample_scene(rng, triples):
    colour, shape, background = rng.choice(triples)
    count = rng.choice([1, 1, 1, 2, 3])
    position = rng.choice(list(ANCHORS)) if count == 1 else "centre"
    size = rng.choice([None, "small", "large"])
    return Scene(colour, shape, background, count, position, size)


def prompt_for(scene, rng):
    """One of several phrasings; the background is omitted only when it is the default (white)."""
    size = f"{scene.size} " if scene.size else ""
    noun = scene.shape + ("s" if scene.count > 1 else "")
    if scene.count == 1:
        head = f"a {size}{scene.colour} {noun}"
    else:
        head = f"{rng.choice(COUNT_WORDS[scene.count])} {size}{scene.colour} {noun}"
    where = ""
    if scene.count == 1 and (scene.position != "centre" or rng.random() < 0.5):
        where = " " + rng.choice(POSITION_PHRASES[scene.position])
    if scene.background == DEFAULT_BACKGROUND and rng.random() < 0.3:
        return head + where
    if rng.random() < 0.5:
        return f"{head}{where} on a {scene.background} background"
    return f"{head}{where}, {scene.background} background"


def canonical_prompt(scene):
    """The phrasing the tests use: every attribute spelled out."""
    size = f"{scene.size} " if scene.size else ""
    if scene.count == 1:
        where = POSITION_PHRASES[scene.position][0]
        return f"a {size}{scene.colour} {scene.shape} {where} on a {scene.background} background"
    return f"{COUNT_WORDS[scene.count][0]} {size}{scene.colour} {scene.shape}s on a {scene.background} background"


def layout(scene, rng=None):
    """Object centres and half-extent; `rng` adds a small jitter (training variety), None draws it exactly."""
    extent = EXTENT[(scene.size, scene.count)]
    centres = [ANCHORS[scene.position]] if scene.count == 1 else GROUPS[scene.count]
    if rng is None:
        return centres, extent
    extent *= 1 + rng.uniform(-0.1, 0.1)
    return [(x + rng.uniform(-0.025, 0.025), y + rng.uniform(-0.025, 0.025)) for x, y in centres], extent


def coverage(shapes, centres, extents, xs, ys):
    """1 inside, 0 outside, for every scene at once.

    shapes [B] (index into SHAPES), centres [B,K,2], extents [B] (normalised), xs/ys [B,N,N] sample points.
    Unused object slots carry a centre far outside the image.
    """
    dx = xs[:, None] - centres[:, :, 0, None, None]
    dy = ys[:, None] - centres[:, :, 1, None, None]
    e = extents[:, None, None, None]
    circle = dx * dx + dy * dy <= e * e
    square = (dx.abs() <= 0.9 * e) & (dy.abs() <= 0.9 * e)
    # Upright triangle: apex 1.1 e above the centre, base 0.85 e below it, half base 1.15 e.
    top, bottom, half_base = -1.1 * e, 0.85 * e, 1.15 * e
    triangle = (dy >= top) & (dy <= bottom) & (dx.abs() <= half_base * (dy - top) / (bottom - top))
    kind = shapes[:, None, None, None]
    inside = torch.where(kind == 0, circle, torch.where(kind == 1, square, triangle))
    return inside.any(1).float()


def render(scenes, size, rngs=None, supersample=4, windows=None):
    """RGB in [-1, 1], [B, 3, size, size], anti-aliased by averaging supersample^2 points per pixel.

    `rngs` (one per scene) draw the layout jitter; `windows` (one (left, top, side) per scene, normalised)
    render only that square of the scene, at `size` pixels.
    """
    b = len(scenes)
    n = size * supersample
    unit = (torch.arange(n, dtype=torch.float32) + 0.5) / n
    win = torch.tensor([(0.0, 0.0, 1.0)] * b if windows is None else windows, dtype=torch.float32)
    xs = (win[:, 0, None] + win[:, 2, None] * unit)[:, None, :].expand(b, n, n)
    ys = (win[:, 1, None] + win[:, 2, None] * unit)[:, :, None].expand(b, n, n)
    centres = torch.full((b, 3, 2), 10.0)
    extents = torch.empty(b)
    for i, scene in enumerate(scenes):
        points, extents[i] = layout(scene, None if rngs is None else rngs[i])
        centres[i, :len(points)] = torch.tensor(points)
    shapes = torch.tensor([SHAPES.index(s.shape) for s in scenes])
    mask = F.avg_pool2d(coverage(shapes, centres, extents, xs, ys)[:, None], supersample)
    bg = torch.tensor([PALETTE[s.background] for s in scenes], dtype=torch.float32)[:, :, None, None]
    fg = torch.tensor([PALETTE[s.colour] for s in scenes], dtype=torch.float32)[:, :, None, None]
    return (bg + (fg - bg) * mask) / 127.5 - 1


def fill_ratio(shape):
    """Area / bounding-box area of each shape, the cue measure.py uses to tell shapes apart."""
    return {"circle": math.pi / 4, "square": 1.0, "triangle": 0.5}[shape]


def evaluation_scenes():
    """One scene per held-out combination, cycling through counts, positions and sizes.

    The tests and eval_demo.py score these; their prompts are `canonical_prompt`s of combinations the model
    never saw.
    """
    found = []
    positions = list(ANCHORS)
    for i, (colour, shape, background) in enumerate(sorted(held_out_triples())):
        count = [1, 1, 2, 1, 3][i % 5]
        position = positions[(i // 5 + i) % 5] if count == 1 else "centre"
        found.append(Scene(colour, shape, background, count, position, [None, "small", "large"][i % 3]))
    return found
