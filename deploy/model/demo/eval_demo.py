#!/usr/bin/python3
"""Scores a demo model directory on held-out prompts: colour, background, shape, count and position accuracy.

Generates with the repo's Python reference pipeline (deploy/model/reference.py: the exported TorchScript files,
exact LCM, per-image CPU generators), measures each image with measure.py, prints the misses and a table.
`--fault scheduler|swap-encoders` injects a bug to show that the scores notice it.

  /usr/bin/python3 deploy/model/demo/eval_demo.py models/demo --seeds 4 --size 512 --steps 4 [--grid out.png]
"""
import argparse
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
from reference import LcmScheduler, ReferencePipeline  # noqa: E402

# A plausible slip: the beta range of SD 1.x's "linear" schedule instead of SDXL's.
SCHEDULER_FAULT = {"beta_start": 0.0001, "beta_end": 0.02}
ATTRIBUTES = ["colour", "background", "shape", "count", "position"]


class FaultyPipeline(ReferencePipeline):
    """The reference pipeline with one deliberate bug, to show the measurements notice it."""

    def __init__(self, model_dir, fault):
        super().__init__(model_dir)
        self.fault = fault
        if fault == "scheduler":
            self.scheduler = LcmScheduler({**self.manifest["scheduler"], **SCHEDULER_FAULT})

    @torch.no_grad()
    def encode_text(self, prompts):
        context, pooled = super().encode_text(prompts)
        if self.fault == "swap-encoders":
            d1 = self.manifest["text"]["context_dims"][0]
            context = torch.cat([context[..., d1:], context[..., :d1]], -1)
        return context, pooled


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
    parser.add_argument("--fault", choices=["scheduler", "swap-encoders"])
    parser.add_argument("--prompts", type=int, help="only the first N prompts")
    args = parser.parse_args()
    torch.set_num_threads(2)
    pipeline = FaultyPipeline(args.model_dir, args.fault) if args.fault else ReferencePipeline(args.model_dir)
    scenes = sc.evaluation_scenes()
    if args.train:
        held = sc.held_out_triples()
        scenes = [sc.Scene(c, s, b, *rest) for (c, s, b), rest in zip(
            [t for t in sc.all_triples() if t not in held][::6],
            [(x.count, x.position, x.size) for x in scenes])]
    scenes = scenes[:args.prompts] if args.prompts else scenes
    correct = {a: 0 for a in ATTRIBUTES}
    total = 0
    rows = []
    start = time.time()
    for scene in scenes:
        prompt = sc.canonical_prompt(scene)
        seeds = list(range(args.seeds))
        images = pipeline.generate([prompt] * len(seeds), seeds, args.steps, args.size, args.size).numpy()
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
