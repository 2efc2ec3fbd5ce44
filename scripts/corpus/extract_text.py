#!/usr/bin/env python3
"""Extract plain text (one paragraph per line) from unpacked Debian documentation packages.

Usage: extract_text.py UNPACKED_DIR OUT_DIR

UNPACKED_DIR holds one folder per package, each made with `dpkg-deb -x PKG.deb UNPACKED_DIR/PKG`
(see fetch_sources.sh). OUT_DIR receives `<lang>.<source>.txt` files. Paragraphs are whitespace-collapsed;
<pre> blocks keep their lines. Translated documents drop paragraphs that are identical to the English
original (untranslated leftovers). Source code files are copied verbatim (tabs and newlines kept).
Only the Python standard library is used.
"""
import glob
import html.parser
import os
import re
import sys
import xml.etree.ElementTree as ET

BLOCK = {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "title", "pre", "div", "br", "tr"}
SKIP = {"script", "style", "head", "nav"}


class _Blocks(html.parser.HTMLParser):
    """Collects text blocks from HTML, one string per block; <pre> blocks keep their newlines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.cur, self.skip, self.pre = [], [], 0, 0

    def _flush(self):
        text = "".join(self.cur)
        self.cur = []
        if self.pre:
            for line in text.split("\n"):
                if line.strip():
                    self.blocks.append(line.rstrip())
        else:
            text = " ".join(text.split())
            if text:
                self.blocks.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        if tag in BLOCK:
            self._flush()
        if tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag):
        if tag in BLOCK:
            self._flush()
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)


def html_blocks(path):
    parser = _Blocks()
    with open(path, encoding="utf-8", errors="replace") as f:
        parser.feed(f.read())
    parser._flush()
    return parser.blocks


def mallard_blocks(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return []
    out = []
    for el in root.iter():
        if el.tag.split("}")[-1] in ("p", "title", "desc", "item"):
            text = " ".join("".join(el.itertext()).split())
            if text:
                out.append(text)
    return out


class Sink:
    def __init__(self, out_dir):
        self.out_dir, self.files = out_dir, {}

    def write(self, lang, source, lines):
        key = (lang, source)
        if key not in self.files:
            self.files[key] = open(os.path.join(self.out_dir, f"{lang}.{source}.txt"), "w", encoding="utf-8")
        for line in lines:
            self.files[key].write(line + "\n")

    def close(self):
        for f in self.files.values():
            f.close()


def handbook(x, sink):
    base = f"{x}/debian-handbook/usr/share/doc/debian-handbook/html"
    if not os.path.isdir(base):
        return
    langs = {"en-US": "en", "fr-FR": "fr", "es-ES": "es", "ar-MA": "ar", "zh-CN": "zh", "ja-JP": "ja",
             "pt-BR": "pt", "vi-VN": "vi", "id-ID": "id", "ca-ES": "ca", "de-DE": "de", "ru-RU": "ru"}
    for d, lang in sorted(langs.items()):
        for f in sorted(glob.glob(f"{base}/{d}/*.html")):
            blocks = html_blocks(f)
            if d != "en-US":
                en = f.replace(f"/{d}/", "/en-US/")
                english = set(html_blocks(en)) if os.path.exists(en) else set()
                blocks = [b for b in blocks if b not in english]
            sink.write(lang, "debian-handbook", blocks)


def libreoffice_help(x, sink):
    for pkg in sorted(glob.glob(f"{x}/libreoffice-help-*")):
        code = pkg.rsplit("libreoffice-help-", 1)[1]
        if code in ("common", "en-us"):
            continue
        root = f"{pkg}/usr/share/libreoffice/help"
        dirs = [d for d in os.listdir(root) if d != "media"] if os.path.isdir(root) else []
        en_root = f"{x}/libreoffice-help-en-us/usr/share/libreoffice/help/en-US"
        lang = code.split("-")[0]
        for d in dirs:
            for f in sorted(glob.glob(f"{root}/{d}/**/*.html", recursive=True)):
                blocks = html_blocks(f)
                en = f.replace(f"{root}/{d}/", f"{en_root}/")
                english = set(html_blocks(en)) if os.path.exists(en) else set()
                sink.write(lang, "libreoffice-help", [b for b in blocks if b not in english])


def gnome_user_docs(x, sink):
    base = f"{x}/gnome-user-docs/usr/share/help"
    if not os.path.isdir(base):
        return
    for lang in ("hi", "ta", "mr", "ar", "zh_CN", "ja", "fr", "es"):
        for f in sorted(glob.glob(f"{base}/{lang}/*/*.page")):
            blocks = mallard_blocks(f)
            c = re.sub(r"/help/[^/]+/", "/help/C/", f)
            english = set(mallard_blocks(c)) if os.path.exists(c) else set()
            sink.write(lang.split("_")[0], "gnome-user-docs", [b for b in blocks if b not in english])


def code(x, sink):
    for pattern, lang, source in (
        (f"{x}/libpython3.11-stdlib/usr/lib/python3.11/**/*.py", "code-python", "libpython3.11-stdlib"),
        (f"{x}/golang-1.19-src/usr/share/go-1.19/src/**/*.go", "code-go", "golang-1.19-src"),
    ):
        for f in sorted(glob.glob(pattern, recursive=True)):
            if "/testdata/" in f or not os.path.isfile(f):
                continue
            with open(f, encoding="utf-8", errors="replace") as fh:
                sink.write(lang, source, fh.read().split("\n"))


def main():
    x, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    sink = Sink(out)
    for step in (handbook, libreoffice_help, gnome_user_docs, code):
        step(x, sink)
    sink.close()
    for name in sorted(os.listdir(out)):
        print(f"{os.path.getsize(os.path.join(out, name)) / 1e6:8.2f} MB  {name}")


if __name__ == "__main__":
    main()
