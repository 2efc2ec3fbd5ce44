#!/usr/bin/env python3
"""Loads a Trellis-written checkpoint directory in HF transformers and compares logits and loss
with the values Trellis recorded in DIR/trellis_expected.json.

  .build/release/engine-bench export-checkpoint /tmp/trellis-ckpt
  .venv/bin/python scripts/oracles/verify_trellis_checkpoint.py /tmp/trellis-ckpt

Exit status 0 when max |logit difference| < 1e-4 and |loss difference| < 1e-4.
"""
import json, os, sys
import torch
import transformers
from transformers import BloomForCausalLM

d = sys.argv[1]
expected = json.load(open(os.path.join(d, "trellis_expected.json")))
model = BloomForCausalLM.from_pretrained(d, dtype=torch.float32).eval()
ids = torch.tensor([expected["ids"]])
with torch.no_grad():
    out = model(input_ids=ids, labels=ids)
ours = torch.tensor(expected["logits"], dtype=torch.float32).reshape(out.logits.shape)
dl = (out.logits - ours).abs().max().item()
dloss = abs(out.loss.item() - expected["loss"])
print(json.dumps({"transformers": transformers.__version__, "torch": torch.__version__,
                  "max_abs_logit_diff": dl, "loss_hf": out.loss.item(), "loss_trellis": expected["loss"],
                  "abs_loss_diff": dloss, "ok": dl < 1e-4 and dloss < 1e-4}))
sys.exit(0 if dl < 1e-4 and dloss < 1e-4 else 1)
