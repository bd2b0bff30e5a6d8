#!/usr/bin/env bash
# Batch-1 decode of Switchboard's `bench` against a numpy reference forward on the same checkpoint, run
# alternately so that both see the same machine load; prints each pair and the ratio (Switchboard / reference).
#
#   bench/compare.sh REFERENCE_SCRIPT CHECKPOINT [PAIRS] [STEPS]
#
# REFERENCE_SCRIPT is a numpy forward with ref_mixtral.py's interface: `python3 SCRIPT DIR --prompt-ids IDS
# --tokens N --logits none` printing a JSON line with "decode_step_ms_median". CHECKPOINT is a Mixtral folder
# (e.g. from `java -jar app/target/switchboard.jar make-checkpoint --size medium`). The jar is
# app/target/switchboard.jar unless SWITCHBOARD_JAR says otherwise; JAVA_FLAGS are passed to java (default: the
# Vector API module the kernels use, and one PyTorch intra-op thread, which decoded fastest with the kernels in
# docs/PERFORMANCE.md). Both decode the same 8-token prompt; the median step counts. 256 steps by default: with fewer,
# the JIT is still compiling the Java decode path for part of them and the median step is not the one a warm server
# runs (docs/PERFORMANCE.md: 0.60x of numpy at 32 steps, 0.94x at 128, 1.02x at 256 on the same machine).
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: bench/compare.sh REFERENCE_SCRIPT CHECKPOINT [PAIRS (3)] [STEPS (256)]" >&2
  exit 2
fi
reference=$1
checkpoint=$2
pairs=${3:-3}
steps=${4:-256}
jar=${SWITCHBOARD_JAR:-$(dirname "$0")/../app/target/switchboard.jar}
java_flags=${JAVA_FLAGS:---add-modules jdk.incubator.vector -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}
prompt=1,5,9,300,42,7,11,13

[[ -f $reference ]] || { echo "no reference script at $reference" >&2; exit 2; }
[[ -f $checkpoint/config.json ]] || { echo "no checkpoint at $checkpoint (config.json missing)" >&2; exit 2; }
[[ -f $jar ]] || { echo "no jar at $jar: build it with ./mvnw -DskipTests package, or set SWITCHBOARD_JAR" >&2; exit 2; }

switchboard_ms() {
  # bench prints a Markdown row "| 1 | prefill | decode tokens/s | step ms | % |" for batch 1.
  # shellcheck disable=SC2086
  java $java_flags -jar "$jar" bench --model "$checkpoint" --batches 1 --prompt-tokens 8 --steps "$steps" --rounds 1 2>/dev/null \
    | awk -F'|' '$2 ~ /^ *1 *$/ { gsub(/ /, "", $5); print $5 }'
}

reference_ms() {
  python3 "$reference" "$checkpoint" --prompt-ids "$prompt" --tokens $((steps + 1)) --logits none \
    | python3 -c 'import json, sys; print([json.loads(l) for l in sys.stdin if "decode_step_ms_median" in l][-1]["decode_step_ms_median"])'
}

echo "| pair | load (1 min) | Switchboard step (ms) | reference step (ms) | Switchboard / reference speed |"
echo "|---|---|---|---|---|"
ratios=()
for ((pair = 1; pair <= pairs; pair++)); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  if ((pair % 2)); then ours=$(switchboard_ms); theirs=$(reference_ms); else theirs=$(reference_ms); ours=$(switchboard_ms); fi
  [[ -n $ours ]] || { echo "bench printed no batch-1 row; run it alone to see why: java $java_flags -jar $jar bench --model $checkpoint --batches 1 --prompt-tokens 8" >&2; exit 1; }
  [[ -n $theirs ]] || { echo "the reference printed no decode_step_ms_median; run it alone: python3 $reference $checkpoint --prompt-ids $prompt --tokens 2 --logits none" >&2; exit 1; }
  ratio=$(python3 -c "print(f'{$theirs / $ours:.2f}')")
  ratios+=("$ratio")
  echo "| $pair | $load | $ours | $theirs | ${ratio}x |"
done
python3 -c "import statistics, sys; print(f'median ratio over {len(sys.argv) - 1} pairs: {statistics.median(map(float, sys.argv[1:])):.2f}x')" "${ratios[@]}"
