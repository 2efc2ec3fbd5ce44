#!/usr/bin/env python3
"""Writes Tests/EvaluationTests/Fixtures/exact-match.json: lm-evaluation-harness's `exact_match`
(`lm_eval.api.metrics.exact_match_hf_evaluate`, lm_eval 0.4.9) on prediction/reference pairs under
each of its options, one pair at a time as the harness scores a document.

    python3 -m venv /tmp/lmev && /tmp/lmev/bin/pip install 'torch==2.13.0+cpu' lm_eval==0.4.9 transformers==4.57.6 datasets==3.6.0
    /tmp/lmev/bin/python scripts/oracles/make_exact_match_fixtures.py
"""
import json
from pathlib import Path

from lm_eval.api.metrics import exact_match_hf_evaluate

OUT = Path(__file__).resolve().parents[2] / "Tests/EvaluationTests/Fixtures/exact-match.json"

PAIRS = [
    ("Paris", "Paris"), ("paris", "Paris"), ("Paris.", "Paris"), (" Paris", "Paris"), ("Paris ", "Paris"),
    ("The answer is 42", "42"), ("42", "42.0"), ("1,000", "1000"), ("$1,000", "1000"), ("#### 72", "72"),
    ("It's done!", "its done"), ("ÉCOLE", "école"), ("Straße", "STRASSE"), ("naïve", "naive"),
    ("café", "cafe\u0301"), ("a\tb", "a b"), ("", ""), ("", "x"), ("x\n", "x"), ("\u00a0x", "x"),
    ("3 apples", "apples"), ("A1B2", "ab"), ("«quoted»", "quoted"), ("(b)", "b"), ("The answer is (B).", "B"),
]

OPTIONS = [
    {},
    {"ignore_case": True},
    {"ignore_punctuation": True},
    {"ignore_numbers": True},
    {"ignore_case": True, "ignore_punctuation": True},
    {"ignore_case": True, "ignore_punctuation": True, "ignore_numbers": True},
    {"regexes_to_ignore": [",", "\\$", "(?s).*#### ", "\\.$"]},
    {"regexes_to_ignore": ["^\\s+", "\\s+$"], "ignore_case": True},
    {"regexes_to_ignore": ["[Tt]he answer is "], "ignore_punctuation": True},
]


def main():
    cases = []
    for options in OPTIONS:
        for prediction, reference in PAIRS:
            score = exact_match_hf_evaluate(predictions=[prediction], references=[reference], **options)["exact_match"]
            cases.append({"prediction": prediction, "reference": reference, "options": options, "exact_match": float(score)})
    OUT.write_text(json.dumps({"generator": "scripts/oracles/make_exact_match_fixtures.py", "lm_eval": "0.4.9", "cases": cases},
                              ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {OUT}: {len(cases)} cases, {sum(c['exact_match'] for c in cases):.0f} matches")


if __name__ == "__main__":
    main()
