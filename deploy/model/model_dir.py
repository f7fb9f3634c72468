"""Writes a vegart model directory: TorchScript components, tokenizer files and manifest.json.

Shared by `export_vegart.py` (real weights) and `make_tiny_model.py` (random tiny weights) so both produce
exactly the same layout. The format is documented in docs/MODEL.md; the worker's ModelManifest reads it.
"""
import hashlib
import json
import os
import shutil

FORMAT_VERSION = 1
MAX_LENGTH = 77
# SDXL buckets, all multiples of 64; Vega RT is trained around 1024x1024.
SDXL_SIZES = [(1024, 1024), (1152, 896), (896, 1152), (1216, 832), (832, 1216), (1344, 768), (768, 1344)]
LCM_SCHEDULER = {
    "type": "lcm",
    "num_train_timesteps": 1000,
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "original_inference_steps": 50,
    "timestep_scaling": 10.0,
    "sigma_data": 0.5,
}


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ModelDirWriter:
    """Collects components and tokenizers, then writes manifest.json with every file's sha256."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.components = []
        self.tokenizers = []
        os.makedirs(out_dir, exist_ok=True)

    def save_component(self, name, scripted, device, dtype, **extra):
        """Saves a TorchScript module as `<device>/<name>.<dtype>.pt`; extra keys go into its manifest entry."""
        rel = f"{device}/{name}.{dtype}.pt"
        path = os.path.join(self.out_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        scripted.save(path)
        self.components.append({"name": name, "file": rel, "device": device, "dtype": dtype, **extra})

    def add_tokenizer(self, encoder, source_json, rel, pad_id):
        """Copies a tokenizer.json (unless already there) and declares it for `encoder` with its pad id."""
        path = os.path.join(self.out_dir, rel)
        if os.path.abspath(source_json) != os.path.abspath(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            shutil.copyfile(source_json, path)
        self.tokenizers.append({"encoder": encoder, "file": rel, "pad_id": pad_id, "max_length": MAX_LENGTH})

    def write_manifest(self, model, sizes, default_steps, max_steps, context_dims, pooled_dim,
                       vae_scaling_factor, latent_channels=4, vae_scale_factor=8):
        for entry in self.components + self.tokenizers:
            entry["sha256"] = sha256(os.path.join(self.out_dir, entry["file"]))
        manifest = {
            "format_version": FORMAT_VERSION,
            "model": model,
            "sizes": [{"width": w, "height": h} for w, h in sizes],
            "default_steps": default_steps,
            "max_steps": max_steps,
            "latent_channels": latent_channels,
            "vae_scale_factor": vae_scale_factor,
            "vae_scaling_factor": vae_scaling_factor,
            "text": {"max_length": MAX_LENGTH, "context_dims": list(context_dims), "pooled_dim": pooled_dim},
            "scheduler": LCM_SCHEDULER,
            "tokenizers": self.tokenizers,
            "components": self.components,
        }
        with open(os.path.join(self.out_dir, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
        return manifest
