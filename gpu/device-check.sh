#!/usr/bin/env bash
# ONE prepared run on the lent GPU machine (issue 14), or its rehearsal on a CPU machine.
#
#   gpu/device-check.sh                   on the device: python3's torch (CUDA), writes $OUT/device-check.json
#   gpu/device-check.sh --cpu-rehearsal   here: Debian's libtorch-dev 1.13.1 (apt-get install libtorch-dev), small
#                                         sizes, the whole core test suite; writes gpu/work/out/device-check.json
#
# Needs gpu/carry/ (gpu/prepare-carry.sh): the jlink runtime, the JNI headers, DJL's JNI sources, the jars and the
# parity fixtures. The device call (see docs/gpu.md):
#   run(command="bash gpu/device-check.sh", carry=["gpu/carry"], timeout_s=540)
#
# Every stage has its own timeout and its own record (exit status, seconds, log tail), so one failure does not lose
# the rest; the stages' budgets add up to under 9 minutes. $OUT gets two files: device-check.json (the results) and
# device-check.log (every stage's full output).
#
# Environment for DJL (the route docs/gpu.md describes):
#   PYTORCH_LIBRARY_PATH  folder with libtorch.so (device: <python3 torch>/lib; rehearsal: a folder of links to
#                         Debian's libtorch.so, libtorch_cpu.so, libc10.so -- DJL loads EVERY library of that folder)
#   PYTORCH_VERSION       2.11.0 on the device (read from torch), 1.13.1 in the rehearsal
#   PYTORCH_FLAVOR        cu130 on the device (from torch.version.cuda), cpu in the rehearsal
#   DJL_OFFLINE=true      DJL never downloads; DJL_CACHE_DIR=<work>/djl-cache holds the JNI library at
#                         pytorch/<version>-<flavor>-linux-x86_64/0.36.0-libdjl_torch.so, where LibUtils looks for it
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARRY="$ROOT/gpu/carry"
MODE=cuda
STAGES=""
BUDGET=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cpu-rehearsal) MODE=cpu; shift ;;
    --stages) STAGES="$2"; shift 2 ;; # comma list to run only some stages (debugging)
    --budget-s) BUDGET="$2"; shift 2 ;; # whole-run budget; later stages are cut short or skipped to keep it
    *) echo "device-check.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
if [[ "$MODE" == cuda ]]; then
  OUT="${OUT:?device-check.sh: OUT is not set (the device tool sets it; use --cpu-rehearsal on a CPU machine)}"
  WORK="/tmp/mediclip-gpu"
else
  OUT="${OUT:-$ROOT/gpu/work/out}"
  WORK="$ROOT/gpu/work/rehearsal"
fi
mkdir -p "$OUT" "$WORK/stages"
LOG="$OUT/device-check.log"
[[ -z "$STAGES" ]] && : > "$LOG" # a --stages rerun appends to the log and to the stage index (last record wins)
T_START=$(date +%s)
# Default budget: 400 s on the device (call it with timeout_s=430): with a 1-2 min start that leaves about 5 minutes
# of the 15 for one rerun of the stages that failed (--stages a,b --budget-s 240, on the still-warm machine, where
# the JNI library built by the first run is reused). The stages are ordered by importance; the last ones give way.
[[ -z "$BUDGET" ]] && { [[ "$MODE" == cuda ]] && BUDGET=400 || BUDGET=3600; }
DEADLINE=$((T_START + BUDGET - 20)) # 20 s kept for collecting the results
export PYTHONUNBUFFERED=1
# the python that has torch: plain python3 on the device; Debian's /usr/bin/python3 (python3-torch) in a rehearsal
PY=python3
if ! python3 -c 'import torch' 2>/dev/null && /usr/bin/python3 -c 'import torch' 2>/dev/null; then PY=/usr/bin/python3; fi
want() { [[ -z "$STAGES" || ",$STAGES," == *",$1,"* ]]; }

