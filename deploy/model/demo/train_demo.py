#!/usr/bin/python3
"""Trains the demo model on generated scenes and exports it as a vegart model directory.

Deterministic: fixed seeds, a fixed data order (batch k is drawn from random.Random(seed * 1_000_003 + k)),
two threads. About 17 minutes on 2 idle CPU cores with Debian's torch 1.13 (1000 s measured).

  nice -n 10 /usr/bin/python3 deploy/model/demo/train_demo.py --out models/demo

Three phases: the decoder learns to draw sharp 8x images from band-limited latents (interior crops, at both
512 and 1024 latent sizes); the text encoders learn what the prompt words mean (scene attributes read
back by linear heads, standing in for CLIP's pretraining); then the UNet learns to predict clean latents
(two colours and a mask, see demo_model.py) from noisy ones, conditioned on the frozen encoders, at the LCM
timesteps; it returns the epsilon they imply. Held-out (colour, shape, background) combinations never appear.
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
FOUR_STEPS = [999, 759, 499, 259]  # what a 4-step LCM run visits (the default)
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
    """Unscaled clean latents on the 32x32 grid: the full-size render, area-averaged onto the grid."""
    return dm.latent_channels(sc.render(scenes, dm.GRID, [random.Random(j) for j in jitter_seeds], supersample=4))


def scaling_factor(data):
    scenes, _, jitter = data.scenes(-1, 256)
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


ATTRIBUTE_CLASSES = {
    "colour": sc.COLOURS, "background": sc.COLOURS, "shape": sc.SHAPES, "count": [1, 2, 3],
    "position": list(sc.ANCHORS), "size": [None, "small", "large"],
}


def attribute_targets(scenes):
    return {name: torch.tensor([values.index(getattr(s, name)) for s in scenes])
            for name, values in ATTRIBUTE_CLASSES.items()}


def pretrain_text(denoiser, data, steps, batch, log):
    """Teaches both encoders what the prompt words mean, as CLIP's pretraining does for the real ones: linear heads
    read every scene attribute back from the pooled output and from each encoder's state at the first EOS. The
    heads are thrown away; the encoders are then frozen while the UNet learns to draw from them."""
    te1, te2 = denoiser.text_encoder, denoiser.text_encoder_2
    heads = torch.nn.ModuleDict({
        f"{source}_{name}": dm.Dense(width, len(values))
        for source, width in (("pooled", dm.POOLED), ("te1", dm.D1), ("te2", dm.D2))
        for name, values in ATTRIBUTE_CLASSES.items()})
    params = list(te1.parameters()) + list(te2.parameters()) + list(heads.parameters())
    opt = torch.optim.AdamW(params, lr=3e-3, weight_decay=0.0)
    for step in range(steps):
        scenes, prompts, _ = data.scenes(20_000_000 + step, batch)
        ids1, ids2 = data.tokens(prompts)
        eos1 = (ids1 == dm.EOS_ID).int().argmax(1)
        eos2 = (ids2 == dm.EOS_ID).int().argmax(1)
        rows = torch.arange(batch)
        hidden2, pooled = te2(ids2)
        features = {"pooled": pooled, "te1": te1(ids1)[rows, eos1], "te2": hidden2[rows, eos2]}
        targets = attribute_targets(scenes)
        loss = sum(F.cross_entropy(heads[f"{source}_{name}"](f), targets[name])
                   for source, f in features.items() for name in ATTRIBUTE_CLASSES)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == steps - 1:
            with torch.no_grad():
                acc = min((heads[f"{s}_{n}"](f).argmax(1) == targets[n]).float().mean().item()
                          for s, f in features.items() for n in ATTRIBUTE_CLASSES)
            log(f"text step {step} loss {loss.item():.4f} worst attribute accuracy {acc:.3f}")
    te1.requires_grad_(False)
    te2.requires_grad_(False)


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


def palette_rgb(names):
    """Palette colours as RGB in [-1,1], [B,3]."""
    return torch.tensor([sc.PALETTE[n] for n in names], dtype=torch.float32) / 127.5 - 1


def colour_latents(names, sf):
    """Scaled latents of flat palette colours [B,4,1,1]: what the UNet's colour head must name."""
    return (dm.latent_channels(palette_rgb(names)) * sf)[:, :, None, None]


