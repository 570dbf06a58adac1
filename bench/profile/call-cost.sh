#!/usr/bin/env bash
# The fixed cost of an adamStep call, object vs packed scalars: wall time (bench/profile/
# call-cost.js) and callgrind instructions inside the binding's step entry per call.
# Usage: bash bench/profile/call-cost.sh   (after npx tsc -p . and a native build)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build-bench-profile
mkdir -p "$out"
for size in 1 4096; do node bench/profile/call-cost.js "$size" 20000; done
calls=20000
for form in object packed; do
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.call-$form" \
    node bench/profile/call-cost.js --only "$form" 1 $calls >/dev/null 2>"$out/valgrind.call-$form.log"
  ir=$(callgrind_annotate --inclusive=yes "$out/callgrind.call-$form" 2>/dev/null |
    awk 'index($0, "step_entry<") && index($0, "AdamOp, false>") && !found { gsub(",", "", $1); found = $1 } END { print found }')
  echo "callgrind, 1-param adamStep, $form scalars: $((ir / calls)) instructions per call in the binding's step entry"
done
