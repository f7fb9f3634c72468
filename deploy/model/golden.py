#!/usr/bin/python3
"""Writes the golden vectors the Java tests compare against (worker/src/test/resources/golden/), so CI needs no
Python. Everything comes from the reference implementation in this directory over models/tiny-random.

  /usr/bin/python3 deploy/model/golden.py            # rewrites the golden files
"""
import hashlib
import json
import os

import torch
from PIL import Image

from reference import LcmScheduler, ReferencePipeline
from model_dir import LCM_SCHEDULER

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MODEL = os.path.join(ROOT, "models", "tiny-random")
OUT = os.path.join(ROOT, "worker", "src", "test", "resources", "golden")

PROMPTS = [
    "a photo of a cat",
    "A  Photo   of a CAT!!",
    "   ",
    "",
    "café crème, naïve façade, Straße, 東京の夜景, Ελληνικά",
    "a corgi astronaut 🐶🚀 on the moon, 4k ✨",
    "it's a dog's life, isn't it? (rock'n'roll) #42 3.14",
    " ".join(["a very long prompt about a red fox in a snowy forest at dawn"] * 12),
]
NOISE_CASES = [  # (seed, [shapes drawn in order on one generator])
    (0, [[1, 4, 8, 8]]),
    (42, [[5], [3], [20]]),
    (7, [[15], [16], [17], [1]]),
    (123456789, [[1, 4, 16, 16], [1, 4, 16, 16]]),
    (2 ** 32 + 5, [[33]]),
    (2 ** 63 - 1, [[1, 4, 128, 128]]),
]
PIPELINE_CASES = [  # (prompt, seed, steps, width, height, decoder)
    ("a photo of a cat", 42, 4, 64, 64, "full"),
    ("a corgi astronaut 🐶🚀 on the moon, 4k ✨", 7, 8, 128, 64, "full"),
    ("a photo of a cat", 1234, 1, 64, 128, "fast"),
    ("   ", 2 ** 40 + 3, 2, 64, 64, "fast"),
]
SUMMARY_LIMIT = 4096  # arrays longer than this are stored as sha256 of their float32 little-endian bytes


def floats(t):
    t = t.detach().reshape(-1).to(torch.float32).contiguous()
    if t.numel() > SUMMARY_LIMIT:
        return {"sha256": hashlib.sha256(t.numpy().tobytes()).hexdigest(), "head": t[:16].tolist()}
    return t.tolist()


def dump(name, value):
    """One top-level entry per line: diffable, and small."""
    line = lambda v: json.dumps(v, ensure_ascii=False)
    if isinstance(value, list):
        text = "[\n" + ",\n".join(line(v) for v in value) + "\n]\n"
    else:
        text = "{\n" + ",\n".join(f"{line(k)}: {line(v)}" for k, v in value.items()) + "\n}\n"
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write(text)


def main():
    os.makedirs(OUT, exist_ok=True)
    ref = ReferencePipeline(MODEL)
    tokens = []
    for p in PROMPTS:
        row = {"prompt": p}
        for t in ref.manifest["tokenizers"]:
            tok, pad = ref.tokenizers[t["encoder"]]
            ids, truncated = tok.encode_padded(p, pad)
            row[t["encoder"]] = ids
            row["truncated_tokens"] = truncated
        tokens.append(row)
    dump("tokenizer.json", tokens)

    sched = LcmScheduler(LCM_SCHEDULER)
    schedule = {"alphas_cumprod": sched.alphas_cumprod.tolist(), "steps": {}}
    for n in range(1, 9):
        ts = sched.timesteps(n)
        schedule["steps"][str(n)] = [{"timestep": t, "c_skip": sched.boundary(t)[0], "c_out": sched.boundary(t)[1]}
                                     for t in ts]
    dump("scheduler.json", schedule)

    noise = []
    for seed, shapes in NOISE_CASES:
        g = torch.Generator("cpu").manual_seed(seed)
        noise.append({"seed": seed, "draws": [{"shape": s, "values": floats(torch.randn(s, generator=g, dtype=torch.float32))}
                                               for s in shapes]})
    dump("noise.json", noise)

    runs = []
    for i, (prompt, seed, steps, w, h, decoder) in enumerate(PIPELINE_CASES):
        trace = []
        image = ref.generate([prompt], [seed], steps, w, h, decoder, trace=trace)[0]
        png = f"pipeline-{i}.png"
        Image.fromarray(image.numpy()).save(os.path.join(OUT, png))
        runs.append({"prompt": prompt, "seed": seed, "steps": steps, "width": w, "height": h, "decoder": decoder,
                     "latents": [floats(x) for x in trace], "image": png})
    dump("pipeline.json", runs)


if __name__ == "__main__":
    main()
