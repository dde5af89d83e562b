#!/usr/bin/env python3
"""Collects the stage records of gpu/device-check.sh into ONE JSON file (written to a temp file, then moved).

Per stage: exit status, seconds, its timeout, the last lines of its log, and what the stage printed as
`RESULT {json}` lines. Also parsed: the JUnit console summary, TrainStepBench's MEAN lines, the weights listing,
the peak of the card's memory in use (nvidia-smi, polled every 250 ms) during each stage, the fit's progress
lines, and the ratio of our images/s to PyTorch eager's for each (dtype, batch).
"""
import argparse
import json
import os
import re
import time

MEAN = re.compile(r"\[(\w+)\] MEAN over (\d+) steps: synthesis ([\d.]+) s \| backbone ([\d.]+) s \(cpu ([\d.]+)\) \|"
                  r" prompt fwd\+bwd ([\d.]+) s \(cpu ([\d.]+)\) \| step ([\d.]+) s \(cpu ([\d.]+)\)")
JUNIT = re.compile(r"\[\s*(\d+) (tests? (?:successful|failed|skipped|aborted|found|started))\s*\]")


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--started", type=float, required=True)
    p.add_argument("--torch-version", default="")
    p.add_argument("--flavor", default="")
    a = p.parse_args()
    stages_dir = os.path.join(a.work, "stages")
    doc = {
        "what": "gpu/device-check.sh results (issue 14)",
        "mode": a.mode,
        "note": ("CPU rehearsal against Debian libtorch 1.13.1: no CUDA figure in this file"
                 if a.mode == "cpu" else "CUDA run on the lent device"),
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(a.started)),
        "total_s": round(time.time() - a.started, 1),
        "torch_version": a.torch_version,
        "pytorch_flavor": a.flavor,
        "stages": {},
        "results": [],
    }
    index = os.path.join(stages_dir, "index.tsv")
    for line in read(index).splitlines():
        name, rc, secs, limit = (line.split("\t") + ["", "", "", ""])[:4]
        log = read(os.path.join(stages_dir, name + ".log"))
        st = {"rc": int(rc) if rc.lstrip("-").isdigit() else rc, "seconds": float(secs or 0),
              "timeout_s": float(limit or 0), "timed_out": rc in ("124", "137"),
              "log_tail": log.splitlines()[-15:]}
        smi = [int(v) for v in read(os.path.join(stages_dir, name + ".smi")).split() if v.isdigit()]
        if smi:
            st["gpu_memory_used_mib_nvidia_smi"] = {"first": smi[0], "peak": max(smi), "last": smi[-1],
                                                     "samples": len(smi)}
        for l in log.splitlines():
            if l.startswith("RESULT "):
                try:
                    r = json.loads(l[len("RESULT "):])
                    r["stage"] = name
                    doc["results"].append(r)
                except ValueError:
                    st.setdefault("unparsed_results", []).append(l[:500])
        m = [x for x in JUNIT.findall(log)]
        if m:
            st["junit"] = {k.replace("tests ", "").replace("test ", ""): int(n) for n, k in m}
        means = []
        for g in MEAN.findall(log):
            means.append({"mode": g[0], "steps": int(g[1]), "synthesis_s": float(g[2]), "backbone_s": float(g[3]),
                          "prompt_fwd_bwd_s": float(g[5]), "step_s": float(g[7]), "step_cpu_s": float(g[8])})
        if means:
            st["train_step_means"] = means
        if name == "weights":
            st["caches"] = [l.split(" ", 2)[1:] for l in log.splitlines() if l.startswith("CACHE ")]
            st["weight_files"] = [{"bytes": int(l.split(" ", 2)[1]), "path": l.split(" ", 2)[2]}
                                  for l in log.splitlines() if l.startswith("WEIGHTS ")]
        if name == "env":
            st["lines"] = log.splitlines()[:30]
        prog = [l for l in log.splitlines() if l.startswith("PROGRESS ")]
        if prog:
            st["progress_last"] = prog[-1]
        doc["stages"][name] = st
    # ours / PyTorch eager, per (dtype, batch)
    ours = {(r["dtype"], r["batch"]): r for r in doc["results"]
            if r.get("bench") == "vision" and r.get("impl") == "mediclip-djl" and "images_per_s" in r}
    eager = {(r["dtype"], r["batch"]): r for r in doc["results"]
             if r.get("bench") == "vision" and str(r.get("impl", "")).startswith("pytorch-eager") and "images_per_s" in r}
    ratios = []
    for key in sorted(set(ours) & set(eager)):
        ratios.append({"dtype": key[0], "batch": key[1], "ours_images_per_s": round(ours[key]["images_per_s"], 2),
                       "eager_images_per_s": round(eager[key]["images_per_s"], 2), "eager_impl": eager[key]["impl"],
                       "ratio": round(ours[key]["images_per_s"] / eager[key]["images_per_s"], 3)})
    doc["vision_ratio_ours_over_eager"] = ratios
    tmp = a.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")
    os.replace(tmp, a.out)
    failed = [n for n, s in doc["stages"].items() if s["rc"] not in (0, "reused")]
    print(f"collect_results.py: wrote {a.out}: {len(doc['stages'])} stages, {len(doc['results'])} result rows,"
          f" not ok: {failed or 'none'}")
    for r in ratios:
        print(f"  vision {r['dtype']} batch {r['batch']}: ours {r['ours_images_per_s']} img/s,"
              f" eager {r['eager_images_per_s']} img/s, ratio {r['ratio']}")


if __name__ == "__main__":
    main()
