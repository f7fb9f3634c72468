#!/usr/bin/python3
"""Writes `models/tiny-random/`: a random-weight model with the exact component signatures of the real
Vega RT export (see export_vegart.py), small and fast enough for CI (< 5 MB; a 1024x1024 4-step image in
well under a second on two CPU cores).

Signatures (all CPU fp32 TorchScript, traced like the real export, batch and spatial sizes dynamic):
  text_encoder(ids int64 [B,77])   -> penultimate hidden [B,77,D1]
  text_encoder_2(ids int64 [B,77]) -> (penultimate hidden [B,77,D2], projected pooled [B,P])
  unet(latents [B,4,h,w], timestep fp32 [B], context [B,77,D1+D2], pooled [B,P], time_ids fp32 [B,6]) -> eps [B,4,h,w]
  vae_decoder(latents / vae_scaling_factor) -> image [B,3,8h,8w] in [-1,1]
  tiny_decoder(latents) -> image [B,3,8h,8w] in [-1,1]

The tokenizer is the real CLIP BPE tokenizer (built by build_clip_tokenizer.py); both encoders share one
tokenizer.json with their own pad ids (49407 and 0, as SDXL's two tokenizers), which keeps the directory small.

Usage: /usr/bin/python3 deploy/model/make_tiny_model.py [OUT_DIR] [TOKENIZER_JSON] [--cuda]
  --cuda (needs a GPU and a CUDA torch) also writes cuda/ files with the project's dtypes (fp16, bf16 VAE), to try
  the worker's CUDA path on a GPU host without real weights. The committed directory is CPU-only.
"""
import math
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

from model_dir import ModelDirWriter, SDXL_SIZES

D1, D2, POOLED = 16, 24, 24
HASHED_VOCAB = 1009  # ids are hashed into a small table: the real vocabulary (49408 rows) would not fit 5 MB
OUT_GAIN = 8
TEST_SIZES = [(64, 64), (128, 64), (64, 128), (128, 128), (256, 256), (512, 512)]


