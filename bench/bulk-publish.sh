#!/usr/bin/env bash
# Bulk publish: pix publish --file versus kcat -P -l, the same NDJSON file, the same local broker.
# Each round times pix then kcat, so a busy moment of the machine weighs on both; the rates printed
# are the medians of the rounds (this 2-core machine varies by ±20% from one run to the next).
# kcat also sends the event JSON pix wrote, as plain values: the cost of pix's bytes without its work.
# With PIX_PREVIOUS=DIR (a checkout of an earlier pix, built), each round also times that build,
# just after this one: the ratio of the two says whether a change made publishing slower.
# Usage: bench/bulk-publish.sh [events] [rounds]   (default 1,000,000 events, 3 rounds)
source "$(dirname "$0")/lib.sh"
count=${1:-1000000}
rounds=${2:-3}
file=$(events_file "$count")

# The event values pix writes for these lines (each gains an id, a time, an origin and a schema
# version), one per line: kcat sending them shows what moving pix's bytes alone costs this broker.
values="$OUT/values-$count.ndjson"

pix_rates=() previous_rates=() kcat_rates=() values_rates=() rss=()
for _ in $(seq "$rounds"); do
  pix_prefix=$(fresh_prefix)
  pix topics create --brokers "$BROKERS" --topic-prefix "$pix_prefix" >/dev/null
  start=$(now)
  /usr/bin/time -f '%M' -o "$OUT/pix-rss.txt" node "$ROOT/bin/pix.cjs" publish --file "$file" --brokers "$BROKERS" --topic-prefix "$pix_prefix" >/dev/null
  pix_rates+=("$(echo "$count / $(elapsed "$start")" | bc)")
  rss+=("$(( $(cat "$OUT/pix-rss.txt") / 1024 ))")
  if [ -n "${PIX_PREVIOUS:-}" ]; then
    previous_prefix=$(fresh_prefix)
    pix topics create --brokers "$BROKERS" --topic-prefix "$previous_prefix" >/dev/null 2>&1
    start=$(now)
    node "$PIX_PREVIOUS/bin/pix.cjs" publish --file "$file" --brokers "$BROKERS" --topic-prefix "$previous_prefix" >/dev/null
    previous_rates+=("$(echo "$count / $(elapsed "$start")" | bc)")
  fi
  if [ ! -s "$values" ]; then
    for topic in product-price-update product-discount-update product-country-update; do
      kcat -b "$BROKERS" -C -t "${pix_prefix}${topic}" -e -q -f '%s\n'
    done > "$values"
  fi

  # kcat writes one topic per run: give it the whole file on one topic, with the same total bytes.
  kcat_prefix=$(fresh_prefix)
  pix topics create --brokers "$BROKERS" --topic-prefix "$kcat_prefix" >/dev/null
  kcat -b "$BROKERS" -L >/dev/null
  start=$(now)
  kcat -b "$BROKERS" -P -t "${kcat_prefix}product-price-update" -X acks=all -X enable.idempotence=true -l "$file"
  kcat_rates+=("$(echo "$count / $(elapsed "$start")" | bc)")

  start=$(now)
  kcat -b "$BROKERS" -P -t "${kcat_prefix}product-discount-update" -X acks=all -X enable.idempotence=true -l "$values"
  values_rates+=("$(echo "$count / $(elapsed "$start")" | bc)")
done

pix_rate=$(median "${pix_rates[@]}")
kcat_rate=$(median "${kcat_rates[@]}")
values_rate=$(median "${values_rates[@]}")
echo "bulk publish of $count events, median of $rounds rounds"
echo "  pix publish --file           : ${pix_rate} events/s (rounds: ${pix_rates[*]}; max RSS ${rss[*]} MB)"
echo "  kcat -P -l                   : ${kcat_rate} events/s (rounds: ${kcat_rates[*]}; $(du -m "$file" | cut -f1) MB)"
echo "  kcat -P -l, pix's event JSON : ${values_rate} events/s (rounds: ${values_rates[*]}; $(du -m "$values" | cut -f1) MB, no headers)"
if [ -n "${PIX_PREVIOUS:-}" ]; then
  previous_rate=$(median "${previous_rates[@]}")
  echo "  previous pix build           : ${previous_rate} events/s (rounds: ${previous_rates[*]}; $(git -C "$PIX_PREVIOUS" rev-parse --short HEAD))"
  echo "  pix / previous build         : $(ratio "$pix_rate" "$previous_rate")"
fi
echo "  pix / kcat                   : $(ratio "$pix_rate" "$kcat_rate")"
echo "  pix / kcat with pix's JSON   : $(ratio "$pix_rate" "$values_rate")"
echo "$pix_prefix" > "$OUT/last-publish-prefix"
