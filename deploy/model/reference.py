#!/usr/bin/python3
"""The Python reference of the Vega RT pipeline over a vegart model directory (CPU, fp32).

It is what the Java worker must reproduce: diffusers' SDXL + LCMScheduler semantics (no guidance), one
torch CPU generator per image (initial latents first, then one draw per re-noise step, each of shape
[1,4,h,w], as diffusers does with a list of generators), penultimate hidden states of both encoders
concatenated, pooled output of the second, time_ids = (h, w, 0, 0, h, w).

Used by golden.py (golden vectors for the Java tests), bench_reference.py, and by hand:
  /usr/bin/python3 deploy/model/reference.py models/tiny-random "a photo of a cat" 42 out.png
"""
import json
import math
import os
import sys

import torch

from clip_tokenizer import ClipTokenizer


class LcmScheduler:
    """diffusers LCMScheduler as configured for LCM-LoRA (see the brief); fp32 tensors as in diffusers."""

    def __init__(self, cfg):
        self.cfg = cfg
        betas = torch.linspace(cfg["beta_start"] ** 0.5, cfg["beta_end"] ** 0.5, cfg["num_train_timesteps"],
                               dtype=torch.float32) ** 2
        self.alphas_cumprod = torch.cumprod(1.0 - betas, dim=0)

    def timesteps(self, steps):
        k = self.cfg["num_train_timesteps"] // self.cfg["original_inference_steps"]
        origin = [k * i - 1 for i in range(1, self.cfg["original_inference_steps"] + 1)][::-1]
        n = len(origin)
        return [origin[int(math.floor(j * n / steps))] for j in range(steps)]

    def boundary(self, t):
        s = t * self.cfg["timestep_scaling"]
        sd2 = self.cfg["sigma_data"] ** 2
        return sd2 / (s * s + sd2), s / math.sqrt(s * s + sd2)

    def step(self, eps, t, x, t_next, noise):
        """One LCM step; t_next None on the last step (noise unused)."""
        a = self.alphas_cumprod[t]
        c_skip, c_out = self.boundary(t)
        x0 = (x - (1 - a).sqrt() * eps) / a.sqrt()
        denoised = c_out * x0 + c_skip * x
        if t_next is None:
            return denoised
        a_next = self.alphas_cumprod[t_next]
        return a_next.sqrt() * denoised + (1 - a_next).sqrt() * noise


class ReferencePipeline:
    def __init__(self, model_dir, device="cpu"):
        """device "cpu" or "cuda[:N]": like the worker, the first component the manifest lists for that device type."""
        self.dir = model_dir
        self.device = torch.device(device)
        self.manifest = json.load(open(os.path.join(model_dir, "manifest.json")))
        self.modules, self.dtypes, self.divisors = {}, {}, {}
        for c in self.manifest["components"]:
            if c["device"] == self.device.type and c["name"] not in self.modules:
                self.modules[c["name"]] = torch.jit.load(os.path.join(model_dir, c["file"]), map_location=self.device).eval()
                self.dtypes[c["name"]] = getattr(torch, c["dtype"])
                self.divisors[c["name"]] = c.get("latent_divisor") or 1.0
        self.tokenizers = {t["encoder"]: (ClipTokenizer(os.path.join(model_dir, t["file"])), t["pad_id"])
                           for t in self.manifest["tokenizers"]}
        self.scheduler = LcmScheduler(self.manifest["scheduler"])
        self.factor = self.manifest["vae_scale_factor"]

    def tokens(self, prompts, encoder):
        tok, pad = self.tokenizers[encoder]
        return torch.tensor([tok.encode_padded(p, pad)[0] for p in prompts], dtype=torch.int64)

    @torch.no_grad()
    def encode_text(self, prompts, ids=None):
        """(context, pooled) in the UNet's dtype; ids = (ids1, ids2) when already tokenized."""
        ids1, ids2 = ids or (self.tokens(prompts, "text_encoder"), self.tokens(prompts, "text_encoder_2"))
        h1 = self.modules["text_encoder"](ids1.to(self.device))
        h2, pooled = self.modules["text_encoder_2"](ids2.to(self.device))
        dtype = self.dtypes["unet"]
        return torch.cat([h1.to(dtype), h2.to(dtype)], dim=-1), pooled.to(dtype)

    def unet(self, x, timestep, context, pooled, time_ids):
        """eps in float32; latents cast to the UNet's dtype, timesteps and time ids stay float32 (as the worker does)."""
        return self.modules["unet"](x.to(self.dtypes["unet"]), timestep, context, pooled, time_ids).float()

    @torch.no_grad()
    def generate(self, prompts, seeds, steps, width, height, decoder="full", trace=None):
        """uint8 images [B,H,W,3]; trace (a list) receives every intermediate latent when given."""
        context, pooled = self.encode_text(prompts)
        shape = (1, self.manifest["latent_channels"], height // self.factor, width // self.factor)
        gens = [torch.Generator("cpu").manual_seed(s) for s in seeds]
        x = torch.cat([torch.randn(shape, generator=g, dtype=torch.float32) for g in gens]).to(self.device)
        time_ids = torch.tensor([[height, width, 0, 0, height, width]] * len(prompts), dtype=torch.float32,
                                device=self.device)
        ts = self.scheduler.timesteps(steps)
        if trace is not None:
            trace.append(x.clone())
        for i, t in enumerate(ts):
            timestep = torch.full((len(prompts),), float(t), dtype=torch.float32, device=self.device)
            eps = self.unet(x, timestep, context, pooled, time_ids)
            t_next = ts[i + 1] if i + 1 < len(ts) else None
            noise = None
            if t_next is not None:
                noise = torch.cat([torch.randn(shape, generator=g, dtype=torch.float32) for g in gens]).to(self.device)
            x = self.scheduler.step(eps, t, x, t_next, noise)
            if trace is not None:
                trace.append(x.clone())
        return self.decode(x, decoder)

    @torch.no_grad()
    def decode(self, latents, decoder="full"):
        name = "vae_decoder" if decoder == "full" else "tiny_decoder"
        image = self.modules[name]((latents / self.divisors[name]).to(self.dtypes[name])).float()
        return ((image / 2 + 0.5).clamp(0, 1) * 255).round().to(torch.uint8).permute(0, 2, 3, 1).contiguous().cpu()


if __name__ == "__main__":
    model_dir, prompt, seed, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    from PIL import Image
    img = ReferencePipeline(model_dir).generate([prompt], [seed], 4, 1024, 1024)[0]
    Image.fromarray(img.numpy()).save(out)
