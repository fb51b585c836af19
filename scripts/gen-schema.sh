#!/usr/bin/env bash
# Regenerates src/header/generated/ from schema/*.fbs (`npm run gen:schema`).
#
#   bash scripts/gen-schema.sh           regenerate in place
#   bash scripts/gen-schema.sh --check   regenerate into a temp dir and fail if
#                                        the committed output differs (for CI).
#                                        Without flatc, checks what it can: the
#                                        schema's sha256 recorded at generation
#                                        (src/header/generated/schema.sha256) and
#                                        the generated files' banner and imports.
#
# The output is committed and never edited by hand: change the schema and run
# this script. It post-processes flatc's TypeScript so that it works as native
# ESM under `module: NodeNext`: Debian's flatc 2.0.8 writes relative imports
# without the `.js` extension (`from '../../ndshare/fb/dtype'`), which tsc
# rejects under NodeNext and Node cannot resolve at run time. Fixing that here,
# once, keeps the generated files reproducible from the schema alone.
#
# FLATC=/path/to/flatc overrides the compiler found on PATH.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
schema_dir="$root/schema"
out_dir="$root/src/header/generated"

check=0
case "${1:-}" in
  '') ;;
  --check) check=1 ;;
  *) echo "usage: bash scripts/gen-schema.sh [--check]" >&2; exit 2 ;;
esac

# The schema's fingerprint, recorded next to the generated code: lets --check
# tell, without flatc, whether the schema changed since the last generation.
schema_hashes() {
  (cd "$schema_dir" && sha256sum -- *.fbs)
}

flatc="${FLATC:-flatc}"
if ! command -v "$flatc" >/dev/null 2>&1 && [ "$check" -eq 1 ]; then
  # No flatc (a clean CI machine: flatc is not an npm dependency). Check what
  # can be checked: the schema is the one the committed code was generated
  # from, and the committed files are intact generated output.
  status=0
  if ! schema_hashes | diff - "$out_dir/schema.sha256" >&2; then
    echo "gen-schema: schema/*.fbs changed since src/header/generated/ was generated; run 'npm run gen:schema'." >&2
    status=1
  fi
  while IFS= read -r f; do
    if [ "$(head -n 1 "$f")" != "// GENERATED FILE - DO NOT EDIT." ]; then
      echo "gen-schema: ${f#"$root"/} lacks the generated-file banner." >&2
      status=1
    fi
    if grep -nE "(from|import)[[:space:]]+['\"]\.{1,2}/[^'\"]*['\"]" "$f" | grep -vE "\.js['\"]" >&2; then
      echo "gen-schema: ${f#"$root"/} has a relative import without .js." >&2
      status=1
    fi
  done < <(find "$out_dir" -name '*.ts' | sort)
  if [ "$status" -eq 0 ]; then
    echo "gen-schema: flatc not found; checked without it: schema/*.fbs matches the fingerprint recorded at generation," \
      "and the generated files carry their banner and .js imports. Install flatc (apt-get install flatbuffers-compiler)" \
      "for the full check, which regenerates and compares." >&2
  fi
  exit "$status"
fi
if ! command -v "$flatc" >/dev/null 2>&1; then
  cat >&2 <<MSG
gen-schema: flatc (the FlatBuffers compiler) was not found (looked for '$flatc').
  Debian/Ubuntu: apt-get install flatbuffers-compiler
  or point FLATC at a flatc binary: FLATC=/path/to/flatc npm run gen:schema
MSG
  exit 1
fi
if ! command -v node >/dev/null 2>&1; then
  echo "gen-schema: node was not found on PATH (needed to post-process flatc's output)." >&2
  exit 1
fi
flatc_version="$("$flatc" --version | sed -n 's/^flatc version //p')"
if [ -z "$flatc_version" ]; then
  echo "gen-schema: could not read the version of '$flatc' (is it flatc?)." >&2
  exit 1
fi
if [ "$flatc_version" != "2.0.8" ]; then
  # Other versions work but produce different code; the committed output was
  # made with 2.0.8, so a diff is expected if you switch.
  echo "gen-schema: warning: flatc $flatc_version (the committed output was generated with 2.0.8)" >&2
fi

shopt -s nullglob
schemas=("$schema_dir"/*.fbs)
shopt -u nullglob
if [ "${#schemas[@]}" -eq 0 ]; then
  echo "gen-schema: no schema files in $schema_dir" >&2
  exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/ndshare-gen-schema.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# `-I schema` lets one .fbs include another; each file is compiled on its own
# so each gets its own *_generated.ts barrel.
for f in "${schemas[@]}"; do
  "$flatc" --ts -I "$schema_dir" -o "$tmp/gen" "$f"
done

# Post-process every generated file:
#  - add `.js` to relative module specifiers (static imports and re-exports);
#  - prepend a banner that names this script and the schema;
#  - fail if any extensionless relative specifier is left (a new flatc
#    construct this rewrite does not know).
node - "$tmp/gen" "$flatc_version" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const [dir, flatcVersion] = process.argv.slice(2);
const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.ts')) files.push(p);
  }
})(dir);
if (files.length === 0) {
  console.error('gen-schema: flatc produced no TypeScript files');
  process.exit(1);
}
// `from './x'`, `from "../x/y"`, `import './x'`: relative specifiers only.
const spec = /(\bfrom\s+|\bimport\s+)(['"])(\.{1,2}\/[^'"]*?)\2/g;
const banner = [
  '// GENERATED FILE - DO NOT EDIT.',
  `// Generated by scripts/gen-schema.sh from schema/*.fbs with flatc ${flatcVersion};`,
  '// change the schema and run `npm run gen:schema` instead.',
  '',
].join('\n');
let bad = [];
for (const f of files.sort()) {
  let src = fs.readFileSync(f, 'utf8');
  src = src.replace(spec, (m, kw, q, p) =>
    /\.(js|mjs|cjs|json)$/.test(p) ? m : `${kw}${q}${p}.js${q}`,
  );
  for (const m of src.matchAll(spec)) {
    if (!/\.js$/.test(m[3])) bad.push(`${path.relative(dir, f)}: ${m[0]}`);
  }
  // A dynamic import() or require() of a relative path would escape the
  // rewrite above; flatc 2.0.8 emits none, so refuse rather than guess.
  for (const m of src.matchAll(/\b(?:import|require)\s*\(\s*['"]\.{1,2}\//g)) {
    bad.push(`${path.relative(dir, f)}: ${m[0]}`);
  }
  fs.writeFileSync(f, banner + src);
}
if (bad.length) {
  console.error('gen-schema: relative imports the rewrite could not fix:\n  ' + bad.join('\n  '));
  process.exit(1);
}
JS

schema_hashes > "$tmp/gen/schema.sha256"

if [ "$check" -eq 1 ]; then
  if diff -r "$tmp/gen" "$out_dir" >/dev/null 2>&1; then
    echo "gen-schema: $out_dir is up to date."
    exit 0
  fi
  echo "gen-schema: $out_dir is out of date with schema/*.fbs; run 'npm run gen:schema'." >&2
  diff -ru "$out_dir" "$tmp/gen" >&2 || true
  exit 1
fi

# Replace the whole folder so files of removed tables do not linger.
rm -rf "$out_dir"
mkdir -p "$(dirname "$out_dir")"
cp -R "$tmp/gen" "$out_dir"
echo "gen-schema: wrote $(find "$out_dir" -name '*.ts' | wc -l) files to ${out_dir#"$root"/} (flatc $flatc_version)."
