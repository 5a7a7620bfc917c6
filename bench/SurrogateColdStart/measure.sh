#!/usr/bin/env bash
# Published folder size and cold start (process start → first prediction printed; the apps exit right after it) of the
# damped-oscillator surrogate consumer with TorchSharp (bench/SurrogateColdStart) and without (examples/SurrogateLiteConsumer).
# Usage: bench/SurrogateColdStart/measure.sh [runs=5]   (from the repository root; publishes to a temporary folder)
set -euo pipefail
runs=${1:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet publish bench/SurrogateColdStart -c Release -o "$out/torch" --nologo -v quiet >/dev/null
dotnet publish examples/SurrogateLiteConsumer -c Release -o "$out/lite" --nologo -v quiet >/dev/null
measure() {   # name, dll, args
  local times=()
  for _ in $(seq "$runs"); do
    local start end line
    start=$(date +%s%N)
    line=$(dotnet "$2" $3 | head -1)
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  local sorted median
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-22s %8s MB %6s files  cold start median %5s ms (runs: %s)  %s\n' "$1" \
    "$(du -sm "$(dirname "$2")" | cut -f1)" "$(find "$(dirname "$2")" -type f | wc -l)" "$median" "$(echo $sorted | tr ' ' ',')" "$line"
}
measure "TorchSharp surrogate" "$out/torch/SurrogateColdStart.dll" ""
measure "libtorch-free (Lite)" "$out/lite/SurrogateLiteConsumer.dll" "--first-only"
