#!/bin/sh
# Builds the committed reader fixtures from the hand-written sources in src/:
#   export-lync2013.zip    Export-CsUserData layout: DocItemSet.xml (UTF-8 with BOM) + MetaData.xml
#   dbimpexp-utf16le.xml   DBImpExp layout as DBImpExp.exe writes it: UTF-16 LE with BOM
#   dbimpexp-utf8.xml      the same document in UTF-8 without BOM
# Run from this folder: sh mkfixtures.sh (needs zip and iconv). The outputs are committed.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '\357\273\277' > "$tmp/DocItemSet.xml"
cat src/DocItemSet.xml >> "$tmp/DocItemSet.xml"
cp src/MetaData.xml "$tmp/MetaData.xml"
TZ=UTC touch -d '2014-07-10 12:00:00' "$tmp/DocItemSet.xml" "$tmp/MetaData.xml"
rm -f export-lync2013.zip
(cd "$tmp" && TZ=UTC zip -q -X -D out.zip DocItemSet.xml MetaData.xml)
mv "$tmp/out.zip" export-lync2013.zip

printf '\377\376' > dbimpexp-utf16le.xml
iconv -f UTF-8 -t UTF-16LE src/dbimpexp.xml >> dbimpexp-utf16le.xml

sed '1s/encoding="utf-16"/encoding="utf-8"/' src/dbimpexp.xml > dbimpexp-utf8.xml
