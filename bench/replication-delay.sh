#!/usr/bin/env bash
# Replication delay from on-prem to cloud through MirrorMaker 2: two local clusters of their own
# (pix local start --name, in a state folder of this run), pix local mirror between them, and
# pix simulate publishing on-prem at RATE events/s for SECONDS. kcat, the reference consumer, reads
# on-prem's topics on on-prem and their copies on cloud as they arrive; each line is stamped on
# arrival, and its delay is the arrival minus the record's Kafka timestamp (which MirrorMaker keeps).
# The same read on the source gives what a consumer sees without the mirror, for the ratio.
# Usage: bench/replication-delay.sh [seconds, default 60] [events/s, default 1000]
source "$(dirname "$0")/lib.sh"
seconds=${1:-60}
rate=${2:-1000}

work=$(mktemp -d "${TMPDIR:-/tmp}/pix-bench-sites-XXXXXX")
export PIX_STATE_DIR="$work/state" PIX_CONFIG="$work/config.json"
echo '{}' >"$PIX_CONFIG"
cleanup() {
  pix local mirror stop --from on-prem --to cloud >/dev/null 2>&1 || true
  pix local stop --all >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

pix local start --name on-prem --heap 384m >/dev/null
pix local start --name cloud --heap 384m >/dev/null
pix topics create --cluster on-prem >/dev/null 2>&1
pix local mirror start --from on-prem --to cloud >/dev/null
brokers_of() { node -e 'console.log(JSON.parse(require("fs").readFileSync(process.env.PIX_CONFIG, "utf8")).clusters[process.argv[1]].brokers.join(","))' "$1"; }
on_prem=$(brokers_of on-prem)
cloud=$(brokers_of cloud)
# MirrorMaker makes the copies of the topics once it has started.
until [ "$(pix topics list --cluster cloud | grep -c '^on-prem\.product-')" -eq 3 ]; do sleep 0.5; done

# Reads the three topics (under a prefix) with kcat from their end, and prints "p50 p99 max count".
delays() {
  local brokers=$1 prefix=$2 out=$3
  kcat -b "$brokers" -G "bench-$(date +%s%N)" -X auto.offset.reset=latest -u -q -f '%T\n' \
    "${prefix}product-price-update" "${prefix}product-discount-update" "${prefix}product-country-update" |
    node -e '
      const delays = [];
      const lines = require("node:readline").createInterface({ input: process.stdin });
      lines.on("line", (line) => { const at = Number(line); if (at > 0) delays.push(Date.now() - at); });
      lines.on("close", () => {
        delays.sort((a, b) => a - b);
        const at = (q) => delays[Math.min(delays.length - 1, Math.ceil(q * delays.length) - 1)] ?? 0;
        require("node:fs").writeFileSync(process.argv[1], `${at(0.5)} ${at(0.99)} ${delays.at(-1) ?? 0} ${delays.length}\n`);
      });
    ' "$out" &
}
delays "$cloud" on-prem. "$OUT/replicated.txt"
delays "$on_prem" "" "$OUT/local.txt"
# The group consumers join and take their partitions before the traffic begins.
sleep 5
pix simulate --cluster on-prem --sites on-prem --rate "$rate" --duration "${seconds}s" --products 10000 >/dev/null
# The copies of the last events cross, then the readers stop.
sleep 5
pkill -f "kcat -b .* -G bench-" || true
wait
read -r rp50 rp99 rmax rcount <"$OUT/replicated.txt"
read -r lp50 lp99 lmax lcount <"$OUT/local.txt"
echo "replication delay on-prem -> cloud at $rate events/s for ${seconds}s (MirrorMaker 2, connect-mirror 4.1.2)"
echo "  read on cloud (copies)  : p50 ${rp50} ms, p99 ${rp99} ms, max ${rmax} ms ($rcount events)"
echo "  read on on-prem (source): p50 ${lp50} ms, p99 ${lp99} ms, max ${lmax} ms ($lcount events)"
echo "  cloud / on-prem p50     : $(ratio "$rp50" "$((lp50 > 0 ? lp50 : 1))")"
