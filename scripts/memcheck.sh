#!/usr/bin/env bash
# Runs a short binding fuzz (every entry point, accepted and rejected calls) and a short soak
# under valgrind memcheck, and fails if any definitely-lost block has an adam_simd frame in
# its stack. Node itself leaves some definitely-lost blocks at exit; those are not ours.
#   bash scripts/memcheck.sh   (needs valgrind, dist/ and the addon; ADAM_SIMD_BINARY picks a build)
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
run() {
  valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite --num-callers=40 \
    --log-file="$log.%p" node "$@"
}
run scripts/fuzz-binding.js --seed 11 --calls 2000
run --expose-gc scripts/soak.js --steps 20000 --optimizers 200 --max-growth-mb 64
ours=$(cat "$log".* | awk '/definitely lost in/{block=1; text=""} block{text=text"\n"$0} /^==[0-9]+== $/{if (block && text ~ /adam_simd/) print text; block=0}')
grep -h "definitely lost:" "$log".* | sed 's/^==[0-9]*== */memcheck: /'
rm -f "$log" "$log".*
if [[ -n $ours ]]; then
  echo "memcheck: FAIL: definitely-lost blocks allocated by adam_simd:$ours"
  exit 1
fi
echo "memcheck: no definitely-lost block from adam_simd frames"
