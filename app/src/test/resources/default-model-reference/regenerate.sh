#!/usr/bin/env bash
# Expected outputs of the shipped default model (app/src/main/resources/default-model) from the independent
# numpy reference (../shared/reference/ref_mixtral.py, Hugging Face Mixtral semantics, its own tokenizer):
# prompt ids, logits over the whole vocabulary at the last prompt position and 16 greedy tokens.
# Run from the project root after retraining the default model:
#   bash app/src/test/resources/default-model-reference/regenerate.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ref="${REFERENCE_DIR:-$here/../../../../../../shared/reference}"
model="$here/../../../main/resources/default-model"
expect() { # name prompt-text (BOS is prepended by the reference, as the chat template does)
  python3 "$ref/ref_mixtral.py" "$model" --prompt "$2" --tokens 16 --logits full | grep -v '"event": *"load"' > "$here/$1.jsonl"
}
expect chat '[INST] What is 12 + 30? [/INST]'
expect prose 'The router sends every token to'
expect code 'public final class ExpertTable {'
