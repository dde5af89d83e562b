#!/usr/bin/env python3
"""PyTorch eager baseline for GpuVisionBench: a CLIP ViT vision tower with random weights, returning the hidden
states of the requested layers, timed the same way (warm-up calls, then calls until --seconds have passed, each
call waiting for the device).

Implementation: transformers.CLIPVisionModel with a ViT-L/14 (or ViT-B/16) config, output_hidden_states=True,
when the transformers package imports; otherwise (or with --impl handwritten) a hand-written torch ViT with the same
architecture (pre-LN blocks, QuickGELU, class token, ln_pre), reported as impl "pytorch-eager-handwritten".

Prints one line per row: RESULT {json}, with the same fields as the Java bench.

    python3 gpu/eager_vit.py [--model ViT-L-14] [--device cuda] [--dtypes float32,float16] [--batches 1,8,64]
        [--layers 12,18,24] [--seconds 3] [--warmup 2] [--impl auto|transformers|handwritten]
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PRESETS = {
    # width, layers, heads, patch, image, mlp
    "ViT-L-14": (1024, 24, 16, 14, 224, 4096),
    "ViT-B-16": (768, 12, 12, 16, 224, 3072),
    "tiny": (64, 6, 4, 8, 64, 256),
}


def quick_gelu(x):
    return x * torch.sigmoid(1.702 * x)


class Block(nn.Module):
    def __init__(self, width, heads, mlp):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(width)
        self.in_proj = nn.Linear(width, 3 * width)
        self.out_proj = nn.Linear(width, width)
        self.ln_2 = nn.LayerNorm(width)
        self.c_fc = nn.Linear(width, mlp)
        self.c_proj = nn.Linear(mlp, width)

    def forward(self, x):
        b, n, w = x.shape
        q, k, v = self.in_proj(self.ln_1(x)).reshape(b, n, 3, self.heads, w // self.heads).permute(2, 0, 3, 1, 4)
        if hasattr(F, "scaled_dot_product_attention"):
            a = F.scaled_dot_product_attention(q, k, v)
        else:  # torch < 2.0
            a = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(w // self.heads), dim=-1) @ v
        x = x + self.out_proj(a.transpose(1, 2).reshape(b, n, w))
        return x + self.c_proj(quick_gelu(self.c_fc(self.ln_2(x))))


class HandwrittenViT(nn.Module):
    """CLIP's vision tower up to the last requested block (hidden states of the residual stream)."""

    def __init__(self, width, layers, heads, patch, image, mlp):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, patch, patch, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(width) * 0.02)
        self.positional_embedding = nn.Parameter(torch.randn((image // patch) ** 2 + 1, width) * 0.01)
        self.ln_pre = nn.LayerNorm(width)
        self.blocks = nn.ModuleList([Block(width, heads, mlp) for _ in range(layers)])

    def forward(self, x, out_layers):
        x = self.conv1(x).flatten(2).transpose(1, 2)
        cls = self.class_embedding.to(x.dtype).expand(x.shape[0], 1, -1)
        x = self.ln_pre(torch.cat([cls, x], dim=1) + self.positional_embedding.to(x.dtype))
        outs = []
        for i, blk in enumerate(self.blocks, start=1):
            x = blk(x)
            if i in out_layers:
                outs.append(x)
            if i == max(out_layers):
                break
        return outs


def build(model, impl, device, dtype):
    width, layers, heads, patch, image, mlp = PRESETS[model]
    info = {}
    if impl in ("auto", "transformers"):
        try:
            import transformers
            from transformers import CLIPVisionConfig, CLIPVisionModel

            cfg = CLIPVisionConfig(hidden_size=width, intermediate_size=mlp, num_hidden_layers=layers,
                                   num_attention_heads=heads, image_size=image, patch_size=patch,
                                   hidden_act="quick_gelu", projection_dim=768 if width == 1024 else 512)
            torch.manual_seed(0)
            m = CLIPVisionModel(cfg).to(device=device, dtype=dtype).eval()
            info = {"impl": "pytorch-eager-transformers", "transformers_version": transformers.__version__,
                    "attn_implementation": getattr(m.config, "_attn_implementation", None)}

            def fwd(x, out_layers):
                hs = m(pixel_values=x, output_hidden_states=True).hidden_states
                return [hs[i] for i in out_layers]  # hidden_states[0] is the embedding output, [i] after block i

            return fwd, info, image
        except ImportError as e:
            if impl == "transformers":
                raise
            info["transformers_import_error"] = str(e)
    torch.manual_seed(0)
    m = HandwrittenViT(width, layers, heads, patch, image, mlp).to(device=device, dtype=dtype).eval()
    info["impl"] = "pytorch-eager-handwritten"
    info["attention"] = "sdpa" if hasattr(F, "scaled_dot_product_attention") else "matmul-softmax"
    return m, info, image


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="ViT-L-14", choices=sorted(PRESETS))
    p.add_argument("--device", default="cuda")
    p.add_argument("--dtypes", default="float32,float16")
    p.add_argument("--batches", default="1,8,64")
    p.add_argument("--layers", default="")
    p.add_argument("--seconds", type=float, default=3)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--impl", default="auto", choices=["auto", "transformers", "handwritten"])
    a = p.parse_args()
    device = torch.device(a.device)
    n_layers = PRESETS[a.model][1]
    out_layers = [int(v) for v in a.layers.split(",")] if a.layers else [n_layers // 2, 3 * n_layers // 4, n_layers]
    if device.type == "cuda":
        # true float32 on both sides of the comparison (the Java run sets NVIDIA_TF32_OVERRIDE=0 as well)
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    print(f"torch {torch.__version__}, device {device}"
          + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else "")
          + f", model {a.model}, layers {out_layers}", flush=True)
    for dt in a.dtypes.split(","):
        dtype = getattr(torch, dt.strip())
        fwd, info, image = build(a.model, a.impl, device, dtype)
        for b in [int(v) for v in a.batches.split(",")]:
            row = {"bench": "vision", **info, "model": a.model, "device": str(device), "dtype": dt.strip(),
                   "batch": b, "image_size": image, "layers": out_layers, "torch_version": torch.__version__}
            try:
                x = torch.randn(b, 3, image, image, device=device, dtype=dtype)
                if device.type == "cuda":
                    torch.cuda.reset_peak_memory_stats(device)
                with torch.inference_mode():
                    for _ in range(a.warmup):
                        fwd(x, out_layers)[-1][0, 0, 0].item()
                    sync(device)
                    calls, best, start = 0, float("inf"), time.perf_counter()
                    while calls < 3 or time.perf_counter() - start < a.seconds:
                        t0 = time.perf_counter()
                        fwd(x, out_layers)[-1][0, 0, 0].item()  # .item() waits for the device
                        best = min(best, time.perf_counter() - t0)
                        calls += 1
                    total = time.perf_counter() - start
                row.update(images_per_s=b * calls / total, images_per_s_best_call=b / best,
                           ms_per_call=1e3 * total / calls, calls=calls)
                if device.type == "cuda":
                    row["torch_max_memory_allocated_mib"] = torch.cuda.max_memory_allocated(device) / 2**20
                    row["torch_memory_reserved_mib"] = torch.cuda.memory_reserved(device) / 2**20
            except Exception as e:  # noqa: BLE001 -- report and go on with the next row
                row["error"] = repr(e)
            print("RESULT " + json.dumps(row), flush=True)
        del fwd
        if device.type == "cuda":
            torch.cuda.empty_cache()


if __name__ == "__main__":
    sys.exit(main())
