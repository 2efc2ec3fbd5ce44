#!/usr/bin/env python3
"""Sample the small multilingual text fixture from extracted Debian documentation.

Usage: make_fixture_text.py TEXT_DIR OUT_DIR [--seed 20250601] [--budget 18000] [--heldout 24]

TEXT_DIR is the output of scripts/corpus/extract_text.py. For each source below this writes
about BUDGET bytes of training lines to OUT_DIR/train.txt (prose: random lines; code: random
blocks of 30 consecutive lines, indentation kept) and HELDOUT other lines to
OUT_DIR/heldout.txt, then appends hand-written edge cases to the held-out set.
OUT_DIR/languages.json records which lines of train.txt and heldout.txt belong to which source
(for the fertility test).
Deterministic for a given seed and input.
"""
import argparse
import json
import os
import random

# (file in TEXT_DIR, label)
SOURCES = [
    ("en.debian-handbook.txt", "en"),
    ("fr.debian-handbook.txt", "fr"),
    ("es.debian-handbook.txt", "es"),
    ("pt.debian-handbook.txt", "pt"),
    ("vi.debian-handbook.txt", "vi"),
    ("ar.debian-handbook.txt", "ar"),
    ("hi.libreoffice-help.txt", "hi"),
    ("ta.gnome-user-docs.txt", "ta"),
    ("zh.debian-handbook.txt", "zh"),
    ("ja.debian-handbook.txt", "ja"),
    ("code-python.libpython3.11-stdlib.txt", "python"),
    ("code-go.golang-1.19-src.txt", "go"),
]

EDGE_CASES = [
    "Hello world",
    " Hello world",
    "  two  spaces   three\tand a tab",
    "trailing spaces   ",
    "The quick brown fox</s>",
    "<s>special tokens <pad> inside <unk> text</s>",
    "a<s>b</s>c <reserved_0>",
    "punctuation... (parens) [brackets] {braces} a|b a,b a.b a!b a?b",
    "Unicode punctuation… 。，、 । ۔ ، end",
    "nbsp\u00a0here, narrow\u202fnbsp, ideographic\u3000space, em\u2003space",
    "line\u2028separator and paragraph\u2029separator, next\u0085line",
    "file\u001cgroup\u001drecord\u001eunit\u001fseparators are word characters",
    "emoji 😀👍🏽 family 👨‍👩‍👧‍👦 flags 🇫🇷🇯🇵 keycap 1️⃣",
    "combining: é (e\u0301) ñ (n\u0303) Å (A\u030a)",
    "Ελληνικά, русский, עברית, ไทย, 한국어",
    "\tindented\tcode\twith\ttabs\r",
    "for (i = 0; i < n; i++) { sum += a[i]; }",
    "def f(x):    return x ** 2  # comment",
    "",
    " ",
    "   ",
    "\u00ad soft hyphen and \u200b zero width",
    "数字123与English混合，测试。",
    "日本語のテキスト、句読点。",
    "हिन्दी में लिखा गया वाक्य। दूसरा वाक्य।",
    "العربية، مع علامات الترقيم. والسؤال؟",
    "اردو جملہ۔ دوسرا جملہ۔",
]


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def sample_prose(lines, rng, budget, heldout):
    candidates = [l for l in lines if 20 <= len(l.encode()) <= 600]
    rng.shuffle(candidates)
    train, held, size = [], [], 0
    for line in candidates:
        if size < budget:
            train.append(line)
            size += len(line.encode()) + 1
        elif len(held) < heldout:
            if line not in train:
                held.append(line)
        else:
            break
    return train, held


def sample_code(lines, rng, budget, heldout):
    train, held, size, used = [], [], 0, set()
    while size < budget:
        start = rng.randrange(0, len(lines) - 30)
        if any(i in used for i in range(start, start + 30)):
            continue
        block = lines[start:start + 30]
        used.update(range(start, start + 30))
        train.extend(block)
        size += sum(len(l.encode()) + 1 for l in block)
    while len(held) < heldout:
        i = rng.randrange(0, len(lines))
        if i not in used and lines[i].strip():
            held.append(lines[i])
            used.add(i)
    return train, held


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("text_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=20250601)
    ap.add_argument("--budget", type=int, default=18000)
    ap.add_argument("--heldout", type=int, default=24)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    train_all, held_all, spans = [], [], []
    for name, label in SOURCES:
        lines = read_lines(os.path.join(args.text_dir, name))
        sampler = sample_code if label in ("python", "go") else sample_prose
        train, held = sampler(lines, rng, args.budget, args.heldout)
        spans.append({"label": label, "train": [len(train_all), len(train_all) + len(train)],
                      "heldout": [len(held_all), len(held_all) + len(held)]})
        train_all.extend(train)
        held_all.extend(held)
        print(f"{label:7s} train {sum(len(l.encode()) + 1 for l in train):7d} B  held-out {len(held)} lines")
    with open(os.path.join(args.out_dir, "train.txt"), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(train_all) + "\n")
    with open(os.path.join(args.out_dir, "heldout.txt"), "w", encoding="utf-8", newline="") as f:
        # One held-out input per line; "\r" inside a line is kept, so split only on "\n".
        f.write("\n".join(held_all + EDGE_CASES) + "\n")
    with open(os.path.join(args.out_dir, "languages.json"), "w", encoding="utf-8") as f:
        json.dump(spans, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
