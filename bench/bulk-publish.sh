#!/usr/bin/env bash
# Bulk publish: pix publish --file versus kcat -P -l, the same NDJSON file, the same local broker.
# Each round times pix then kcat, so a busy moment of the machine weighs on both; the rates printed
# are the medians of the rounds (this 2-core machine varies by ±20% from one run to the next).
# Usage: bench/bulk-publish.sh [events] [rounds]   (default 1,000,000 events, 3 rounds)
source "$(dirname "$0")/lib.sh"
count=${1:-1000000}
rounds=${2:-3}
file=$(events_file "$count")

pix_rates=() kcat_rates=() rss=()
for _ in $(seq "$rounds"); do
  pix_prefix=$(fresh_prefix)
  pix topics create --brokers "$BROKERS" --topic-prefix "$pix_prefix" >/dev/null
  start=$(now)
  /usr/bin/time -f '%M' -o "$OUT/pix-rss.txt" node "$ROOT/bin/pix.cjs" publish --file "$file" --brokers "$BROKERS" --topic-prefix "$pix_prefix" >/dev/null
  pix_rates+=("$(echo "$count / $(elapsed "$start")" | bc)")
  rss+=("$(( $(cat "$OUT/pix-rss.txt") / 1024 ))")

  # kcat writes one topic per run: give it the whole file on one topic, with the same total bytes.
  kcat_prefix=$(fresh_prefix)
  pix topics create --brokers "$BROKERS" --topic-prefix "$kcat_prefix" >/dev/null
  kcat -b "$BROKERS" -L >/dev/null
  start=$(now)
  kcat -b "$BROKERS" -P -t "${kcat_prefix}product-price-update" -X acks=all -X enable.idempotence=true -l "$file"
  kcat_rates+=("$(echo "$count / $(elapsed "$start")" | bc)")
done

pix_rate=$(median "${pix_rates[@]}")
kcat_rate=$(median "${kcat_rates[@]}")
echo "bulk publish of $count events, median of $rounds rounds"
echo "  pix publish --file : ${pix_rate} events/s (rounds: ${pix_rates[*]}; max RSS ${rss[*]} MB)"
echo "  kcat -P -l         : ${kcat_rate} events/s (rounds: ${kcat_rates[*]})"
echo "  pix / kcat         : $(ratio "$pix_rate" "$kcat_rate")"
echo "$pix_prefix" > "$OUT/last-publish-prefix"
