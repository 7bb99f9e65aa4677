#!/usr/bin/env bash
# Bulk publish through broker faults on a three-node cluster: a clean run, then the same file with
# the leader of the price topic's partition 0 SIGKILLed after KILL_AFTER seconds (and started
# again once the publish has ended). Each run is read back with kcat and checked by eventId:
# acknowledged (what pix said), on the topics, lost (acknowledged and not there), duplicated.
# Usage: PIX_BROKERS=host:port,host:port,host:port PIX_CLUSTER_PORT=PORT [PIX_STATE_DIR=DIR] \
#   bench/fault-publish.sh [events] [kill-after-seconds]   (a cluster of `pix local start --nodes 3`)
source "$(dirname "$0")/lib.sh"
count=${1:-200000}
kill_after=${2:-2}
port=${PIX_CLUSTER_PORT:?the client port of node 1 of the pix local cluster}
file="$OUT/fault-events-$count.ndjson"
if [ ! -s "$file" ]; then
  node -e '
    const { randomUUID } = require("node:crypto");
    const out = require("node:fs").createWriteStream(process.argv[2]);
    for (let index = 0; index < Number(process.argv[1]); index += 1) {
      const productId = "p" + (index % 2000);
      out.write(JSON.stringify({ type: "price", productId, price: Math.floor(index / 2000) + 0.5, eventId: randomUUID() }) + "\n");
    }
    out.end();' "$count" "$file"
fi

# Reads the prefix's price topic back and says: on the topics, distinct, duplicated, lost.
check() {
  kcat -b "$BROKERS" -C -t "${1}product-price-update" -e -q -f '%s\n' | node -e '
    const lines = require("node:fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
    const ids = new Set(lines.map((line) => JSON.parse(line).eventId));
    const acknowledged = Number(process.argv[1]);
    console.log(`on the topic ${lines.length}, distinct ${ids.size}, duplicated ${lines.length - ids.size}, lost ${Math.max(0, acknowledged - ids.size)}`);' "$2"
}

run() {
  local prefix fault=$1 start pid leader status
  prefix=$(fresh_prefix)
  pix topics create --brokers "$BROKERS" --topic-prefix "$prefix" >/dev/null 2>&1
  start=$(now)
  node "$ROOT/bin/pix.cjs" publish --file "$file" --brokers "$BROKERS" --topic-prefix "$prefix" --timeout 60s --json > "$OUT/fault-summary.json" 2> "$OUT/fault-stderr.txt" &
  pid=$!
  if [ "$fault" = kill ]; then
    sleep "$kill_after"
    leader=$(kcat -b "$BROKERS" -L -t "${prefix}product-price-update" -J | node -e 'const m = JSON.parse(require("node:fs").readFileSync(0, "utf8")); console.log(m.topics[0].partitions.find((p) => p.partition === 0).leader)')
    pix local stop --port "$port" --node "$leader" --kill >/dev/null
  fi
  status=0
  wait "$pid" || status=$?
  local seconds acknowledged
  seconds=$(elapsed "$start")
  acknowledged=$(node -e 'try { console.log(JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).published) } catch { console.log(0) }' "$OUT/fault-summary.json")
  local label="no fault"
  [ "$fault" = kill ] && label="leader SIGKILL at ${kill_after}s"
  printf '  %-22s: exit %s in %.1fs, acknowledged %s, %s\n' "$label" "$status" "$seconds" "$acknowledged" "$(check "$prefix" "$acknowledged")"
  [ "$fault" = kill ] && pix local start --port "$port" >/dev/null
  return 0
}

echo "bulk publish of $count events through faults, replication factor 3, min.insync.replicas=2"
run none
run kill
