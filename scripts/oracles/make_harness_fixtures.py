#!/usr/bin/env python3
"""Builds Tests/LMEvaluationTests/Fixtures/harness/: a random BLOOM checkpoint folder (HF
`save_pretrained`, with the BPE tokenizer of Tests/TokenizationTests/Fixtures/hf-tokenizer.json and
model_max_length 64, so left truncation and several rolling windows happen), seven lm-evaluation-harness
task files over local JSON-lines / CSV data (every output type, k-shot, glued choices, trailing spaces), and
expected.json: what `lm_eval` 0.4.9 itself computed on them (`--log_samples`: every request's
context and continuation, its log-likelihood and is_greedy, every generation; and each task's metrics).

    python3 -m venv /tmp/lmev && /tmp/lmev/bin/pip install 'torch==2.13.0+cpu' lm_eval==0.4.9 transformers==4.57.6 datasets==3.6.0
    /tmp/lmev/bin/python scripts/oracles/make_harness_fixtures.py

The task files are the contract: Tests/LMEvaluationTests/HarnessParityTests run the same files
through Trellis and compare within 1e-4.
"""
import csv
import glob
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import torch
from transformers import BloomConfig, BloomForCausalLM, PreTrainedTokenizerFast

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/LMEvaluationTests/Fixtures/harness"
TOKENIZER = ROOT / "Tests/TokenizationTests/Fixtures/hf-tokenizer.json"
LINES = [l for l in (ROOT / "Tests/TokenizationTests/Fixtures/heldout.txt").read_text(encoding="utf-8").split("\n")
         if len(l.split()) >= 4 and all(len(w) <= 14 for w in l.split())]   # prose, not hashes or paths