# stage NAME TIMEOUT_S COMMAND...: runs the command with a timeout, records rc/seconds, appends its output to the
# log, and polls nvidia-smi for the card's memory in use while it runs (device mode).
stage() {
  local name="$1" limit="$2"; shift 2
  want "$name" || return 0
  local slog="$WORK/stages/$name.log" t0 t1 rc smi_pid="" left
  left=$((DEADLINE - $(date +%s)))
  if (( left < 15 )); then
    echo "=== stage $name SKIPPED: ${left}s left of the ${BUDGET}s budget" | tee -a "$LOG"
    printf '%s\t%s\t%s\t%s\n' "$name" skipped 0 0 >> "$WORK/stages/index.tsv"
    return 125
  fi
  (( limit > left )) && limit=$left
  echo "=== stage $name (timeout ${limit}s) $(date -u +%H:%M:%S)" | tee -a "$LOG"
  if [[ "$MODE" == cuda ]] && command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 250 > "$WORK/stages/$name.smi" 2>/dev/null &
    smi_pid=$!
  fi
  t0=$(date +%s.%N)
  timeout -k 10 "$limit" "$@" > "$slog" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  [[ -n "$smi_pid" ]] && kill "$smi_pid" 2>/dev/null && wait "$smi_pid" 2>/dev/null
  cat "$slog" >> "$LOG"
  printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')" "$limit" \
    >> "$WORK/stages/index.tsv"
  echo "=== stage $name: rc $rc in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s" | tee -a "$LOG"
  tail -n 5 "$slog"
  return $rc
}
[[ -z "$STAGES" ]] && : > "$WORK/stages/index.tsv"

# ---------------------------------------------------------------------------------------------------------------
# 0. the machine
stage env 60 bash -c '
  echo "mode '"$MODE"'"; uname -a; nproc; free -g | head -2; uptime
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used,clocks.sm,clocks.mem --format=csv
  command -v nvcc >/dev/null && nvcc --version | tail -2
  cmake --version | head -1; command -v ninja >/dev/null && echo "ninja $(ninja --version)"; g++ --version | head -1
  python3 -c "import sys,torch;print(\"python\",sys.version.split()[0],\"torch\",torch.__version__,\"cuda\",torch.version.cuda,\"available\",torch.cuda.is_available())" 2>&1
  python3 -c "import transformers;print(\"transformers\",transformers.__version__)" 2>&1 | tail -1
  df -h /tmp | tail -1'

# 1. the Java runtime
JRE="$WORK/jre"
stage unpack_jre 60 bash -c "rm -rf '$JRE' && mkdir -p '$WORK' && tar -xzf '$CARRY/jre.tar.gz' -C '$WORK' && '$JRE/bin/java' -version"

# 2. the libtorch to build against and to load
if [[ "$MODE" == cuda ]]; then
  TORCH_DIR="$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))' 2>/dev/null)"
  TORCH_VERSION="$(python3 -c 'import torch;print(torch.__version__.split("+")[0])' 2>/dev/null)"
  FLAVOR="cu$(python3 -c 'import torch;print((torch.version.cuda or "").replace(".",""))' 2>/dev/null)"
  TORCH_CMAKE="$TORCH_DIR/share/cmake/Torch"
  TORCH_LIB="$TORCH_DIR/lib"
  # libcudart for DJL's GPU count (JNA loads "cudart"): the pip CUDA runtime, else the toolkit's
  CUDART="$( (find "$(dirname "$TORCH_DIR")/nvidia" /usr/local/cuda/lib64 /usr/local/cuda/targets \
      -name 'libcudart.so*' 2>/dev/null; true) | head -1)"
  CUDART_DIR=""; [[ -n "$CUDART" ]] && CUDART_DIR="$(dirname "$CUDART")"
else
  # Debian's package version (1.13.1+dfsg-4); its CMake files say 1.13.0
  TORCH_VERSION="$(dpkg-query -W -f='${Version}' libtorch-dev 2>/dev/null | sed 's/[+~-].*//')"
  FLAVOR=cpu
  TORCH_CMAKE=/usr/lib/x86_64-linux-gnu/cmake/Torch
  TORCH_LIB="$WORK/libtorch"
  rm -rf "$TORCH_LIB"; mkdir -p "$TORCH_LIB"
  for l in libtorch.so libtorch_cpu.so libc10.so; do ln -s "/usr/lib/x86_64-linux-gnu/$l" "$TORCH_LIB/$l"; done
  CUDART_DIR=""
fi
echo "torch $TORCH_VERSION flavor $FLAVOR cmake $TORCH_CMAKE lib $TORCH_LIB cudart ${CUDART_DIR:-none}" | tee -a "$LOG"

