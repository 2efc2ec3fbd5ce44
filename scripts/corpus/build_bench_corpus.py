#!/usr/bin/env python3
"""Build the ~20 MB multilingual benchmark corpus from extract_text.py output.

Usage: build_bench_corpus.py TEXT_DIR OUT_FILE

Takes the first lines of each source up to its cap (MB below), in this order, so the result
is deterministic. Mix: European languages, Arabic, Hindi and Indic, Chinese, Japanese, code.
Also writes OUT_FILE.sources.json: [{"label", "source", "lines": [first, end)}] for
`tokenizer-bench --fertility`.
"""
import json
import os
import sys

CAPS_MB = [
    ("en.debian-handbook.txt", 1.2), ("fr.debian-handbook.txt", 0.8), ("fr.libreoffice-help.txt", 1.2),
    ("es.debian-handbook.txt", 0.9), ("es.libreoffice-help.txt", 1.1), ("pt.debian-handbook.txt", 0.9),
    ("pt.libreoffice-help.txt", 0.6), ("vi.debian-handbook.txt", 0.3), ("vi.libreoffice-help.txt", 1.0),
    ("id.libreoffice-help.txt", 1.0), ("ca.libreoffice-help.txt", 1.0), ("eu.libreoffice-help.txt", 0.8),
    ("de.debian-handbook.txt", 0.5), ("ru.debian-handbook.txt", 0.5),
    ("ar.debian-handbook.txt", 0.9), ("hi.libreoffice-help.txt", 0.8), ("ta.gnome-user-docs.txt", 0.5),
    ("mr.gnome-user-docs.txt", 0.4), ("zh.debian-handbook.txt", 0.6), ("zh.libreoffice-help.txt", 1.2),
    ("ja.debian-handbook.txt", 0.9), ("ja.libreoffice-help.txt", 0.9),
    ("code-python.libpython3.11-stdlib.txt", 1.6), ("code-go.golang-1.19-src.txt", 1.6),
]


def main():
    text_dir, out = sys.argv[1], sys.argv[2]
    total, line_no, spans = 0, 0, []
    with open(out, "w", encoding="utf-8", newline="") as dst:
        for name, cap in CAPS_MB:
            limit, size, first = int(cap * 1e6), 0, line_no
            with open(os.path.join(text_dir, name), encoding="utf-8", newline="") as src:
                for line in src:
                    if size >= limit:
                        break
                    if not line.endswith("\n"):
                        line += "\n"
                    dst.write(line)
                    size += len(line.encode())
                    line_no += 1
            total += size
            spans.append({"label": name.split(".")[0], "source": name.split(".")[1], "lines": [first, line_no]})
            print(f"{size / 1e6:6.2f} MB  {name}")
    with open(out + ".sources.json", "w") as f:
        json.dump(spans, f, indent=1)
    print(f"{total / 1e6:6.2f} MB  total -> {out}")


if __name__ == "__main__":
    main()
