#!/usr/bin/env bash
# Consume everything on the topics: pix consume --json --exit versus kcat -C -e, same broker.
# Run bench/bulk-publish.sh first: it leaves the topics to read.
source "$(dirname "$0")/lib.sh"
prefix=$(cat "$OUT/last-publish-prefix")
topics=("${prefix}product-price-update" "${prefix}product-discount-update" "${prefix}product-country-update")

start=$(now)
pix_count=$(node "$ROOT/bin/pix.cjs" consume --from-beginning --exit --json --brokers "$BROKERS" --topic-prefix "$prefix" | wc -l)
pix_seconds=$(elapsed "$start")

start=$(now)
kcat_count=0
for topic in "${topics[@]}"; do
  kcat_count=$(( kcat_count + $(kcat -b "$BROKERS" -C -t "$topic" -o beginning -e -q | wc -l) ))
done
kcat_seconds=$(elapsed "$start")

pix_rate=$(echo "$pix_count / $pix_seconds" | bc)
kcat_rate=$(echo "$kcat_count / $kcat_seconds" | bc)
echo "consume to the end"
echo "  pix consume --json --exit : ${pix_count} events, ${pix_rate} events/s"
echo "  kcat -C -e                : ${kcat_count} events, ${kcat_rate} events/s"
echo "  pix / kcat                : $(ratio "$pix_rate" "$kcat_rate")"
