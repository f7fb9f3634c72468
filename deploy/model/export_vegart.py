#!/usr/bin/env python3
"""Exports Segmind Vega RT (Segmind-Vega with the Vega RT LCM-LoRA fused in) to a vegart model directory.

Needs internet, diffusers, transformers, peft and torch (a CUDA build for the CUDA files); it cannot run in CI.
  pip install "diffusers>=0.27" transformers peft accelerate
  python deploy/model/export_vegart.py --out models/vega-rt            # CPU fp32 + CUDA fp16/bf16 + tiny decoder
  python deploy/model/export_vegart.py --out models/vega-rt --no-cuda  # CPU only

Output (the same layout and signatures as make_tiny_model.py, which the tests exercise; see docs/MODEL.md):
  cpu/{text_encoder,text_encoder_2,unet,vae_decoder,tiny_decoder}.float32.pt
  cuda/{text_encoder,text_encoder_2,unet}.float16.pt, cuda/vae_decoder.bfloat16.pt, cuda/tiny_decoder.float16.pt
  tokenizer/tokenizer.json, tokenizer_2/tokenizer.json, manifest.json (sha256 of every file)
The SDXL VAE overflows in fp16, hence bf16 on CUDA (as fast as fp16 on recent GPUs); --vae-fp16-fix adds an fp16 VAE
decoder from madebyollin/sdxl-vae-fp16-fix (select it in the worker with the dtype override vae_decoder=float16).
TorchScript bakes in device and dtype, hence one file per (device, dtype); batch and spatial sizes stay dynamic.
"""
import argparse
import gc

import torch
from torch import nn

from model_dir import ModelDirWriter, SDXL_SIZES


class TextEncoder(nn.Module):
    """ids [B,77] -> penultimate hidden state [B,77,768] (CLIP ViT-L)."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, ids):
        return self.encoder(ids, output_hidden_states=True).hidden_states[-2]


class TextEncoder2(nn.Module):
    """ids [B,77] -> (penultimate hidden [B,77,1280], projected pooled [B,1280]) (OpenCLIP bigG with projection)."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, ids):
        out = self.encoder(ids, output_hidden_states=True)
        return out.hidden_states[-2], out.text_embeds


class UNet(nn.Module):
    """(latents, timestep fp32 [B], context [B,77,2048], pooled [B,1280], time_ids fp32 [B,6]) -> eps."""

    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, latents, timestep, context, pooled, time_ids):
        return self.unet(latents, timestep, encoder_hidden_states=context,
                         added_cond_kwargs={"text_embeds": pooled, "time_ids": time_ids}, return_dict=False)[0]


class Decoder(nn.Module):
    """latents already divided by the manifest's latent_divisor -> image [B,3,8h,8w] in [-1,1]."""

    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latents):
        return self.vae.decode(latents, return_dict=False)[0]


def examples(device, dtype, batch=2, h=128, w=128):
    ids = torch.full((batch, 77), 49407, dtype=torch.int64, device=device)
    ids[:, 0] = 49406
    f32 = dict(device=device, dtype=torch.float32)
    return {
        "ids": (ids,),
        "unet": (torch.randn(batch, 4, h, w, device=device, dtype=dtype), torch.full((batch,), 999.0, **f32),
                 torch.randn(batch, 77, 2048, device=device, dtype=dtype), torch.randn(batch, 1280, device=device, dtype=dtype),
                 torch.tensor([[1024.0, 1024, 0, 0, 1024, 1024]] * batch, **f32)),
        "latents": (torch.randn(batch, 4, h, w, device=device, dtype=dtype),),
    }


def trace(writer, name, module, device, dtype, inputs, **extra):
    module = module.to(device=device, dtype=dtype).eval()
    with torch.no_grad():
        traced = torch.jit.trace(module, inputs, check_trace=False)
    writer.save_component(name, traced, device, str(dtype).replace("torch.", ""), **extra)
    del traced
    gc.collect()
    if device == "cuda":
        torch.cuda.empty_cache()


