#!/usr/bin/env python3
"""Writes Tests/EvaluationTests/Fixtures/bleu.json: inputs plus sacrebleu's outputs.

Run from the package root with a venv that has sacrebleu installed:
    .venv/bin/python scripts/oracles/make_bleu_fixtures.py

Every number in the fixture comes from sacrebleu itself (corpus_bleu / sentence_bleu with
their defaults, and Tokenizer13a for the tokenizer cases); the Swift tests only read it.
"""
import json
import random
import sys
from pathlib import Path

import sacrebleu
from sacrebleu.metrics import BLEU
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

OUT = Path(__file__).resolve().parents[2] / "Tests/EvaluationTests/Fixtures/bleu.json"

# Named corpus cases: (name, hypotheses, reference streams). Each stream has one entry per hypothesis.
CASES = [
    ("english", ["The cat sat on the mat.", "It was a sunny day, wasn't it?"],
     [["The cat is sitting on the mat.", "It was a sunny day, was it not?"]]),
    ("french", ["L'homme a dit « bonjour » à l'enfant.", "Qu'est-ce que c'est ?"],
     [["L'homme a dit « salut » à l'enfant.", "Qu'est-ce que c'est?"]]),
    ("spanish", ["¿Dónde está la biblioteca? ¡Aquí!", "El niño comió paella."],
     [["¿Dónde está la biblioteca? ¡Está aquí!", "El niño comió la paella."]]),
    ("german", ["Die Straße ist schön, aber „laut“.", "Über 3.000 Bücher wurden verkauft."],
     [["Die Straße ist schön, aber sehr „laut“.", "Über 3.000 Bücher sind verkauft worden."]]),
    ("chinese", ["我爱北京天安门。", "今天天气很好，我们去公园吧！"],
     [["我爱北京天安门。", "今天天气很好，我们去公园。"]]),
    ("japanese", ["私は東京に住んでいます。", "これはペンです、ね？"],
     [["私は東京に住んでいます。", "これはペンですね。"]]),
    ("hindi", ["मैं घर जा रहा हूँ।", "यह एक अच्छी किताब है, है ना?"],
     [["मैं घर जा रहा हूं।", "यह एक अच्छी किताब है, है न?"]]),
    ("arabic", ["ذهب الولد إلى المدرسة، ثم عاد.", "هل تتكلم العربية؟"],
     [["ذهب الولد إلى المدرسة ثم عاد.", "هل تتكلم اللغة العربية؟"]]),
    ("numbers", ["It costs 1,000.5 dollars, or 2,5 euros.", "Pages 10-20 and 3.14.", "Call 555-1234 at 9.30pm."],
     [["It costs 1,000.5 dollars, or 2.5 euros.", "Pages 10-20 and 3.14 .", "Call 555-1234 at 9.30 pm."]]),
    ("dashes", ["The 1990-2000 era; well-known co-op -- yes - no.", "Score 3-4, then 5--6 and -7."],
     [["The 1990 - 2000 era; well-known co-op - yes.", "Score 3-4, then 5-6 and -7."]]),
    ("html_entities", ["Tom &amp; Jerry said &quot;hi&quot; &lt;b&gt;", "a &amp;lt; b &gt;= c &nbsp; d"],
     [["Tom & Jerry said \"hi\" <b>", "a < b >= c d"]]),
    ("urls", ["See https://example.com/a/b?x=1&y=2#frag for details.", "Mail me at foo.bar@example.org, ok?"],
     [["See https://example.com/a/b?x=1&y=2 for details.", "Mail me at foo.bar@example.org ok?"]]),
    ("empty_hypothesis", ["", "A normal sentence here."],
     [["Something was expected here.", "A normal sentence here."]]),
    ("all_empty_hypotheses", ["", ""], [["One reference.", "Another reference."]]),
    ("hypothesis_longer", ["this is a much much longer hypothesis than the reference really is today"],
     [["this is a hypothesis"]]),
    ("two_references", ["the quick brown fox jumps over the lazy dog", "a b c d e f"],
     [["the fast brown fox jumped over the lazy dog", "a b c x e f"],
      ["a quick brown fox jumps over a lazy dog today", "a b c d"]]),
    ("two_references_length_tie", ["w1 w2 w3 w4 w5"], [["w1 w2 w3 w4"], ["w1 w2 w3 w4 w5 w6"]]),
    ("zero_fourgram_matches", ["alpha beta gamma x delta epsilon y zeta eta"],
     [["alpha beta gamma delta epsilon zeta eta theta"]]),
    ("zero_matches", ["completely different words"], [["nothing in common here"]]),
    ("short_segments", ["hi", "ok"], [["hi", "ok"]]),
    ("unicode_punctuation", ["He said — “wait…” — and left!", "Quote: ‘single’ ‹angle› 「括弧」"],
     [["He said — “wait …” — and left !", "Quote: ‘single’ ‹angle› 「括弧」"]]),
    ("whitespace_variants", ["tab\tseparated\u00a0nbsp\u3000ideographic  end   ", "line-\nbreak and\r\nnewline"],
     [["tab separated nbsp ideographic end", "linebreak and newline"]]),
    ("skipped_marker", ["kept <skipped> words here", "abc<skipped>def"], [["kept words here", "abcdef"]]),
    ("canonical_equivalence", ["café crème", "naïve"], [["cafe\u0301 cre\u0300me", "naïve"]]),
    ("tokenized_period", ["this already ends with a tokenized period .", "so does this one ."],
     [["this already ends with a tokenized period.", "so does this one."]]),
    ("periods_and_commas", ["U.S.A. and e.g., a..b ,c .5 5. x,y 1,2 a,1 1.a", "Mr. Smith, Jr., arrived."],
     [["U.S.A. and e.g. , a . . b , c .5 5 . x , y 1,2", "Mr. Smith , Jr. , arrived ."]]),
    ("apostrophes_and_quotes", ["don't won't 'quoted' \"double\" `tick`", "rock'n'roll isn't dead"],
     [["do n't wo n't ' quoted ' \" double \" ` tick `", "rock'n'roll is not dead"]]),
]

