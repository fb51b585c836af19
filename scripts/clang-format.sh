#!/usr/bin/env bash
# Formats native/ with clang-format and .clang-format (`npm run format:native`).
#
#   bash scripts/clang-format.sh           format native/ in place
#   bash scripts/clang-format.sh --check   fail if a file is not formatted (for CI)
#
# clang-format is a developer tool, like flatc for the schema: `npm install`
# never needs it. Debian/Ubuntu: `apt-get install clang-format`. Versions
# format differently, so --check compares only with the major version the tree
# was formatted with (FORMATTED_WITH below); without clang-format, or with
# another major version, --check says so and passes, as gen-schema's --check
# does without flatc. CLANG_FORMAT=/path/to/clang-format overrides the one on PATH.
set -euo pipefail

FORMATTED_WITH=14
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cf="${CLANG_FORMAT:-clang-format}"

check=0
case "${1:-}" in
  '') ;;
  --check) check=1 ;;
  *) echo "usage: bash scripts/clang-format.sh [--check]" >&2; exit 2 ;;
esac

mapfile -t files < <(cd "$root" && find native -type f \( -name '*.cc' -o -name '*.h' -o -name '*.inc' \) | sort)

if ! command -v "$cf" >/dev/null 2>&1; then
  if [ "$check" -eq 1 ]; then
    echo "clang-format not installed: native/ formatting not checked (apt-get install clang-format)"
    exit 0
  fi
  echo "clang-format not found (apt-get install clang-format, or set CLANG_FORMAT)" >&2
  exit 1
fi

major="$("$cf" --version | sed -n 's/.*version \([0-9][0-9]*\).*/\1/p' | head -n 1)"
cd "$root"
if [ "$check" -eq 0 ]; then
  "$cf" -i --style=file "${files[@]}"
  echo "formatted ${#files[@]} files under native/ with clang-format $major"
  exit 0
fi
if [ "$major" != "$FORMATTED_WITH" ]; then
  echo "clang-format $major found; native/ is formatted with $FORMATTED_WITH: not checked"
  exit 0
fi
"$cf" --dry-run -Werror --style=file "${files[@]}"
echo "native/: ${#files[@]} files formatted (clang-format $major)"
