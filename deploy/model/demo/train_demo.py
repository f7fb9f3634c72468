#!/usr/bin/python3
"""Trains the demo model on generated scenes and exports it as a vegart model directory.

Deterministic: fixed seeds, a fixed data order (batch k is drawn from random.Random(seed * 1_000_003 + k)),
one thread. About 20 minutes on 2 idle CPU cores with Debian's torch 1.13.

  nice -n 10 /usr/bin/python3 deploy/model/demo/train_demo.py --out models/demo

Two phases: the decoder learns to draw sharp 8x images from band-limited latents (interior crops, at both
512 and 1024 latent sizes); then the text encoders and the UNet learn together to predict clean latents
from noisy ones at the LCM timesteps (see demo_model.py for why the UNet predicts clean latents
internally but returns epsilon). Held-out (colour, shape, background) combinations never appear.
"""
import argparse
import copy
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import demo_model as dm  # noqa: E402
import scenes as sc  # noqa: E402
from clip_tokenizer import ClipTokenizer  # noqa: E402

LCM_TIMESTEPS = [20 * i - 1 for i in range(1, 51)]
PAD_IDS = (49407, 0)  # CLIP-L pads with EOS, bigG with "!"; written to the manifest with the tokenizer.


class Data:
    """Training batches as a pure function of (seed, batch index)."""

    def __init__(self, seed, tokenizer):
        self.seed = seed
        self.tokenizer = tokenizer
        held_out = sc.held_out_triples()
        self.triples = [t for t in sc.all_triples() if t not in held_out]

    def rng(self, index, stream):
        return random.Random((self.seed * 1_000_003 + index) * 7 + stream)

    def scenes(self, index, n):
        rng = self.rng(index, 0)
        scenes = [sc.sample_scene(rng, self.triples) for _ in range(n)]
        prompts = [sc.prompt_for(s, rng) for s in scenes]
        jitter_seeds = [rng.random() for _ in scenes]
        return scenes, prompts, jitter_seeds

    def tokens(self, prompts):
        ids = [[self.tokenizer.encode_padded(p, pad)[0] for p in prompts] for pad in PAD_IDS]
        return torch.tensor(ids[0]), torch.tensor(ids[1])


def grid_latents(scenes, jitter_seeds):
    """Unscaled clean latents on the 32x32 grid: what LatentEncoder gives for the full-size render."""
    rgb = sc.render(scenes, dm.GRID, [random.Random(j) for j in jitter_seeds], supersample=4)
    return torch.cat([rgb, rgb.mean(1, keepdim=True)], 1)


def scaling_factor(data):
    scenes, _, jitter = data.scenes(-1, 512)
    return round(1.0 / grid_latents(scenes, jitter).std().item(), 4)


def train_decoder(data, steps, batch, log):
    decoder = dm.Decoder()
    opt = torch.optim.AdamW(decoder.parameters(), lr=3e-3, weight_decay=0.0)
    crop, inner = 24, 16
    for step in range(steps):
        scenes, _, jitter = data.scenes(10_000_000 + step, batch)
        rng = data.rng(10_000_000 + step, 1)
        size = 64 if step % 2 == 0 else 128
        z = F.interpolate(grid_latents(scenes, jitter), size=(size, size), mode="bilinear", align_corners=False)
        offsets = [(rng.randrange(size - crop + 1), rng.randrange(size - crop + 1)) for _ in scenes]
        z_crops = torch.stack([z[i, :, oy:oy + crop, ox:ox + crop] for i, (ox, oy) in enumerate(offsets)])
        margin = (crop - inner) // 2
        windows = [((ox + margin) / size, (oy + margin) / size, inner / size) for ox, oy in offsets]
        target = sc.render(scenes, inner * 8, [random.Random(j) for j in jitter], supersample=2, windows=windows)
        lr = 3e-3 * min(1.0, (step + 1) / 50) * (0.5 * (1 + torch.cos(torch.tensor(step / steps * 3.14159))).item())
        for group in opt.param_groups:
            group["lr"] = lr
        out = decoder(z_crops)[:, :, margin * 8:(margin + inner) * 8, margin * 8:(margin + inner) * 8]
        loss = F.mse_loss(out, target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 50 == 0 or step == steps - 1:
            log(f"decoder step {step} loss {loss.item():.5f}")
    return decoder


class Denoiser(torch.nn.Module):
    """The three trained parts together, so one optimiser and one EMA cover them."""

    def __init__(self):
        super().__init__()
        self.text_encoder = dm.TextEncoder(dm.D1, layers=2)
        self.text_encoder_2 = dm.PooledTextEncoder(dm.D2, layers=3, pooled_dim=dm.POOLED)
        self.unet = dm.UNet()

    def conditioning(self, ids1, ids2):
        hidden2, pooled = self.text_encoder_2(ids2)
        return torch.cat([self.text_encoder(ids1), hidden2], 2), pooled


def train_denoiser(data, steps, batch, sf, log, pooled_dropout=0.25, lr_max=2e-3):
    model = Denoiser()
    ema = copy.deepcopy(model).requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=lr_max, weight_decay=0.01)
    abar = dm.scaled_linear_alphas_cumprod()
    for step in range(steps):
        scenes, prompts, jitter = data.scenes(step, batch)
        rng = data.rng(step, 1)
        gen = torch.Generator().manual_seed(data.seed * 1_000_003 + step)
        x0 = grid_latents(scenes, jitter) * sf
        ids1, ids2 = data.tokens(prompts)
        t = torch.tensor([float(rng.choice(LCM_TIMESTEPS)) for _ in scenes])
        a = abar[t.long()][:, None, None, None]
        size = 64 if step % 2 == 0 else 128
        full = F.interpolate(x0, size=(size, size), mode="bilinear", align_corners=False)
        noisy = a.sqrt() * full + (1 - a).sqrt() * torch.randn(full.shape, generator=gen)
        context, pooled = model.conditioning(ids1, ids2)
        keep = (torch.rand(batch, 1, generator=gen) >= pooled_dropout).float()
        pred = model.unet.clean_grid(F.adaptive_avg_pool2d(noisy, dm.GRID), t, context, pooled * keep)
        loss = F.mse_loss(pred, x0)
        warm = min(1.0, (step + 1) / 100)
        lr = lr_max * warm * 0.5 * (1 + torch.cos(torch.tensor(step / steps * 3.14159)).item())
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        decay = min(0.995, (1 + step) / (10 + step))
        with torch.no_grad():
            for e, p in zip(ema.parameters(), model.parameters()):
                e.mul_(decay).add_(p, alpha=1 - decay)
        if step % 50 == 0 or step == steps - 1:
            log(f"denoiser step {step} loss {loss.item():.5f} lr {lr:.5f}")
    return ema