# 3. DJL's JNI library from source, against that libtorch; CMake first, plain g++ if CMake's Torch config fails
JNI="$WORK/jni/libdjl_torch.so"
PATCHES=()
for p in "$ROOT"/gpu/patches/*.patch; do [[ -f "$p" ]] && PATCHES+=(--patch "$p"); done
JOBS="$(nproc)"
BUILD=("$ROOT/gpu/build-jni.sh" --torch-cmake "$TORCH_CMAKE" --torch-version "$TORCH_VERSION"
       --jni-include "$CARRY/jni-include" --djl-src "$CARRY/djl-src" --jvm "$JRE" --jobs "$JOBS" --out "$JNI"
       ${PATCHES[@]+"${PATCHES[@]}"})
if [[ -f "$JNI" && "${REBUILD_JNI:-0}" != 1 ]] && { [[ -z "$STAGES" ]] || ! want build_jni_cmake; }; then
  echo "=== reusing $JNI from an earlier run on this machine (REBUILD_JNI=1 rebuilds)" | tee -a "$LOG"
  printf '%s\t%s\t%s\t%s\n' build_jni_cmake reused 0 0 >> "$WORK/stages/index.tsv"
else
rm -f "$JNI"
# Fallbacks, each recorded as its own stage: when DJL's legacy-profiler code does not compile against this torch
# (the one part of the JNI sources most likely to have moved since 2.7.1), the same build without it
# (gpu/patches-fallback/no-legacy-profiler.patch: startProfile/stopProfile then throw); when Torch's CMake config
# itself fails (CUDA toolkit lookup), plain g++ against torch/include and torch/lib.
NOPROF=(--patch "$ROOT/gpu/patches-fallback/no-legacy-profiler.patch")
profiler_failed() { grep -q 'PyTorchLibrary_system.cc.*error' "$WORK/stages/$1.log" 2>/dev/null; }
if ! stage build_jni_cmake 300 "${BUILD[@]}" --build-dir "$WORK/jni-build-cmake" --mode cmake; then
  if profiler_failed build_jni_cmake; then
    stage build_jni_cmake_noprof 240 "${BUILD[@]}" "${NOPROF[@]}" --build-dir "$WORK/jni-build-cmake2" --mode cmake
  elif ! grep -q 'Build files have been written' "$WORK/stages/build_jni_cmake.log"; then
    stage build_jni_direct 240 "${BUILD[@]}" --build-dir "$WORK/jni-build-direct" --mode direct \
      || { profiler_failed build_jni_direct && stage build_jni_direct_noprof 200 "${BUILD[@]}" "${NOPROF[@]}" \
             --build-dir "$WORK/jni-build-direct2" --mode direct; }
  fi
fi
fi
stage jni_ldd 20 bash -c "ls -la '$JNI' && ldd '$JNI' | grep -E 'torch|c10|cuda|not found'"
DJL_CACHE="$WORK/djl-cache"
JNI_DIR="$DJL_CACHE/pytorch/$TORCH_VERSION-$FLAVOR-linux-x86_64"
mkdir -p "$JNI_DIR"
[[ -f "$JNI" ]] && cp "$JNI" "$JNI_DIR/0.36.0-libdjl_torch.so"

export PYTORCH_LIBRARY_PATH="$TORCH_LIB" PYTORCH_VERSION="$TORCH_VERSION" PYTORCH_FLAVOR="$FLAVOR"
export DJL_OFFLINE=true DJL_CACHE_DIR="$DJL_CACHE" OMP_WAIT_POLICY=PASSIVE
# float32 means float32: no TF32 in cuBLAS or cuDNN for any stage (the eager baseline sets torch's flags too)
export NVIDIA_TF32_OVERRIDE=0
[[ -n "$CUDART_DIR" ]] && export LD_LIBRARY_PATH="$CUDART_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
CP="$CARRY/lib/*"
JOPTS=(-Xmx16g -Dai.djl.offline=true -Djava.awt.headless=true -Dmediclip.shared.dir="$CARRY"
       -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${CUDART_DIR:+-Djna.library.path=$CUDART_DIR})
[[ "$MODE" == cpu ]] && JOPTS[0]=-Xmx3g
J=("$JRE/bin/java" "${JOPTS[@]}" -cp "$CP")
DEV=gpu; [[ "$MODE" == cpu ]] && DEV=cpu
BPE="$CARRY/parity/bpe_simple_vocab_16e6.txt.gz"

# 4. DJL loads the library; GPU count; then the tests
stage engine 60 "${J[@]}" io.github.mediclip.bench.gpu.EngineInfo
# 4b. pretrained weights already on this disk (seconds; early, so that a short run still has it)
stage weights 40 bash -c '
  for d in "${HF_HOME:-$HOME/.cache/huggingface}" "${TORCH_HOME:-$HOME/.cache/torch}" "$HOME/.cache/clip" \
           "$HOME/.cache/open_clip" "${XDG_CACHE_HOME:-$HOME/.cache}" /root/.cache /opt /models /data; do
    [[ -d "$d" ]] && echo "CACHE $d $(du -sb "$d" 2>/dev/null | cut -f1)"
  done
  find / -xdev \( -path /proc -o -path /sys -o -path /dev \) -prune -o -type f \
    \( -name "*.safetensors" -o -name "*.pt" -o -name "*.pth" -o -name "*.bin" -o -name "*.ckpt" \) -size +100M \
    -printf "WEIGHTS %s %p\n" 2>/dev/null | sort -k2 -n -r | head -50'

TEST_ARGS=(org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=summary
           --scan-class-path "$(ls "$CARRY"/lib/mediclip-core-*-tests.jar)" --reports-dir "$WORK/junit")
if [[ "$MODE" == cuda ]]; then
  stage tests_gpu 120 "${J[@]}" "${TEST_ARGS[@]}" --include-tag gpu --include-tag parity
else
  stage tests_core 900 "${J[@]}" "${TEST_ARGS[@]}"
fi

# 5. parity on the device in float32 (TF32 off), float16 deviation
stage parity 90 "${J[@]}" io.github.mediclip.bench.gpu.CudaParityBench --fixture "$CARRY/parity/tiny-clip-64" --device "$DEV"

# 6. inference: ours and PyTorch eager, same model, batches, dtypes
if [[ "$MODE" == cuda ]]; then
  VB=(--model ViT-L-14 --dtypes float32,float16 --batches 1,8,64 --layers 12,18,24 --seconds 3 --warmup 3)
  stage vision_java 120 "${J[@]}" io.github.mediclip.bench.gpu.GpuVisionBench --device gpu "${VB[@]}"
  stage vision_eager 120 "$PY" "$ROOT/gpu/eager_vit.py" --device cuda "${VB[@]}"
else
  VB=(--model ViT-B-16 --dtypes float32 --batches 1,2 --layers 6,9,12 --seconds 2 --warmup 1)
  stage vision_java 240 "${J[@]}" io.github.mediclip.bench.gpu.GpuVisionBench --device cpu "${VB[@]}"
  stage vision_eager 240 "$PY" "$ROOT/gpu/eager_vit.py" --device cpu "${VB[@]}"
fi

# 7. training: step time, then one full fit and 2,000 predictions
if [[ "$MODE" == cuda ]]; then
  stage trainstep_b16 90 "${J[@]}" io.github.mediclip.bench.train.TrainStepBench --device gpu --model ViT-B-16 --batch 8 \
    --steps 5 --warmup 2 --bpe "$BPE" --modes reference,fast
  stage fit_l14 200 "${J[@]}" io.github.mediclip.bench.gpu.GpuFitBench --device gpu --model ViT-L-14 --shots 16 \
    --normals 24 --epochs 200 --batch 8 --predictions 2000
  stage trainstep_l14 120 "${J[@]}" io.github.mediclip.bench.train.TrainStepBench --device gpu --model ViT-L-14 --batch 8 \
    --steps 5 --warmup 2 --bpe "$BPE" --modes reference,fast
else
  stage trainstep_tiny 240 "${J[@]}" io.github.mediclip.bench.train.TrainStepBench --device cpu --model tiny --batch 2 \
    --steps 1 --warmup 1 --bpe "$BPE" --modes fast
  stage fit_tiny 300 "${J[@]}" io.github.mediclip.bench.gpu.GpuFitBench --device cpu --model tiny --shots 4 --normals 6 \
    --epochs 2 --batch 2 --predictions 40 --mixed-precision false
fi

# ---------------------------------------------------------------------------------------------------------------
"$PY" "$ROOT/gpu/collect_results.py" --mode "$MODE" --work "$WORK" --out "$OUT/device-check.json" \
  --started "$T_START" --torch-version "$TORCH_VERSION" --flavor "$FLAVOR" 2>&1 | tee -a "$LOG"
echo "device-check.sh: total $(( $(date +%s) - T_START )) s" | tee -a "$LOG"
