#!/usr/bin/env bash
# npm run format (--write): reformats the tree. npm run lint (--check): fails on any file the
# formatters would change and on any lint finding. C++ through clang-format (.clang-format),
# TypeScript, JavaScript and JSON through biome (biome.json: formatter and linter).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
[[ $mode == --write || $mode == --check ]] || { echo "usage: scripts/format.sh --write|--check" >&2; exit 2; }

# Formatters disagree across major versions, so one is the formatter of record: Debian 12's
# (apt-get install clang-format). CLANG_FORMAT picks another binary of that version.
clang_format=${CLANG_FORMAT:-clang-format}
want=14
have=$("$clang_format" --version 2>/dev/null | sed -nE 's/.*version ([0-9]+)\..*/\1/p') || true
if [[ $have != "$want" ]]; then
  echo "scripts/format.sh: needs clang-format $want (found: ${have:-none}); apt-get install clang-format, or set CLANG_FORMAT" >&2
  exit 1
fi

# Every C++ file git knows of or would add (tracked and untracked, not ignored), but the
# generator's output (scripts/gen-schema.js), which its test compares byte for byte.
mapfile -t cpp < <(git ls-files -co --exclude-standard -- '*.cpp' '*.h' ':!native/src/generated/')
status=0
if [[ $mode == --write ]]; then
  "$clang_format" -i "${cpp[@]}"
  npx biome format --write
else
  "$clang_format" --dry-run --Werror "${cpp[@]}" || status=1
  npx biome check --error-on-warnings || status=1
fi
exit $status