class FastDecoder(torch.nn.Module):
    """tiny_decoder: the colour channels upsampled 8x, without the learned sharpening (a blurrier, faster image)."""

    def forward(self, z):
        return F.interpolate(z[:, :3], scale_factor=8.0, mode="bilinear", align_corners=False)


def write_held_out(out_dir):
    """heldout.json: the evaluation prompts with what each must show, the palette, anchors and measurement
    constants; the Java meaning test reads it, so scenes.py and measure.py stay the single definition."""
    import json
    import measure
    prompts = [{"prompt": sc.canonical_prompt(s), "colour": s.colour, "background": s.background,
                "shape": s.shape, "count": s.count, "position": s.position} for s in sc.evaluation_scenes()]
    doc = {"palette": sc.PALETTE, "anchors": sc.ANCHORS, "measurement": measure.constants(), "prompts": prompts}
    with open(os.path.join(out_dir, "heldout.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def export(out_dir, denoiser, decoder, sf, tokenizer_json, sizes):
    from model_dir import ModelDirWriter  # the shared writer of the model-directory format (docs/MODEL.md)
    writer = ModelDirWriter(out_dir)
    parts = {"text_encoder": (denoiser.text_encoder, {}), "text_encoder_2": (denoiser.text_encoder_2, {}),
             "unet": (denoiser.unet, {}), "vae_decoder": (decoder, {"latent_divisor": sf}),
             "tiny_decoder": (FastDecoder(), {"latent_divisor": sf})}
    for name, (module, extra) in parts.items():
        writer.save_component(name, torch.jit.script(module.eval()), "cpu", "float32", **extra)
    writer.add_tokenizer("text_encoder", tokenizer_json, "tokenizer/tokenizer.json", PAD_IDS[0])
    writer.add_tokenizer("text_encoder_2", tokenizer_json, "tokenizer/tokenizer.json", PAD_IDS[1])
    write_held_out(out_dir)
    return writer.write_manifest("vegart-demo", sizes, default_steps=4, max_steps=8,
                                 context_dims=(dm.D1, dm.D2), pooled_dim=dm.POOLED, vae_scaling_factor=sf)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="model directory to write")
    parser.add_argument("--steps", type=int, default=1500, help="denoiser optimiser steps")
    parser.add_argument("--decoder-steps", type=int, default=400)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    # One thread: on a shared 2-core machine OpenMP's two threads stall on each other's barriers (measured
    # 3-4x slower than one thread under load); one thread also fixes the summation order.
    parser.add_argument("--checkpoint", help="also save the trained weights here (state dicts)")
    parser.add_argument("--export-only", metavar="CHECKPOINT", help="skip training: export a saved checkpoint")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tokenizer", default=os.path.join(HERE, "..", "..", "..", "models", "tiny-random",
                                                            "tokenizer", "tokenizer.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    start = time.time()

    def log(message):
        print(f"[{time.time() - start:7.1f}s] {message}", flush=True)

    sizes = [(512, 512), (1024, 1024)]
    if args.export_only:
        saved = torch.load(args.export_only)
        denoiser, decoder = Denoiser(), dm.Decoder()
        denoiser.load_state_dict(saved["denoiser"])
        decoder.load_state_dict(saved["decoder"])
        export(args.out, denoiser, decoder, saved["scaling_factor"], args.tokenizer, sizes)
        log(f"exported {args.export_only} to {args.out}")
        return
    data = Data(args.seed, ClipTokenizer(args.tokenizer))
    sf = scaling_factor(data)
    log(f"scaling factor {sf}; {len(data.triples)} training combinations, "
        f"{len(sc.held_out_triples())} held out")
    decoder = train_decoder(data, args.decoder_steps, 8, log)
    denoiser = train_denoiser(data, args.steps, args.batch, sf, log)
    log(f"training took {time.time() - start:.0f}s")
    if args.checkpoint:
        torch.save({"denoiser": denoiser.state_dict(), "decoder": decoder.state_dict(), "scaling_factor": sf},
                   args.checkpoint)
    export(args.out, denoiser, decoder, sf, args.tokenizer, sizes)
    log(f"exported to {args.out}")


if __name__ == "__main__":
    main()