def coverage(scenes, rgb):
    """Object coverage [B,1,32,32] in [0,1] read back from the grid render: a scene is a linear blend of its two
    colours, so the channel where they differ most (by at least 100 of 255 in this palette) gives it exactly."""
    fg, bg = palette_rgb([s.colour for s in scenes]), palette_rgb([s.background for s in scenes])
    rows, channel = torch.arange(len(scenes)), (fg - bg).abs().argmax(1)
    picked = rgb[rows, channel] - bg[rows, channel][:, None, None]
    return (picked / (fg - bg)[rows, channel][:, None, None]).clamp(0, 1)[:, None]


def train_denoiser(model, data, steps, batch, sf, log, snapshot=None, lr_max=2e-3):
    """The UNet on frozen text encoders. Adam at a constant rate after warm-up, weights averaged (EMA): the
    weights after k steps do not depend on the total, so a snapshot at step k is exactly what `--steps k` gives.

    Loss: clean-latent MSE, plus the parts read directly against the scene: both colours (MSE) and the coverage
    mask, from the prompt alone (the prior) and after refinement (binary cross-entropy). Half the samples are at
    the four timesteps of a 4-step LCM run, half at any of the 50 LCM timesteps."""
    ema = copy.deepcopy(model).requires_grad_(False)
    opt = torch.optim.AdamW(model.unet.parameters(), lr=lr_max, weight_decay=0.01)
    abar = dm.scaled_linear_alphas_cumprod()
    for step in range(steps):
        scenes, prompts, jitter = data.scenes(step, batch)
        rng = data.rng(step, 1)
        gen = torch.Generator().manual_seed(data.seed * 1_000_003 + step)
        grid = grid_latents(scenes, jitter)
        x0 = grid * sf
        ids1, ids2 = data.tokens(prompts)
        t = torch.tensor([float(rng.choice(LCM_TIMESTEPS if rng.random() < 0.5 else FOUR_STEPS)) for _ in scenes])
        a = abar[t.long()][:, None, None, None]
        size = 64 if step % 2 == 0 else 128
        full = F.interpolate(x0, size=(size, size), mode="bilinear", align_corners=False)
        noisy = a.sqrt() * full + (1 - a).sqrt() * torch.randn(full.shape, generator=gen)
        with torch.no_grad():
            context, pooled = model.conditioning(ids1, ids2)
        fg, bg, prior, mask = model.unet.parts(F.adaptive_avg_pool2d(noisy, dm.GRID), t, context, pooled)
        cover = coverage(scenes, grid[:, :3])
        pred = bg + (fg - bg) * torch.sigmoid(mask)
        losses = {
            "x0": F.mse_loss(pred, x0),
            "colours": F.mse_loss(fg, colour_latents([s.colour for s in scenes], sf))
            + F.mse_loss(bg, colour_latents([s.background for s in scenes], sf)),
            "prior": F.binary_cross_entropy_with_logits(prior, cover),
            "mask": F.binary_cross_entropy_with_logits(mask, cover),
        }
        loss = sum(losses.values())
        lr = lr_max * min(1.0, (step + 1) / 100)
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.unet.parameters(), 1.0)
        opt.step()
        decay = min(0.995, (1 + step) / (10 + step))
        with torch.no_grad():
            for e, p in zip(ema.unet.parameters(), model.unet.parameters()):
                e.mul_(decay).add_(p, alpha=1 - decay)
        if step % 50 == 0 or step == steps - 1:
            log(f"denoiser step {step} " + " ".join(f"{k} {v.item():.4f}" for k, v in losses.items()) + f" lr {lr:.5f}")
        if snapshot and (step + 1) % 50 == 0:
            snapshot(step + 1, ema)
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
        # Frozen for inference; also makes the file the same whether it comes from training or a checkpoint.
        module = module.eval().requires_grad_(False)
        writer.save_component(name, torch.jit.script(module), "cpu", "float32", **extra)
    writer.add_tokenizer("text_encoder", tokenizer_json, "tokenizer/tokenizer.json", PAD_IDS[0])
    writer.add_tokenizer("text_encoder_2", tokenizer_json, "tokenizer/tokenizer.json", PAD_IDS[1])
    write_held_out(out_dir)
    return writer.write_manifest("vegart-demo", sizes, default_steps=4, max_steps=8,
                                 context_dims=(dm.D1, dm.D2), pooled_dim=dm.POOLED, vae_scaling_factor=sf)


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        # TorchScript writes a module's constants in set order, which follows string hashing: a fixed hash seed
        # makes the exported files byte for byte the same on every run, not just their weights.
        os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, "PYTHONHASHSEED": "0"})
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="model directory to write")
    parser.add_argument("--steps", type=int, default=3000, help="denoiser optimiser steps")
    parser.add_argument("--decoder-steps", type=int, default=300)
    parser.add_argument("--text-steps", type=int, default=120)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    # Two threads for the two cores of the build machines; the thread count fixes the summation order, so the
    # same count gives the same weights.
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--checkpoint", help="also save the trained weights here (state dicts)")
    parser.add_argument("--snapshots", help="save the denoiser every 50 steps into this folder")
    parser.add_argument("--decoder-weights", help="skip the decoder phase: load the decoder from this checkpoint "
                        "(one written by --checkpoint with the same seed, --decoder-steps and --threads)")
    parser.add_argument("--export-only", metavar="CHECKPOINT", help="skip training: export a saved checkpoint "
                        "(with --decoder-weights for a snapshot, which holds no decoder)")
    parser.add_argument("--tokenizer", default=os.path.join(HERE, "..", "..", "..", "models", "tiny-random",
                                                            "tokenizer", "tokenizer.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    start = time.time()

    def log(message):
        print(f"[{time.time() - start:7.1f}s] {message}", flush=True)

    def saved_decoder(path):
        decoder = dm.Decoder()
        decoder.load_state_dict(torch.load(path)["decoder"])
        return decoder

    sizes = [(512, 512), (1024, 1024)]
    if args.export_only:
        saved = torch.load(args.export_only)
        denoiser = Denoiser()
        denoiser.load_state_dict(saved["denoiser"])
        decoder = saved_decoder(args.decoder_weights or args.export_only)
        export(args.out, denoiser, decoder, saved["scaling_factor"], args.tokenizer, sizes)
        log(f"exported {args.export_only} to {args.out}")
        return
    data = Data(args.seed, ClipTokenizer(args.tokenizer))
    sf = scaling_factor(data)
    log(f"scaling factor {sf}; {len(data.triples)} training combinations, "
        f"{len(sc.held_out_triples())} held out")
    if args.decoder_weights:
        decoder = saved_decoder(args.decoder_weights)
    else:
        torch.manual_seed(args.seed + 1)
        decoder = train_decoder(data, args.decoder_steps, 8, log)

    def snapshot(step, ema):
        if args.snapshots:
            os.makedirs(args.snapshots, exist_ok=True)
            torch.save({"denoiser": ema.state_dict(), "scaling_factor": sf},
                       os.path.join(args.snapshots, f"step{step}.pt"))

    torch.manual_seed(args.seed)
    denoiser = Denoiser()
    pretrain_text(denoiser, data, args.text_steps, 64, log)
    denoiser = train_denoiser(denoiser, data, args.steps, args.batch, sf, log, snapshot)
    log(f"training took {time.time() - start:.0f}s")
    if args.checkpoint:
        torch.save({"denoiser": denoiser.state_dict(), "decoder": decoder.state_dict(), "scaling_factor": sf},
                   args.checkpoint)
    export(args.out, denoiser, decoder, sf, args.tokenizer, sizes)
    log(f"exported to {args.out}")


if __name__ == "__main__":
    main()
