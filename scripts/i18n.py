#!/usr/bin/env python3
"""Keeps the translation catalogs sorted (the Rust lookup is a binary search).

Usage: scripts/i18n.py            rewrites src/core/src/i18n/{en,de}.rs sorted by key
The catalogs stay the source of truth; this only reorders and re-emits them.
"""
import re, pathlib
root = pathlib.Path(__file__).resolve().parent.parent / "src/core/src/i18n"
pair = re.compile(r'^\s*\("((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"\),\s*$')
for lang in ("en", "de"):
    path = root / f"{lang}.rs"
    entries = {}
    for line in path.read_text().splitlines():
        m = pair.match(line)
        if m:
            entries[m.group(1)] = m.group(2)
    body = "\n".join(f'    ("{k}", "{v}"),' for k, v in sorted(entries.items()))
    path.write_text(f"//! {'English' if lang == 'en' else 'German'} catalog. Sorted by key: run scripts/i18n.py after editing.\npub const CATALOG: &[(&str, &str)] = &[\n{body}\n];\n")
    print(f"{lang}: {len(entries)} keys")
