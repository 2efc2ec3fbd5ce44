#!/usr/bin/env python3
"""The engine-bench training step in PyTorch: HF BloomForCausalLM, AdamW (fused=False),
global-norm clipping, Megatron-style LR, on 2 threads. Prints one JSON line.

Usage: .venv/bin/python scripts/bench/bench_pytorch.py [--steps 10] [--warmup 2] [--threads 2] [--bf16] [--lockstep]

--bf16: mixed precision as PyTorch does it on CPU: fp32 weights and optimizer, forward and backward
under torch.autocast("cpu", dtype=torch.bfloat16) (matmuls in bf16 through oneDNN, AMX where present).
--lockstep: after the warm-up steps, serve steps on request for scripts/bench/lockstep.py (the protocol
is described in Sources/engine-bench/Lockstep.swift).
"""
import argparse, json, math, resource, statistics, sys, time
import torch
from transformers import BloomConfig, BloomForCausalLM

p = argparse.ArgumentParser()
p.add_argument("--steps", type=int, default=10)
p.add_argument("--warmup", type=int, default=2)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--vocab", type=int, default=8192)
p.add_argument("--hidden", type=int, default=256)
p.add_argument("--layers", type=int, default=4)
p.add_argument("--heads", type=int, default=8)
p.add_argument("--batch", type=int, default=8)
p.add_argument("--length", type=int, default=256)
p.add_argument("--bf16", action="store_true")
p.add_argument("--lockstep", action="store_true")
a = p.parse_args()

torch.set_num_threads(a.threads)
torch.manual_seed(42)
config = BloomConfig(vocab_size=a.vocab, hidden_size=a.hidden, n_layer=a.layers, n_head=a.heads,
                     hidden_dropout=0.0, attention_dropout=0.0)
model = BloomForCausalLM(config).float().train()
decay = [q for n, q in model.named_parameters() if q.dim() >= 2]
no_decay = [q for n, q in model.named_parameters() if q.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=3e-4, betas=(0.9, 0.95), eps=1e-8)
g = torch.Generator().manual_seed(1)
batches = [torch.randint(0, a.vocab, (a.batch, a.length), generator=g) for _ in range(4)]

def train_step(step):
    """One step; returns (seconds, loss)."""
    start = time.perf_counter()
    opt.zero_grad(set_to_none=True)
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.bf16):
        loss = model(input_ids=batches[step % 4], labels=batches[step % 4]).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    for group in opt.param_groups:
        group["lr"] = 3e-4 * min(1.0, step / 2)
    opt.step()
    return time.perf_counter() - start, loss.item()

c, t, v = a.hidden, a.length, a.vocab
flops = 3 * (a.layers * (24 * c * c + 4 * t * c) + 2 * c * v) * a.batch * a.length
precision = "bf16-autocast" if a.bf16 else "fp32"

def reply(obj):
    sys.stdout.write(json.dumps(obj, sort_keys=True) + "\n")
    sys.stdout.flush()

if a.lockstep:
    for step in range(a.warmup):
        train_step(step)
    reply({"ready": True, "impl": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
           "precision": precision, "tokens_per_step": a.batch * a.length, "gflop_per_step": flops / 1e9})
    step = a.warmup
    for command in sys.stdin:
        command = command.strip()
        if command == "step":
            seconds, loss = train_step(step)
            step += 1
            reply({"step_s": seconds, "loss": loss})
        elif command == "stats":
            reply({"peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
        else:
            reply({"error": f"unknown command {command}"})
    sys.exit(0)

times, losses = [], []
for step in range(a.warmup + a.steps):
    elapsed, loss = train_step(step)
    losses.append(loss)
    if step >= a.warmup:
        times.append(elapsed)
med = statistics.median(times)
print(json.dumps({"impl": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
                  "precision": precision,
                  "median_step_s": med, "min_step_s": min(times), "max_step_s": max(times),
                  "tokens_per_s": a.batch * a.length / med, "achieved_gflops": flops / med / 1e9,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "first_loss": losses[0], "last_loss": losses[-1]}, sort_keys=True))
