#!/usr/bin/env python3
"""Checks that a train stage's `model/` folder loads in HF transformers (model and tokenizer) and
computes what Trellis computes.

  scripts/oracles/check_hf_export.py MODEL_DIR TRELLIS_BINARY "one line of text"

1. AutoTokenizer.from_pretrained(MODEL_DIR) encodes the text to the same ids as `trellis tokenizer encode`.
2. AutoModelForCausalLM.from_pretrained(MODEL_DIR) gives the same last-position logits and loss as
   `trellis model forward` on those ids (max |Δlogit| < 1e-4, |Δloss| < 1e-4).
Prints one JSON line; exit status 0 when both hold. Needs torch and transformers (see hf_oracle.py).
"""
import json, os, subprocess, sys
import torch, transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

model_dir, trellis, text = sys.argv[1], sys.argv[2], sys.argv[3]
tok = AutoTokenizer.from_pretrained(model_dir)
hf_ids = tok(text)["input_ids"]
ours = subprocess.run([trellis, "tokenizer", "encode", "--tokenizer", os.path.join(model_dir, "tokenizer.json")],
                      input=text + "\n", capture_output=True, text=True, check=True).stdout
trellis_ids = [int(x) for x in ours.replace(",", " ").split()]
model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
ids = torch.tensor([hf_ids])
with torch.no_grad():
    out = model(input_ids=ids, labels=ids)
forward = json.loads(subprocess.run([trellis, "model", "forward", "--checkpoint", model_dir, "--ids", " ".join(map(str, hf_ids)), "--json"],
                                    capture_output=True, text=True, check=True).stdout)
dl = (out.logits[0, -1] - torch.tensor(forward["logits"])).abs().max().item()
dloss = abs(out.loss.item() - forward["loss"])
ok = hf_ids == trellis_ids and dl < 1e-4 and dloss < 1e-4
print(json.dumps({"transformers": transformers.__version__, "tokens": len(hf_ids), "ids_equal": hf_ids == trellis_ids,
                  "max_abs_logit_diff": dl, "loss_hf": out.loss.item(), "loss_trellis": forward["loss"], "ok": ok}))
sys.exit(0 if ok else 1)
