#!/usr/bin/env bash
# Regenerates Tests/CorpusTests/Fixtures/cache from a fetch cache (after `corpus-bench --selection demo`):
# small slices of real Debian package trees, in the PackageCache layout, served offline by the
# `fixtures` selection. Every file is copied unmodified from the package named by its folder.
#
#   scripts/make-fixtures.sh [CACHE]        (default CACHE=.data/cache)
set -euo pipefail
CACHE=${1:-.data/cache}
OUT=Tests/CorpusTests/Fixtures/cache
rm -rf "$OUT"; mkdir -p "$OUT/packages"

# copy PACKAGE RELATIVE-FILE...: files from the cached tree of PACKAGE (its only version) + marker.
copy() {
  local pkg=$1; shift
  local entry; entry=$(ls -d "$CACHE/packages/$pkg"/*/ | head -1); entry=${entry%/}
  local dest="$OUT/packages/$pkg/$(basename "$entry")"
  mkdir -p "$dest/root"
  cp "$entry/package.json" "$dest/package.json"
  for f in "$@"; do mkdir -p "$dest/root/$(dirname "$f")"; cp "$entry/root/$f" "$dest/root/$f"; done
}

LO_FILES="sbasic/shared/03070600.html sbasic/shared/compatible.html scalc/01/func_timevalue.html scalc/guide/finding.html
 schart/01/03010000.html shared/01/01100400.html shared/01/05200300.html shared/guide/numbering_stop.html
 simpress/guide/page_copy.html swriter/01/04090000.html swriter/guide/conditional_text.html swriter/guide/section_insert.html"
for pair in en-us:en-US fr:fr es:es zh-cn:zh-CN hi:hi; do
  pkg=libreoffice-help-${pair%%:*}; loc=${pair##*:}
  copy "$pkg" $(for f in $LO_FILES; do echo "usr/share/libreoffice/help/$loc/text/$f"; done)
done

HB_FILES="sect.kali.html sect.tails.html sect.devuan.html sect.raspbian.html sect.linux-mint.html sect.knoppix.html
 sect.who-is-this-book-for.html sect.why-debian-stable.html sect.future-of-debian.html sect.apt-file.html"
copy debian-handbook $(for l in en-US ar-MA; do for f in $HB_FILES; do echo "usr/share/doc/debian-handbook/html/$l/$f"; done; done)

copy libpython3.11-stdlib usr/lib/python3.11/fileinput.py usr/lib/python3.11/mailcap.py usr/lib/python3.11/json/scanner.py \
  usr/lib/python3.11/json/tool.py usr/lib/python3.11/asyncio/trsock.py usr/lib/python3.11/asyncio/staggered.py
copy lua-penlight usr/share/lua/5.1/pl/List.lua usr/share/lua/5.1/pl/stringx.lua usr/share/lua/5.1/pl/tablex.lua

# DDTP: English descriptions whose md5 starts with "00", and their French and German translations.
DD="$CACHE/ddtp"
for l in en fr de; do mkdir -p "$OUT/ddtp/$l"; cp "$DD/$l/ddtp.json" "$OUT/ddtp/$l/ddtp.json"; done
awk 'BEGIN{RS="";ORS="\n\n"} /\nDescription-md5: 00/' "$DD/en/Translation-en" > "$OUT/ddtp/en/Translation-en"
md5s=$(grep -o '^Description-md5: 00[0-9a-f]*' "$OUT/ddtp/en/Translation-en" | cut -d' ' -f2 | tr '\n' '|' | sed 's/|$//')
for l in fr de; do
  awk -v re="Description-md5: ($md5s)" 'BEGIN{RS="";ORS="\n\n"} $0 ~ re' "$DD/$l/Translation-$l" > "$OUT/ddtp/$l/Translation-$l"
done
# Their Debian sections (topic-classification labels), from the cache's sections file.
mkdir -p "$OUT/ddtp/sections"; cp "$DD/sections/sections.json" "$OUT/ddtp/sections/sections.json"
grep -E "^($md5s)	" "$DD/sections/sections.tsv" > "$OUT/ddtp/sections/sections.tsv"
du -sh "$OUT"

# The packages' own copyright files, for the licence notices.
mkdir -p Tests/CorpusTests/Fixtures/licenses
for pkg in libreoffice-help-en-us debian-handbook lua-penlight; do
  entry=$(ls -d "$CACHE/packages/$pkg"/*/ | head -1)
  cp "${entry}root/usr/share/doc/$pkg/copyright" "Tests/CorpusTests/Fixtures/licenses/$pkg.copyright"
done