# Strings that only exercise Tokenizer13a (beyond every case string above).
TOKENIZER_ONLY = [
    "", " ", "   leading and trailing   ", "a..b", "a...", "...", ",,,", "1.2.3", "1,2,3", "a.1", "1.a",
    ".5", "5.", "-5", "5-", "5--5", "a-b", "a - b", "2020-01-01", "x\n", "x-\ny", "-\n-\n", "\n\n",
    "&amp;amp;", "&amp;quot;", "&ampamp;", "&QUOT;", "a&b", "<skipped><skipped>", "<skip<skipped>ped>",
    "{}[]()<>~`^_|\\/@#$%&*+=:;!?", "'''", "a'b", "\u00a0x\u00a0", "x\u200by", "x\u2028y\u0085z", "x\x1cy",
    "e\u0301.", "٣,٤", "١٢٣.٤", "１２３.４", "x\u00b7y", "☃.☃", "😀,😀", "tab\t.\tx", "\r\n.\r",
    "3.", "3.\n", "Hello World!!", "C++ and C# are languages.", "50% off: $3.99/kg",
]


def words():
    base = ("the a an of to in on for with by from at as is was were be been this that these those "
            "model data training language evaluation token corpus bloom science open multilingual "
            "large small fast slow good bad new old first last many few more less "
            "cat dog house river mountain city country world people time year day").split()
    extra = ["1,000", "3.5", "42", "2019-2020", "e.g.", "U.N.", "don't", "it's", "(see", "below)", "\"quoted\"",
             "über", "naïve", "café", "日本", "中文", "हिंदी", "عربي", "«oui»", "¿qué?", "¡sí!", "—", "…", "&amp;"]
    return base, extra


def random_corpus(n, seed=20240601):
    rng = random.Random(seed)
    base, extra = words()
    hyps, refs = [], []
    for _ in range(n):
        length = rng.randint(3, 9)
        ref = [rng.choice(base) if rng.random() < 0.85 else rng.choice(extra) for _ in range(length)]
        hyp = []
        for w in ref:
            r = rng.random()
            if r < 0.65:
                hyp.append(w)
            elif r < 0.80:
                hyp.append(rng.choice(base))
            elif r < 0.90:
                continue
            else:
                hyp.extend([w, rng.choice(base)])
        end = rng.choice([".", "!", "?", ",", "", " ."])
        hyps.append(" ".join(hyp) + end)
        refs.append(" ".join(ref) + rng.choice([".", "!", "?", ""]))
    return hyps, refs


def score_dict(score, signature=None):
    entry = {
        "score": score.score,
        "counts": list(score.counts),
        "totals": list(score.totals),
        "precisions": list(score.precisions),
        "bp": score.bp,
        "sys_len": score.sys_len,
        "ref_len": score.ref_len,
    }
    if signature is not None:
        entry["signature"] = str(signature)
    return entry


def corpus_entry(name, hyps, ref_streams):
    metric = BLEU()
    corpus = metric.corpus_score(hyps, ref_streams)
    # Cross-check the compat entry point agrees with the metric object.
    assert sacrebleu.corpus_bleu(hyps, ref_streams).score == corpus.score
    sentences, sentence_signatures = [], set()
    for i, hyp in enumerate(hyps):
        sentence_metric = BLEU(effective_order=True)
        refs_i = [stream[i] for stream in ref_streams]
        s = sentence_metric.sentence_score(hyp, refs_i)
        assert sacrebleu.sentence_bleu(hyp, refs_i).score == s.score
        sentences.append(score_dict(s))
        sentence_signatures.add(str(sentence_metric.get_signature()))
    # All sentences of a case share one signature (same number of references), so store it once.
    assert len(sentence_signatures) == 1
    return {"name": name, "hypotheses": hyps, "references": ref_streams,
            "corpus": score_dict(corpus, metric.get_signature()), "sentences": sentences,
            "sentence_signature": sentence_signatures.pop()}


def main():
    tokenizer = Tokenizer13a()
    cases = [corpus_entry(name, h, r) for name, h, r in CASES]
    strings = []
    for _, h, r in CASES:
        strings.extend(h)
        for stream in r:
            strings.extend(stream)
    strings.extend(TOKENIZER_ONLY)
    seen, tokenization = set(), []
    for s in strings:
        if s not in seen:
            seen.add(s)
            tokenization.append({"input": s, "tokenized": tokenizer(s)})

    hyps, refs = random_corpus(200)
    random_case = corpus_entry("random_word_list_corpus", hyps, [refs])
    # Per-sentence scores of the random corpus would bloat the fixture; keep the first 10.
    random_case["sentences"] = random_case["sentences"][:10]
    cases.append(random_case)

    fixture = {
        "generator": "scripts/oracles/make_bleu_fixtures.py",
        "sacrebleu_version": sacrebleu.__version__,
        "python_version": sys.version.split()[0],
        "tokenization": tokenization,
        "cases": cases,
    }
    OUT.write_text(json.dumps(fixture, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {len(cases)} corpus cases, "
          f"{sum(len(c['sentences']) for c in cases)} sentence cases, {len(tokenization)} tokenizer strings; "
          f"random corpus BLEU = {random_case['corpus']['score']:.4f}")


if __name__ == "__main__":
    main()
