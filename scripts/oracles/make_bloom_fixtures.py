#!/usr/bin/env python3
"""Golden fixtures for the Swift BLOOM port, computed with HF transformers (CPU, float32).

Writes into Tests/ModelsTests/Fixtures/:
  bloom_<name>.safetensors  per config: initial parameters (`param.<hf name>`), input ids
                            (`ids`, int64, (B, T)), `logits` (B, T, V), `loss` (1,), every
                            parameter gradient after one backward (`grad.<hf name>`), and the
                            optimizer run: for steps k = 0, 1, 2 the batch (`ids.step<k>`), the
                            learning rate (`lr.step<k>`), the pre-clip global grad norm
                            (`gradnorm.step<k>`), and the parameters after 3 AdamW steps
                            (`after3.<hf name>`).
  bloom_<name>.json         the BloomConfig and the optimizer settings used.
  hf_tiny/                  a save_pretrained() checkpoint (config.json + model.safetensors)
                            plus expected.json (ids, last-position logits, loss).
  alibi_slopes.json         HF slopes for 1..16, 24, 112 heads.

Usage:  .venv/bin/python scripts/oracles/make_bloom_fixtures.py [OUT_DIR]
"""
import json, math, os, sys
import torch
import transformers
from safetensors.torch import save_file
from transformers import BloomConfig, BloomForCausalLM
from transformers.models.bloom.modeling_bloom import _get_alibi_slopes

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../Tests/ModelsTests/Fixtures")
torch.set_num_threads(1)

# Optimizer settings (BLOOM: betas 0.9/0.95, eps 1e-8, wd 0.1, clip 1.0). Large LR so 3 steps move params visibly.
OPT = dict(max_lr=1e-2, min_lr=1e-3, warmup_steps=1, decay_steps=3, beta1=0.9, beta2=0.95, eps=1e-8,
           weight_decay=0.1, clip=1.0, steps=3)


def megatron_lr(step, o):
    """Megatron learning_rates.py: lr for `step` = number of optimizer steps already taken."""
    if o["warmup_steps"] > 0 and step <= o["warmup_steps"]:
        return o["max_lr"] * step / o["warmup_steps"]
    if step > o["decay_steps"]:
        return o["min_lr"]
    r = (step - o["warmup_steps"]) / (o["decay_steps"] - o["warmup_steps"])
    return o["min_lr"] + (o["max_lr"] - o["min_lr"]) * 0.5 * (math.cos(math.pi * r) + 1.0)


def build(cfg_kwargs, seed):
    torch.manual_seed(seed)
    config = BloomConfig(**cfg_kwargs)
    model = BloomForCausalLM(config).float()
    model.train()  # dropout is 0 in the config; train() only matters for the backward
    with torch.no_grad():  # make biases and LayerNorm affine parameters non-trivial
        for name, p in model.named_parameters():
            if name.endswith("bias") or "layernorm" in name or "ln_f" in name:
                p.add_(0.1 * torch.randn_like(p))
    return config, model


def hf_params(model):
    # lm_head.weight is tied to transformer.word_embeddings.weight and not stored.
    return {n: p for n, p in model.named_parameters() if not n.startswith("lm_head")}


def make(name, cfg_kwargs, batch, length, seed):
    config, model = build(cfg_kwargs, seed)
    g = torch.Generator().manual_seed(seed + 1)
    V = config.vocab_size
    ids = [torch.randint(0, V, (batch, length), generator=g) for _ in range(OPT["steps"])]
    out = {}
    params = hf_params(model)
    for n, p in params.items():
        out[f"param.{n}"] = p.detach().clone()
    out["ids"] = ids[0].clone()

    res = model(input_ids=ids[0], labels=ids[0])
    res.loss.backward()
    out["logits"] = res.logits.detach().clone()
    out["loss"] = res.loss.detach().reshape(1).clone()
    for n, p in params.items():
        out[f"grad.{n}"] = p.grad.detach().clone()
    model.zero_grad(set_to_none=True)

    # AdamW with decoupled weight decay on weights of rank >= 2 (not biases / LayerNorm).
    decay = [p for n, p in params.items() if p.dim() >= 2]
    no_decay = [p for n, p in params.items() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": OPT["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=OPT["max_lr"], betas=(OPT["beta1"], OPT["beta2"]), eps=OPT["eps"],
                            foreach=False, fused=False)
    for k in range(OPT["steps"]):
        lr = megatron_lr(k, OPT)
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad(set_to_none=True)
        loss = model(input_ids=ids[k], labels=ids[k]).loss
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(list(params.values()), OPT["clip"])
        opt.step()
        out[f"ids.step{k}"] = ids[k].clone()
        out[f"lr.step{k}"] = torch.tensor([lr], dtype=torch.float32)
        out[f"gradnorm.step{k}"] = norm.detach().reshape(1).float()
    for n, p in params.items():
        out[f"after3.{n}"] = p.detach().clone()

    out = {k: v.contiguous() for k, v in out.items()}
    save_file(out, os.path.join(OUT, f"bloom_{name}.safetensors"))
    with open(os.path.join(OUT, f"bloom_{name}.json"), "w") as f:
        json.dump({"config": config.to_diff_dict() | {"vocab_size": V, "hidden_size": config.hidden_size,
                   "n_layer": config.n_layer, "n_head": config.n_head, "layer_norm_epsilon": config.layer_norm_epsilon},
                   "batch": batch, "length": length, "seed": seed, "optimizer": OPT}, f, indent=1, sort_keys=True)
    print(f"{name}: loss {res.loss.item():.6f}, grad norms {[round(out[f'gradnorm.step{k}'].item(), 4) for k in range(3)]}")


def make_hf_checkpoint():
    config, model = build(dict(vocab_size=40, hidden_size=12, n_layer=1, n_head=3), seed=7)
    model.eval()
    d = os.path.join(OUT, "hf_tiny")
    model.save_pretrained(d, safe_serialization=True)
    if os.path.exists(os.path.join(d, "generation_config.json")):
        os.remove(os.path.join(d, "generation_config.json"))   # not needed by Trellis or the tests
    ids = [5, 17, 3, 9, 38, 0]
    with torch.no_grad():
        res = model(input_ids=torch.tensor([ids]), labels=torch.tensor([ids]))
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump({"ids": ids, "last_logits": res.logits[0, -1].tolist(), "loss": res.loss.item()}, f, indent=1)
    print(f"hf_tiny: loss {res.loss.item():.6f}")


def make_slopes():
    slopes = {str(n): _get_alibi_slopes(n, torch.device("cpu")).tolist() for n in list(range(1, 17)) + [24, 112]}
    with open(os.path.join(OUT, "alibi_slopes.json"), "w") as f:
        json.dump(slopes, f)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    print(f"torch {torch.__version__}, transformers {transformers.__version__}")
    # 6 heads: non-power-of-two ALiBi slopes (P = 4 main + 2 interleaved extra).
    make("h6", dict(vocab_size=96, hidden_size=24, n_layer=2, n_head=6), batch=2, length=7, seed=1)
    make("h4", dict(vocab_size=64, hidden_size=16, n_layer=1, n_head=4), batch=3, length=5, seed=2)
    make_hf_checkpoint()
    make_slopes()