def make_model(folder):
    torch.manual_seed(20261207)
    vocab = json.loads(TOKENIZER.read_text())["model"]["vocab"]
    config = BloomConfig(vocab_size=len(vocab), hidden_size=24, n_layer=2, n_head=4, bos_token_id=1, eos_token_id=2, pad_token_id=3)
    model = BloomForCausalLM(config).float().eval()
    with torch.no_grad():  # spread the logits: a near-uniform model would make every choice a coin flip on float noise
        for name, p in model.named_parameters():
            if "word_embeddings.weight" in name:
                p.normal_(0, 0.4)
            elif name.endswith("weight") and p.dim() == 2:
                p.normal_(0, 0.2)
            else:
                p.add_(0.1 * torch.randn_like(p))
    model.save_pretrained(folder, safe_serialization=True)
    shutil.copy(TOKENIZER, folder / "tokenizer.json")
    (folder / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "BloomTokenizerFast", "model_max_length": 64, "padding_side": "left", "add_prefix_space": False,
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}, indent=1) + "\n")
    (folder / "special_tokens_map.json").write_text(json.dumps({"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}, indent=1) + "\n")
    PreTrainedTokenizerFast.from_pretrained(folder)  # loads


def jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def make_tasks(folder):
    rnd = random.Random(7)
    lines = LINES[:]
    rnd.shuffle(lines)
    take = itertools.cycle(lines)   # the filtered held-out lines, reused when they run out

    def mc_doc():
        q = next(take)
        choices = [" ".join(next(take).split()[:rnd.randint(2, 6)]) for _ in range(4)]
        return {"question": q, "choices": choices, "answer": rnd.randrange(4)}
    jsonl(folder / "mc-test.jsonl", [mc_doc() for _ in range(12)])
    jsonl(folder / "mc-train.jsonl", [mc_doc() for _ in range(10)])
    (folder / "mc.yaml").write_text("""# Multiple choice over local JSON lines; 2-shot examples from the train file.
task: fixture_mc
dataset_path: json
dataset_kwargs:
  data_files: {test: mc-test.jsonl, train: mc-train.jsonl}
test_split: test
fewshot_split: train
output_type: multiple_choice
doc_to_text: "Question: {{question.strip()}}\\nAnswer:"
doc_to_choice: "{{choices}}"
doc_to_target: answer
num_fewshot: 2
metric_list:
  - {metric: acc, aggregation: mean, higher_is_better: true}
  - {metric: acc_norm, aggregation: mean, higher_is_better: true}
  - {metric: exact_match, aggregation: mean, higher_is_better: true}
metadata: {version: 1.0}
""")
    with open(folder / "pairs.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["sentence", "option1", "option2", "label"])
        for _ in range(9):
            words = next(take).split()
            w.writerow([" ".join(words[:4]), " ".join(next(take).split()[:3]), " ".join(words[4:7]) or "end", rnd.randrange(2)])
    (folder / "pairs.yaml").write_text("""# Two endings from a CSV file; a list literal of choices, a description, 1-shot from the scored split itself.
task: fixture_pairs
dataset_path: csv
dataset_kwargs:
  data_files: pairs.csv
test_split: train
output_type: multiple_choice
description: "Pick the better ending.\\n\\n"
doc_to_text: "{{sentence}}"
doc_to_choice: "{{[option1, option2]}}"
doc_to_target: "{{label}}"
target_delimiter: " -> "
fewshot_delimiter: "\\n###\\n"
num_fewshot: 1
""")
    pairs = [(next(take), next(take)) for _ in range(10)]
    jsonl(folder / "ll.jsonl", [{"src": " ".join(a.split()[:8]), "tgt": " ".join(b.split()[:6])} for a, b in pairs])
    (folder / "ll.yaml").write_text("""# Log-likelihood of a target after a context (perplexity and greedy match).
task: fixture_ll
dataset_path: json
dataset_kwargs:
  data_files: {validation: ll.jsonl}
validation_split: validation
output_type: loglikelihood
doc_to_text: "{{src}} ="
doc_to_target: "{{tgt}}"
""")
    jsonl(folder / "glue.jsonl", [{"stem": w, "choices": ["ing", "ed", "s", "er"], "label": i % 4}
                                  for i, w in enumerate(["walk", "play", "jump", "talk", "work", "look", "start", "help"])])
    (folder / "glue.yaml").write_text("""# Choices glued to the context (no delimiter): the continuation's tokens are
# those of context + continuation past the context's own, as the harness's _encode_pair takes them.
task: fixture_glue
dataset_path: json
dataset_kwargs:
  data_files: {test: glue.jsonl}
test_split: test
output_type: multiple_choice
doc_to_text: "The word is {{stem}}"
doc_to_choice: choices
doc_to_target: label
target_delimiter: ""
metric_list:
  - {metric: acc}
  - {metric: acc_norm}
""")
    jsonl(folder / "space.jsonl", [{"src": " ".join(a.split()[:5]), "tgt": " ".join(b.split()[:4])} for a, b in pairs[:6]])
    (folder / "space.yaml").write_text("""# A context ending in spaces: they move to the continuation before encoding (the harness's _encode_pair).
task: fixture_space
dataset_path: json
dataset_kwargs:
  data_files: {test: space.jsonl}
test_split: test
output_type: loglikelihood
doc_to_text: "{{src}} =  "
doc_to_target: "{{tgt}}"
""")
    texts = [" ".join(next(take) for _ in range(rnd.randint(1, 6))) for _ in range(8)]
    jsonl(folder / "rolling.jsonl", [{"text": t} for t in texts])
    (folder / "rolling.yaml").write_text("""# Rolling log-likelihood of whole texts (word and byte perplexity, bits per byte); several windows of 64 tokens.
task: fixture_rolling
dataset_path: json
dataset_kwargs:
  data_files: {test: rolling.jsonl}
test_split: test
output_type: loglikelihood_rolling
doc_to_text: ""
doc_to_target: "{{text}}"
metric_list:
  - {metric: word_perplexity}
  - {metric: byte_perplexity}
  - {metric: bits_per_byte}
""")
    jsonl(folder / "gen.jsonl", [{"src": " ".join(a.split()[:6]), "tgt": " ".join(b.split()[:3])} for a, b in pairs])
    (folder / "gen.yaml").write_text("""# Greedy generation until a stop string; exact match, BLEU and chrF (corpus-level, sacrebleu).
task: fixture_gen
dataset_path: json
dataset_kwargs:
  data_files: {test: gen.jsonl}
test_split: test
output_type: generate_until
doc_to_text: "{{src}} ->"
doc_to_target: "{{tgt}}"
generation_kwargs: {until: ["\\n", "."], max_gen_toks: 8, do_sample: false}
num_fewshot: 1
metric_list:
  - {metric: exact_match, ignore_case: true}
  - {metric: bleu}
  - {metric: chrf}
""")


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "model").mkdir(parents=True)
    (OUT / "tasks").mkdir()
    make_model(OUT / "model")
    make_tasks(OUT / "tasks")
    results = OUT / "lm_eval_output"
    cmd = [sys.executable, "-m", "lm_eval", "--model", "hf", "--model_args", f"pretrained={OUT / 'model'},dtype=float32",
           "--tasks", "fixture_mc,fixture_pairs,fixture_ll,fixture_rolling,fixture_gen,fixture_glue,fixture_space", "--include_path", str(OUT / "tasks"),
           "--device", "cpu", "--batch_size", "1", "--log_samples", "--output_path", str(results)]
    subprocess.run(cmd, check=True, cwd=OUT / "tasks")   # data_files are relative to the working directory in the harness
    [result_file] = glob.glob(str(results / "**/results_*.json"), recursive=True)
    harness = json.load(open(result_file))
    expected = {"generator": "lm_eval 0.4.9 (transformers 4.57.6, torch CPU float32), batch size 1", "tasks": {}}
    for task in ["fixture_mc", "fixture_pairs", "fixture_ll", "fixture_rolling", "fixture_gen", "fixture_glue", "fixture_space"]:
        [samples_file] = glob.glob(str(results / f"**/samples_{task}_*.jsonl"), recursive=True)
        samples = [json.loads(l) for l in open(samples_file)]
        samples.sort(key=lambda s: s["doc_id"])
        metrics = {k: v for k, v in harness["results"][task].items() if k != "alias"}
        expected["tasks"][task] = {
            "metrics": metrics, "n-shot": harness["n-shot"][task],
            "samples": [{"doc_id": s["doc_id"], "arguments": [[a for a in args.values()] if isinstance(args, dict) else args for args in s["arguments"].values()] if isinstance(s["arguments"], dict) else s["arguments"],
                         "resps": s["resps"], "filtered_resps": s["filtered_resps"], "target": s["target"]} for s in samples],
        }
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    shutil.rmtree(results)
    print("wrote", OUT)


main()
