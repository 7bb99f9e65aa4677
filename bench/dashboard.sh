#!/usr/bin/env bash
# The dashboard under load: end-to-end delay from `pix simulate` publishing an event to a WebSocket
# client receiving it, at 1,000 events/s with one client, and fan-out to 500 clients at 5,000
# events/s with the server's CPU. Delays are per frame, of the oldest event in it (the worst case).
# Usage: bench/dashboard.sh [seconds per run, default 20] [clients, default 500]
source "$(dirname "$0")/lib.sh"
seconds=${1:-20}
clients=${2:-500}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

run() {
  local rate=$1 count=$2 prefix port pid traffic start_ticks result ticks cpu
  prefix=$(fresh_prefix)
  pix topics create --brokers "$BROKERS" --topic-prefix "$prefix" >/dev/null
  # node itself, not the pix function, so that $! is the server whose CPU is read.
  node "$ROOT/bin/pix.cjs" serve-dashboard --brokers "$BROKERS" --topic-prefix "$prefix" --port 0 \
    >"$OUT/dashboard.out" 2>&1 &
  pid=$!
  until grep -q 'pix dashboard:' "$OUT/dashboard.out"; do sleep 0.1; done
  port=$(grep -o '127.0.0.1:[0-9]*' "$OUT/dashboard.out" | head -1 | cut -d: -f2)
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.1; done
  node "$BENCH_DIR/ws-clients.mjs" "ws://127.0.0.1:$port/live" "$count" "$((seconds + 3))" >"$OUT/clients.json" &
  local clients_pid=$!
  sleep 2
  pix simulate --brokers "$BROKERS" --topic-prefix "$prefix" --rate "$rate" --duration "${seconds}s" \
    --products 10000 >/dev/null &
  traffic=$!
  start_ticks=$(cpu_ticks "$pid")
  wait "$traffic"
  ticks=$(($(cpu_ticks "$pid") - start_ticks))
  wait "$clients_pid"
  kill -TERM "$pid"
  wait "$pid" || true
  cpu=$(echo "scale=0; $ticks * 100 / $(getconf CLK_TCK) / $seconds" | bc -l)
  result=$(cat "$OUT/clients.json")
  node -e '
    const r = JSON.parse(process.argv[1]);
    const [rate, cpu] = process.argv.slice(2);
    console.log(`  ${r.clients} client(s) at ${rate} events/s: delay p50 ${r.p50} ms, p99 ${r.p99} ms; ` +
      `slowest client p50 ${r.slowestP50} ms, p99 ${r.slowestP99} ms; ${r.dropped} dropped; server CPU ${cpu}% of one core`);
  ' "$result" "$rate" "$cpu"
}

echo "dashboard end to end, ${seconds}s per run (p50/p99 of every event seen by one client; slowest: the"
echo "client with the worst p99 of the oldest event in each frame)"
run 1000 1
run 5000 "$clients"