def sinusoid(dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    return freqs


class Block(nn.Module):
    """Pre-norm causal self-attention + MLP, as in a CLIP text layer."""

    def __init__(self, d):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.out = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.register_buffer("mask", torch.full((77, 77), float("-inf")).triu(1))
        self.scale = d ** -0.5

    def forward(self, x):
        q, k, v = self.qkv(self.ln1(x)).chunk(3, dim=-1)
        attn = torch.softmax(q @ k.transpose(1, 2) * self.scale + self.mask, dim=-1)
        x = x + self.out(attn @ v)
        return x + self.mlp(self.ln2(x))


class TextEncoder(nn.Module):
    """ids -> hidden state of the penultimate layer (what SDXL conditions on)."""

    def __init__(self, d, layers=2):
        super().__init__()
        self.tok = nn.Embedding(HASHED_VOCAB, d)
        self.pos = nn.Parameter(torch.randn(77, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d) for _ in range(layers))
        self.final_ln = nn.LayerNorm(d)

    def hidden(self, ids):
        x = self.tok(torch.remainder(ids, HASHED_VOCAB)) + self.pos
        states = [x]
        for block in self.blocks:
            x = block(x)
            states.append(x)
        return states

    def forward(self, ids):
        return self.hidden(ids)[-2]


class TextEncoder2(TextEncoder):
    """ids -> (penultimate hidden, projected pooled output at the EOS position = argmax id, as CLIP pools)."""

    def __init__(self, d, pooled):
        super().__init__(d)
        self.proj = nn.Linear(d, pooled, bias=False)

    def forward(self, ids):
        states = self.hidden(ids)
        last = self.final_ln(states[-1])
        eos = ids.argmax(dim=-1)
        picked = last.gather(1, eos[:, None, None].expand(-1, 1, last.shape[-1])).squeeze(1)
        return states[-2], self.proj(picked)


class UNet(nn.Module):
    """eps prediction conditioned on timestep, context (cross-attention), pooled text and time ids."""

    def __init__(self, ch=16, temb=32, context=D1 + D2, pooled=POOLED):
        super().__init__()
        self.register_buffer("t_freqs", sinusoid(temb))
        self.register_buffer("id_freqs", sinusoid(8))
        self.t_mlp = nn.Sequential(nn.Linear(temb, temb), nn.SiLU(), nn.Linear(temb, temb))
        self.add_mlp = nn.Sequential(nn.Linear(6 * 8 + pooled, temb), nn.SiLU(), nn.Linear(temb, temb))
        self.emb_proj = nn.Linear(temb, ch)
        self.conv_in = nn.Conv2d(4, ch, 3, padding=1)
        self.q, self.k, self.v = nn.Linear(ch, ch), nn.Linear(context, ch), nn.Linear(context, ch)
        self.attn_out = nn.Linear(ch, ch)
        self.conv_out = nn.Conv2d(ch, 4, 3, padding=1)
        with torch.no_grad():
            self.conv_out.weight.mul_(0.02)
            self.conv_out.bias.zero_()

    @staticmethod
    def embed(x, freqs):
        arg = x[:, None].to(freqs.dtype) * freqs[None]  # timesteps and time ids arrive as float32 in every variant
        return torch.cat([torch.sin(arg), torch.cos(arg)], dim=-1)

    def forward(self, latents, timestep, context, pooled, time_ids):
        emb = self.t_mlp(self.embed(timestep, self.t_freqs))
        ids = self.embed(time_ids.flatten(), self.id_freqs).reshape(time_ids.shape[0], -1)
        emb = emb + self.add_mlp(torch.cat([ids, pooled], dim=-1))
        h = F.silu(self.conv_in(latents) + self.emb_proj(emb)[:, :, None, None])
        small = F.avg_pool2d(h, 4)
        q = self.q(small.flatten(2).transpose(1, 2))
        attn = torch.softmax(q @ self.k(context).transpose(1, 2) * q.shape[-1] ** -0.5, dim=-1)
        mixed = self.attn_out(attn @ self.v(context)).transpose(1, 2).reshape(small.shape)
        h = h + F.interpolate(mixed, scale_factor=4.0, mode="nearest")
        # eps close to the input keeps the LCM trajectory bounded, like a trained model's at high noise
        return latents + self.conv_out(h)


class Decoder(nn.Module):
    """latents [B,4,h,w] -> image [B,3,8h,8w] in [-1,1] through three 2x upsampling stages."""

    def __init__(self, ch):
        super().__init__()
        self.conv_in = nn.Conv2d(4, ch, 3, padding=1)
        self.ups = nn.ModuleList(nn.Conv2d(ch, ch, 3, padding=1) for _ in range(2))
        self.conv_out = nn.Conv2d(ch, 3, 3, padding=1)
        with torch.no_grad():  # keep tanh mostly unsaturated so images have mid-tones to compare
            self.conv_out.weight.mul_(OUT_GAIN)

    def forward(self, latents):
        h = F.silu(self.conv_in(latents))
        for conv in self.ups:
            h = F.silu(conv(F.interpolate(h, scale_factor=2.0, mode="nearest")))
        return torch.tanh(self.conv_out(F.interpolate(h, scale_factor=2.0, mode="nearest")))


# the project's CUDA dtype choices (as export_vegart.py): fp16 text/UNet/tiny decoder, bf16 VAE
CUDA_DTYPES = {"text_encoder": torch.float16, "text_encoder_2": torch.float16, "unet": torch.float16,
               "vae_decoder": torch.bfloat16, "tiny_decoder": torch.float16}


def examples(device, dtype):
    f32 = dict(device=device, dtype=torch.float32)
    ids = torch.randint(0, 49408, (2, 77), device=device)
    lat = torch.randn(2, 4, 16, 16, device=device, dtype=dtype)
    return {"ids": (ids,), "latents": (lat,),
            "unet": (lat, torch.tensor([999.0, 259.0], **f32), torch.randn(2, 77, D1 + D2, device=device, dtype=dtype),
                     torch.randn(2, POOLED, device=device, dtype=dtype),
                     torch.tensor([[1024.0, 1024, 0, 0, 1024, 1024]] * 2, **f32))}


def main(out_dir, tokenizer_json, cuda=False):
    torch.manual_seed(20241126)
    writer = ModelDirWriter(out_dir)
    modules = {
        "text_encoder": (TextEncoder(D1), "ids", {}),
        "text_encoder_2": (TextEncoder2(D2, POOLED), "ids", {}),
        "unet": (UNet(), "unet", {}),
        "vae_decoder": (Decoder(8), "latents", {"latent_divisor": 0.13025}),
        "tiny_decoder": (Decoder(4), "latents", {"latent_divisor": 1.0}),
    }
    targets = [("cpu", lambda name: torch.float32)] + ([("cuda", CUDA_DTYPES.get)] if cuda else [])
    for device, dtype_of in targets:
        torch.manual_seed(7)  # example inputs only; the weights were drawn above
        for name, (module, example, extra) in modules.items():
            dtype = dtype_of(name)
            with torch.no_grad():
                traced = torch.jit.trace(module.to(device, dtype).eval(), examples(device, dtype)[example])
            writer.save_component(name, traced, device, str(dtype).replace("torch.", ""), **extra)
            module.to("cpu", torch.float32)
    writer.add_tokenizer("text_encoder", tokenizer_json, "tokenizer/tokenizer.json", pad_id=49407)
    writer.add_tokenizer("text_encoder_2", tokenizer_json, "tokenizer/tokenizer.json", pad_id=0)
    writer.write_manifest("tiny-random", SDXL_SIZES + TEST_SIZES, default_steps=4, max_steps=8,
                          context_dims=(D1, D2), pooled_dim=POOLED, vae_scaling_factor=0.13025)


if __name__ == "__main__":
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    args = [a for a in sys.argv[1:] if a != "--cuda"]
    out = args[0] if args else os.path.join(root, "models", "tiny-random")
    tok = args[1] if len(args) > 1 else os.path.join(out, "tokenizer", "tokenizer.json")
    main(out, tok, cuda="--cuda" in sys.argv)
