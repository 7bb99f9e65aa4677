#!/usr/bin/env bash
# One event as a whole process: pix publish price versus kcat -P and Kafka's console producer,
# with a bare `node -e 0` as the floor. Median of N runs each (default 15).
# Usage: bench/single-event.sh [runs]
source "$(dirname "$0")/lib.sh"
runs=${1:-15}
prefix=$(fresh_prefix)
pix topics create --brokers "$BROKERS" --topic-prefix "$prefix" >/dev/null 2>&1
topic="${prefix}product-price-update"

tools=$(kafka_tools)

# The four are timed in turn within each round, so a busy moment of the machine weighs on all alike.
event='{"type":"price","productId":"1","price":9}'
node_runs=() pix_runs=() kcat_runs=() console_runs=()
for _ in $(seq "$runs"); do
  node_runs+=("$(time_ms node -e 0)")
  pix_runs+=("$(time_ms node "$ROOT/bin/pix.cjs" publish price --id 1 --price 9 --brokers "$BROKERS" --topic-prefix "$prefix")")
  kcat_runs+=("$(time_ms sh -c "echo '$event' | kcat -b $BROKERS -P -t $topic -k 1")")
  console_runs+=("$(time_ms sh -c "echo '$event' | java -cp '$tools/libs/*' org.apache.kafka.tools.ConsoleProducer --bootstrap-server $BROKERS --topic $topic")")
done
node_ms=$(median "${node_runs[@]}")
pix_ms=$(median "${pix_runs[@]}")
kcat_ms=$(median "${kcat_runs[@]}")
console_ms=$(median "${console_runs[@]}")

echo "one event as a whole process (median of $runs rounds)"
echo "  node -e 0                  : ${node_ms} ms"
echo "  pix publish price          : ${pix_ms} ms  ($(ratio "$pix_ms" "$node_ms")x node -e 0)"
echo "  kcat -P                    : ${kcat_ms} ms  (pix / kcat $(ratio "$pix_ms" "$kcat_ms"))"
echo "  kafka console producer     : ${console_ms} ms  (console / pix $(ratio "$console_ms" "$pix_ms"))"