def export(args):
    from diffusers import AutoencoderKL, AutoencoderTiny, StableDiffusionXLPipeline
    from transformers import CLIPTokenizerFast

    pipe = StableDiffusionXLPipeline.from_pretrained(args.base, torch_dtype=torch.float32)
    pipe.load_lora_weights(args.lora)
    pipe.fuse_lora()
    pipe.unload_lora_weights()  # the LoRA now lives in the UNet weights
    scaling = pipe.vae.config.scaling_factor
    parts = {
        "text_encoder": TextEncoder(pipe.text_encoder),
        "text_encoder_2": TextEncoder2(pipe.text_encoder_2),
        "unet": UNet(pipe.unet),
        "vae_decoder": Decoder(pipe.vae),
    }
    if args.tiny_decoder:
        parts["tiny_decoder"] = Decoder(AutoencoderTiny.from_pretrained(args.tiny_decoder, torch_dtype=torch.float32))
    inputs = {"text_encoder": "ids", "text_encoder_2": "ids", "unet": "unet", "vae_decoder": "latents",
              "tiny_decoder": "latents"}
    divisors = {"vae_decoder": {"latent_divisor": scaling}, "tiny_decoder": {"latent_divisor": 1.0}}
    cuda_dtypes = {"text_encoder": torch.float16, "text_encoder_2": torch.float16, "unet": torch.float16,
                   "vae_decoder": torch.bfloat16, "tiny_decoder": torch.float16}

    writer = ModelDirWriter(args.out)
    targets = ([("cpu", lambda n: torch.float32)] if args.cpu else []) + \
              ([("cuda", lambda n: cuda_dtypes[n])] if args.cuda else [])
    for device, dtype_of in targets:
        for name, module in parts.items():
            dtype = dtype_of(name)
            trace(writer, name, module, device, dtype, examples(device, dtype)[inputs[name]], **divisors.get(name, {}))
            module.to("cpu", torch.float32)
        if device == "cuda" and args.vae_fp16_fix:
            fixed = Decoder(AutoencoderKL.from_pretrained(args.vae_fp16_fix, torch_dtype=torch.float32))
            trace(writer, "vae_decoder", fixed, "cuda", torch.float16, examples("cuda", torch.float16)["latents"],
                  latent_divisor=scaling)

    for encoder, sub in (("text_encoder", "tokenizer"), ("text_encoder_2", "tokenizer_2")):
        tok = CLIPTokenizerFast.from_pretrained(args.base, subfolder=sub)
        tok.save_pretrained(f"{args.out}/{sub}")
        writer.add_tokenizer(encoder, f"{args.out}/{sub}/tokenizer.json", f"{sub}/tokenizer.json", pad_id=tok.pad_token_id)
    manifest = writer.write_manifest("segmind-vega-rt", SDXL_SIZES, default_steps=4, max_steps=8,
                                     context_dims=(768, 1280), pooled_dim=1280, vae_scaling_factor=scaling)
    print(f"wrote {args.out}: {[c['file'] for c in manifest['components']]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--base", default="segmind/Segmind-Vega")
    ap.add_argument("--lora", default="segmind/Segmind-VegaRT")
    ap.add_argument("--tiny-decoder", default="madebyollin/taesdxl", help="'' to skip the fast decoder")
    ap.add_argument("--vae-fp16-fix", default="", help="e.g. madebyollin/sdxl-vae-fp16-fix: also write an fp16 VAE")
    ap.add_argument("--no-cpu", dest="cpu", action="store_false")
    ap.add_argument("--no-cuda", dest="cuda", action="store_false")
    args = ap.parse_args()
    if args.cuda and not torch.cuda.is_available():
        ap.error("CUDA export needs a CUDA build of torch and a GPU; pass --no-cuda for CPU files only")
    export(args)


if __name__ == "__main__":
    main()
