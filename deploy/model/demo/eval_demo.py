#!/usr/bin/python3
"""Scores a demo model directory on held-out prompts: colour, background, shape, count and position accuracy.

Generates with the exported TorchScript files and the repo's Python reference pipeline semantics (LCM,
per-image CPU generators), measures each image with measure.py, prints one line per prompt and a table.

  /usr/bin/python3 deploy/model/demo/eval_demo.py models/demo --seeds 4 --size 512 --steps 4 [--grid out.png]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import scenes as sc  # noqa: E402
from measure import measure  # noqa: E402
from clip_tokenizer import ClipTokenizer  # noqa: E402

ATTRIBUTES = ["colour", "background", "shape", "count", "position"]


def lcm_timesteps(steps, train=1000, original=50):
    k = train // original
    origin = [k * i - 1 for i in range(1, original + 1)][::-1]
    return [origin[int(i)] for i in np.floor(np.linspace(0, original, steps, endpoint=False))]


class DemoPipeline:
    """A plain LCM pipeline over a model directory (CPU, fp32), one generator per image."""

    def __init__(self, model_dir):
        self.manifest = json.load(open(os.path.join(model_dir, "manifest.json")))
        files = {c["name"]: c["file"] for c in self.manifest["components"] if c["device"] == "cpu"}
        self.parts = {name: torch.jit.load(os.path.join(model_dir, f)).eval() for name, f in files.items()}
        self.tokenizers = {t["encoder"]: (ClipTokenizer(os.path.join(model_dir, t["file"])), t["pad_id"])
                           for t in self.manifest["tokenizers"]}
        sched = self.manifest["scheduler"]
        betas = torch.linspace(sched["beta_start"] ** 0.5, sched["beta_end"] ** 0.5, sched["num_train_timesteps"],
                               dtype=torch.float64) ** 2
        self.alphas_cumprod = torch.cumprod(1 - betas, 0).float()
        self.scaling = sched["timestep_scaling"]
        self.sigma_data = sched["sigma_data"]

    def ids(self, encoder, prompts):
        tokenizer, pad = self.tokenizers[encoder]
        return torch.tensor([tokenizer.encode_padded(p, pad)[0] for p in prompts])

    @torch.no_grad()
    def generate(self, prompts, seeds, size, steps):
        hidden1 = self.parts["text_encoder"](self.ids("text_encoder", prompts))
        hidden2, pooled = self.parts["text_encoder_2"](self.ids("text_encoder_2", prompts))
        context = torch.cat([hidden1, hidden2], 2)
        time_ids = torch.tensor([[size, size, 0, 0, size, size]] * len(prompts), dtype=torch.float32)
        gens = [torch.Generator("cpu").manual_seed(s) for s in seeds]
        shape = (4, size // 8, size // 8)
        x = torch.stack([torch.randn(shape, generator=g, dtype=torch.float32) for g in gens])
        timesteps = lcm_timesteps(steps)
        for i, t in enumerate(timesteps):
            eps = self.parts["unet"](x, torch.full((len(prompts),), float(t)), context, pooled, time_ids)
            a = self.alphas_cumprod[t]
            x0 = (x - (1 - a).sqrt() * eps) / a.sqrt()
            s = self.scaling * t
            c_skip = self.sigma_data ** 2 / (s * s + self.sigma_data ** 2)
            c_out = s / (s * s + self.sigma_data ** 2) ** 0.5
            denoised = c_out * x0 + c_skip * x
            if i + 1 < len(timesteps):
                a_next = self.alphas_cumprod[timesteps[i + 1]]
                z = torch.stack([torch.randn(shape, generator=g, dtype=torch.float32) for g in gens])
                x = a_next.sqrt() * denoised + (1 - a_next).sqrt() * z
            else:
                x = denoised
        image = self.parts["vae_decoder"](x / self.manifest["vae_scaling_factor"])
        return ((image / 2 + 0.5).clamp(0, 1) * 255).round().to(torch.uint8).permute(0, 2, 3, 1).numpy()


def expected(scene):
    return {"colour": scene.colour, "background": scene.background, "shape": scene.shape, "count": scene.count,
            "position": scene.position}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model_dir")
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--grid", help="write all images as one PNG")
    parser.add_argument("--train", action="store_true", help="score training combinations instead")
    args = parser.parse_args()
    torch.set_num_threads(2)
    pipeline = DemoPipeline(args.model_dir)
    scenes = sc.evaluation_scenes()
    if args.train:
        held = sc.held_out_triples()
        scenes = [sc.Scene(c, s, b, *rest) for (c, s, b), rest in zip(
            [t for t in sc.all_triples() if t not in held][::6],
            [(x.count, x.position, x.size) for x in scenes])]
    correct = {a: 0 for a in ATTRIBUTES}
    total = 0
    rows = []
    start = time.time()
    for scene in scenes:
        prompt = sc.canonical_prompt(scene)
        seeds = list(range(args.seeds))
        images = pipeline.generate([prompt] * len(seeds), seeds, args.size, args.steps)
        rows.append(images)
        for image in images:
            got = measure(image)
            want = expected(scene)
            wrong = {a: got[a] for a in ATTRIBUTES if got[a] != want[a]}
            for a in ATTRIBUTES:
                correct[a] += a not in wrong
            total += 1
            if wrong:
                print(f"  {prompt!r}: got {wrong}")
    seconds = time.time() - start
    print(f"{len(scenes)} prompts x {args.seeds} seeds at {args.size}x{args.size}, {args.steps} steps "
          f"({seconds / total:.2f} s/image):")
    for a in ATTRIBUTES:
        print(f"  {a:<10} {correct[a]}/{total} = {100 * correct[a] / total:.1f}%")
    if args.grid:
        from PIL import Image
        Image.fromarray(np.concatenate([np.concatenate(list(r), 1) for r in rows], 0)).save(args.grid)


if __name__ == "__main__":
    main()
