#!/usr/bin/env bash
# Bulk publish: pix publish --file versus kcat -P -l, the same NDJSON file, the same local broker.
# Usage: bench/bulk-publish.sh [events]   (default 1,000,000)
source "$(dirname "$0")/lib.sh"
count=${1:-1000000}
file=$(events_file "$count")

pix_prefix=$(fresh_prefix)
pix topics create --brokers "$BROKERS" --topic-prefix "$pix_prefix" >/dev/null
start=$(now)
/usr/bin/time -f '%M' -o "$OUT/pix-rss.txt" node "$ROOT/bin/pix.cjs" publish --file "$file" --brokers "$BROKERS" --topic-prefix "$pix_prefix" >/dev/null
pix_seconds=$(elapsed "$start")
pix_rss_mb=$(( $(cat "$OUT/pix-rss.txt") / 1024 ))

# kcat writes one topic per run: give it the whole file on one topic, with the same total bytes.
kcat_topic="$(fresh_prefix)kcat"
pix topics create --brokers "$BROKERS" --topic-prefix "${kcat_topic%kcat}" >/dev/null
kcat -b "$BROKERS" -L >/dev/null
start=$(now)
kcat -b "$BROKERS" -P -t "${kcat_topic%kcat}product-price-update" -X acks=all -X enable.idempotence=true -l "$file"
kcat_seconds=$(elapsed "$start")

pix_rate=$(echo "$count / $pix_seconds" | bc)
kcat_rate=$(echo "$count / $kcat_seconds" | bc)
echo "bulk publish of $count events"
echo "  pix publish --file : ${pix_rate} events/s (${pix_seconds%.*}s wall, max RSS ${pix_rss_mb} MB)"
echo "  kcat -P -l         : ${kcat_rate} events/s"
echo "  pix / kcat         : $(ratio "$pix_rate" "$kcat_rate")"
echo "$pix_prefix" > "$OUT/last-publish-prefix"
