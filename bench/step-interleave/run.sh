#!/usr/bin/env bash
# Decode step time of several commits at several batch sizes, measured in one JVM, alternating build by build, so that
# the ratios hold on a shared, noisy machine (docs/PERFORMANCE.md#batch-scaling).
#
#   bench/step-interleave/run.sh CHECKPOINT BATCHES ROUNDS COMMIT[=LABEL]...
#
# e.g. bench/step-interleave/run.sh /tmp/small 1,4,16 7 cfb5dd9=before HEAD=after
#
# Each commit's runtime (router-service, expert-spi, expert-swiglu and, where it exists, cpu-kernels) is built from
# `git archive` in a scratch folder with the offline Maven wrapper; DJL and the other libraries come from the checkout's
# own dependency list (every measured commit must use the same DJL). The first commit is the baseline of the ratios.
# JAVA_FLAGS go to java (default: the Vector API module and one PyTorch thread; add -Dswitchboard.java-kernels=false to
# measure the PyTorch path of builds that have the Java kernels). Prompts have 34 tokens; each measurement is the
# median of 48 decode steps.
set -euo pipefail

if [[ $# -lt 4 ]]; then
  echo "usage: bench/step-interleave/run.sh CHECKPOINT BATCHES ROUNDS COMMIT[=LABEL]..." >&2
  exit 2
fi
checkpoint=$1; batches=$2; rounds=$3; shift 3
[[ -f $checkpoint/config.json ]] || { echo "no checkpoint at $checkpoint (config.json missing)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java_flags=${JAVA_FLAGS:---add-modules jdk.incubator.vector -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}

(cd "$repo" && ./mvnw -o -q -pl router-service dependency:build-classpath -Dmdep.outputFile="$work/libraries.txt" >/dev/null)
shared=$(tr ':' '\n' < "$work/libraries.txt" | grep -v '/dev/switchboard/' | paste -sd:)
mkdir -p "$work/shared" && javac -d "$work/shared" "$here/Interleave.java"

builds=()
for spec in "$@"; do
  commit=${spec%%=*}; label=${spec#*=}; [[ $spec == *=* ]] || label=$commit
  src="$work/src-$label"; mkdir -p "$src"
  (cd "$repo" && git archive "$commit") | tar -x -C "$src"
  modules=router-service,expert-plugins/expert-swiglu
  (cd "$src" && ./mvnw -o -q -pl "$modules" -am package -DskipTests >/dev/null)
  classes=$(ls -d "$src"/router-service/target/classes "$src"/expert-plugins/*/target/classes | paste -sd:)
  mkdir -p "$work/bench-$label" && javac -d "$work/bench-$label" -cp "$classes:$shared" "$here/StepBench.java"
  builds+=("$label=$work/bench-$label:$classes")
done
echo "# $(date -u '+%F %T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
# shellcheck disable=SC2086
java $java_flags -cp "$work/shared:$shared" Interleave "$checkpoint" "$batches" 34 48 "$rounds" "${builds[@]}" 2>/dev/null \
  | grep -E '^(round|  |[^ ].* batch )'
