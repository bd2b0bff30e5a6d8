#!/usr/bin/env bash
# Expected outputs of the shipped default model (app/src/main/resources/default-model) from an independent
# numpy implementation of Hugging Face Mixtral semantics with its own tokenizer: prompt ids, logits over the
# whole vocabulary at the last prompt position and 16 greedy tokens. The reference is not part of this
# repository (it must stay independent of the code it checks); its folder holds ref_mixtral.py and needs
# python3 + numpy. Run from the project root after retraining the default model:
#   bash app/src/test/resources/default-model-reference/regenerate.sh REFERENCE_DIR
set -euo pipefail
usage="usage: $0 REFERENCE_DIR   (the folder holding the numpy reference's ref_mixtral.py)"
if [[ $# -ne 1 ]]; then echo "$usage" >&2; exit 2; fi
ref="$(cd "$1" && pwd)"
if [[ ! -f "$ref/ref_mixtral.py" ]]; then echo "$ref has no ref_mixtral.py; $usage" >&2; exit 2; fi
here="$(cd "$(dirname "$0")" && pwd)"
model="$here/../../../main/resources/default-model"
expect() { # name prompt-text (BOS is prepended by the reference, as the chat template does)
  python3 "$ref/ref_mixtral.py" "$model" --prompt "$2" --tokens 16 --logits full | grep -v '"event": *"load"' > "$here/$1.jsonl"
}
expect chat '[INST] What is 12 + 30? [/INST]'
expect english 'The whale rose slowly from the sea and'
expect spanish 'Y respondió el rey, y dijo:'
expect code 'public final class JsonReader implements Closeable {'
expect data '[{"year":1969,"births":'
