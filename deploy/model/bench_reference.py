#!/usr/bin/python3
"""Times the Python reference pipeline stage by stage over a model directory, like the Java benchmark
(dev.vegart.worker.bench.PipelineBenchmark, `./vegart bench pipeline`), and prints the Java/Python ratio per stage
when the Java result file is given.

  /usr/bin/python3 deploy/model/bench_reference.py --model-dir models/tiny-random --device cpu \\
      --batch-sizes 1,4,8 --steps 4 --size 1024x1024 [--java bench-results/pipeline.json]

Stages (medians, ms): tokenize (this directory's pure-Python CLIP tokenizer), text (both encoders), unet step (one
UNet call + the LCM update, mean over steps), decode (to uint8 HWC on the host), encode (PNG/JPEG/WebP with Pillow, per
image), end to end. On CUDA every stage ends with torch.cuda.synchronize(). Writes bench-results/pipeline-python.json.
"""
import argparse
import io
import json
import os
import platform
import statistics
import time

import torch

from reference import ReferencePipeline

PROMPTS = [
    "portrait of an old sailor, oil painting, dramatic light",
    "a photo of a cat on a windowsill",
    "a red fox in the snow at dawn, telephoto",
    "isometric city block at night, neon, rain",
]
STAGES = ["tokenize_ms", "text_ms", "unet_step_ms", "decode_ms", "encode_ms_per_image", "end_to_end_ms"]


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


@torch.no_grad()
def once(ref, args, batch, width, height):
    from PIL import Image
    prompts = [f"{PROMPTS[i % len(PROMPTS)]} #{i}" for i in range(batch)]
    seeds = [1000 + i for i in range(batch)]
    dev = ref.device
    start = time.perf_counter()
    ids = (ref.tokens(prompts, "text_encoder"), ref.tokens(prompts, "text_encoder_2"))
    tokenize = time.perf_counter() - start
    t = time.perf_counter()
    context, pooled = ref.encode_text(prompts, ids)
    sync(dev)
    text = time.perf_counter() - t
    t = time.perf_counter()
    shape = (1, ref.manifest["latent_channels"], height // ref.factor, width // ref.factor)
    gens = [torch.Generator("cpu").manual_seed(s) for s in seeds]
    x = torch.cat([torch.randn(shape, generator=g) for g in gens]).to(dev)
    time_ids = torch.tensor([[height, width, 0, 0, height, width]] * batch, dtype=torch.float32, device=dev)
    ts = ref.scheduler.timesteps(args.steps)
    for i, step in enumerate(ts):
        eps = ref.unet(x, torch.full((batch,), float(step), device=dev), context, pooled, time_ids)
        nxt = ts[i + 1] if i + 1 < len(ts) else None
        noise = None if nxt is None else torch.cat([torch.randn(shape, generator=g) for g in gens]).to(dev)
        x = ref.scheduler.step(eps, step, x, nxt, noise)
    sync(dev)
    unet = (time.perf_counter() - t) / len(ts)
    t = time.perf_counter()
    images = ref.decode(x, args.decoder)
    decode = time.perf_counter() - t
    t = time.perf_counter()
    fmt = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}[args.format]
    for img in images:
        buf = io.BytesIO()
        Image.fromarray(img.numpy()).save(buf, fmt, **({} if fmt == "PNG" else {"quality": 90}))
    encode = (time.perf_counter() - t) / batch
    total = time.perf_counter() - start
    return [v * 1000 for v in (tokenize, text, unet, decode, encode, total)]


def ratio_table(java, python):
    rows = {r["batch_size"]: r for r in java["results"]}
    lines = ["| batch | " + " | ".join(s.replace("_", " ") + " J/P" for s in STAGES) + " |",
             "|---|" + "---|" * len(STAGES)]
    for p in python["results"]:
        j = rows.get(p["batch_size"])
        if j:
            java_keys = ["tokenize_ms", "text_ms", "unet_step_ms", "decode_ms", "encode_ms_per_image", "end_to_end_ms"]
            lines.append(f"| {p['batch_size']} | " + " | ".join(
                f"{j[k] / p[s]:.2f}" for k, s in zip(java_keys, STAGES)) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--batch-sizes", default="1,4,8")
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--size", default="1024x1024")
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--decoder", default="full", choices=["full", "fast"])
    ap.add_argument("--format", default="png", choices=["png", "jpeg", "webp"])
    ap.add_argument("--out", default="bench-results/pipeline-python.json")
    ap.add_argument("--java", help="the Java benchmark's JSON, to print Java/Python ratios")
    ap.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch's default)")
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    width, height = (int(v) for v in args.size.lower().split("x"))
    t = time.perf_counter()
    ref = ReferencePipeline(args.model_dir, args.device)
    load_ms = (time.perf_counter() - t) * 1000
    results = []
    for batch in (int(b) for b in args.batch_sizes.split(",")):
        for _ in range(args.warmup):
            once(ref, args, batch, width, height)
        runs = [once(ref, args, batch, width, height) for _ in range(args.iterations)]
        med = [statistics.median(col) for col in zip(*runs)]
        row = {"batch_size": batch, **dict(zip(STAGES, med)), "images_per_second": batch * 1000 / med[-1]}
        results.append(row)
    device_name = torch.cuda.get_device_name(ref.device) if ref.device.type == "cuda" else "cpu"
    report = {"implementation": "python", "machine": {
        "os": f"{platform.system()} {platform.machine()}", "cpu": cpu_model(), "cores": os.cpu_count(),
        "python": platform.python_version(), "device": f"{args.device} ({device_name})",
        "engine": f"torch {torch.__version__}", "threads": torch.get_num_threads()},
        "model_dir": args.model_dir, "model": ref.manifest["model"],
        "dtypes": {k: str(v).replace("torch.", "") for k, v in ref.dtypes.items()},
        "width": width, "height": height, "steps": args.steps, "decoder": args.decoder, "format": args.format,
        "load_ms": load_ms, "results": results}
    m = report["machine"]
    print(f"python pipeline, model {report['model']} ({args.model_dir}), {width}x{height}, {args.steps} steps, "
          f"decoder {args.decoder}, {args.format}")
    print(f"machine: {m['os']}, {m['cpu']}, {m['cores']} cores, Python {m['python']}, device {m['device']}, "
          f"{m['engine']} ({m['threads']} threads); load {load_ms:.0f} ms")
    print("| batch | tokenize ms | text ms | unet step ms | decode ms | encode ms/img | end-to-end ms | images/s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['batch_size']} | {r['tokenize_ms']:.2f} | {r['text_ms']:.1f} | {r['unet_step_ms']:.1f} | "
              f"{r['decode_ms']:.1f} | {r['encode_ms_per_image']:.1f} | {r['end_to_end_ms']:.1f} | "
              f"{r['images_per_second']:.2f} |")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)
    print(f"wrote {args.out}")
    if args.java and os.path.exists(args.java):
        print("Java / Python time ratio per stage (< 1: Java faster)")
        print(ratio_table(json.load(open(args.java)), report))


if __name__ == "__main__":
    main()
