#!/usr/bin/env python3
"""HF tokenizers oracle for the Swift byte-level BPE (BLOOM configuration).

  hf_oracle.py train FIXTURES      train HF on FIXTURES/train.txt, write the hf-*.json fixtures
  hf_oracle.py check FIXTURES DIR  load DIR/swift-tokenizer.json (exported by Swift) with
                                   Tokenizer.from_file, encode FIXTURES/heldout.txt, compare
                                   with DIR/swift-heldout-ids.json and with hf-heldout-ids.json

BLOOM's tokenizer (bigscience/tokenizer): no normalizer; pre-tokenizer Sequence[Split(regex,
Isolated), ByteLevel(add_prefix_space=False, use_regex=False)]; BPE without unk/dropout;
ByteLevel decoder and post-processor; special tokens <unk> <s> </s> <pad> = 0..3; the trainer
gets ByteLevel.alphabet() as initial alphabet, so vocab_size counts specials + 256 + merges.
"""
import json
import os
import sys
import time

import tokenizers
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers

SPLIT = " ?[^(\\s|[.,!?…。，、।۔،])]+"
SPECIALS = ["<unk>", "<s>", "</s>", "<pad>"]


def bloom_tokenizer():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    return tok


def train(files, vocab_size, reserved=0):
    tok = bloom_tokenizer()
    specials = SPECIALS + [f"<reserved_{i}>" for i in range(reserved)]
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train(files, trainer)
    return tok


def dedup_lines(src, dst):
    """Keep the first copy of each line, comparing lines without their trailing newline."""
    seen = set()
    with open(src, encoding="utf-8", newline="") as f, open(dst, "w", encoding="utf-8", newline="") as out:
        for line in f:
            key = line[:-1] if line.endswith("\n") else line
            if key not in seen:
                seen.add(key)
                out.write(line)


def heldout_lines(fixtures):
    with open(os.path.join(fixtures, "heldout.txt"), encoding="utf-8", newline="") as f:
        return f.read().split("\n")[:-1]


def save_compact(tok, path):
    """HF's save(path, pretty=False): serde_json's compact form, no trailing newline."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(tok.to_str(pretty=False))


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


def cmd_train(fixtures):
    t = os.path.join(fixtures, "train.txt")
    lines = heldout_lines(fixtures)
    main = train([t], 2048)
    main.save(os.path.join(fixtures, "hf-tokenizer.json"))  # pretty, HF's default
    enc = main.encode_batch(lines, add_special_tokens=False)
    write_json(os.path.join(fixtures, "hf-heldout-ids.json"), [e.ids for e in enc])
    # Pre-tokenizer pieces (Split only, before ByteLevel) for every held-out line.
    split = pre_tokenizers.Split(Regex(SPLIT), behavior="isolated", invert=False)
    write_json(os.path.join(fixtures, "hf-pretokenize.json"), [[p for p, _ in split.pre_tokenize_str(l)] for l in lines])
    # Line de-duplicated training text.
    dedup = "/tmp/hf-oracle-train-dedup.txt"
    dedup_lines(t, dedup)
    save_compact(train([dedup], 2048), os.path.join(fixtures, "hf-tokenizer-dedup.json"))
    # Reserved tokens shift every id by 3.
    save_compact(train([t], 700, reserved=3), os.path.join(fixtures, "hf-tokenizer-reserved.json"))
    print(f"tokenizers {tokenizers.__version__}: wrote hf-tokenizer.json, hf-tokenizer-dedup.json, "
          f"hf-tokenizer-reserved.json, hf-heldout-ids.json ({len(lines)} lines), hf-pretokenize.json")


def cmd_check(fixtures, directory):
    lines = heldout_lines(fixtures)
    tok = Tokenizer.from_file(os.path.join(directory, "swift-tokenizer.json"))
    ids = [e.ids for e in tok.encode_batch(lines, add_special_tokens=False)]
    with open(os.path.join(directory, "swift-heldout-ids.json"), encoding="utf-8") as f:
        swift_ids = json.load(f)
    with open(os.path.join(fixtures, "hf-heldout-ids.json"), encoding="utf-8") as f:
        hf_ids = json.load(f)
    vs_swift = sum(a == b for a, b in zip(ids, swift_ids))
    vs_hf = sum(a == b for a, b in zip(ids, hf_ids))
    decoded = sum(tok.decode(i, skip_special_tokens=False) == l for i, l in zip(ids, lines))
    print(f"tokenizers {tokenizers.__version__}: HF loaded swift-tokenizer.json "
          f"(vocab {tok.get_vocab_size()}); held-out lines {len(lines)}; "
          f"HF ids == Swift ids: {vs_swift}/{len(lines)}; == HF-trained ids: {vs_hf}/{len(lines)}; "
          f"HF decode round-trips: {decoded}/{len(lines)}")
    ok = vs_swift == len(lines) == len(swift_ids) and vs_hf == len(lines)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "train":
        cmd_train(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "check":
        cmd_check(sys.argv[2], sys.argv[3])
    else:
        print(__doc__)
        sys.exit(2)
