#!/usr/bin/env bash
# CPU of `pix tui` in a real terminal (tmux, 100x30) while `pix simulate` publishes at 1,000 and at
# 5,000 events/s, as a share of one core over the run. Target: under 30% at 5,000 events/s.
# Usage: bench/tui.sh [seconds per rate, default 20]
source "$(dirname "$0")/lib.sh"
seconds=${1:-20}
command -v tmux >/dev/null || { echo "bench/tui.sh needs tmux" >&2; exit 1; }

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

prefix=$(fresh_prefix)
pix topics create --brokers "$BROKERS" --topic-prefix "$prefix" >/dev/null
session="pix-bench-tui-$$"
pidfile="$OUT/tui.pid"
rm -f "$pidfile"
tmux new-session -d -s "$session" -x 100 -y 30 \
  "echo \$\$ > '$pidfile'; exec env NODE_ENV=production TERM=xterm-256color node '$ROOT/bin/pix.cjs' tui --brokers '$BROKERS' --topic-prefix '$prefix'"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
until [ -s "$pidfile" ] && tmux capture-pane -p -t "$session" | grep -q connected; do sleep 0.2; done
pid=$(cat "$pidfile")

echo "pix tui CPU, ${seconds}s per rate (100x30 terminal)"
for rate in 1000 5000; do
  start=$(cpu_ticks "$pid")
  pix simulate --brokers "$BROKERS" --topic-prefix "$prefix" --rate "$rate" --duration "${seconds}s" \
    --products 10000 >"$OUT/simulate.out"
  ticks=$(($(cpu_ticks "$pid") - start))
  received=$(tmux capture-pane -p -t "$session" | grep -o 'total *[0-9]*' | grep -o '[0-9]*$')
  published=$(grep -o 'published [0-9]*' "$OUT/simulate.out" | grep -o '[0-9]*')
  echo "  $rate events/s: $(echo "scale=0; $ticks * 100 / $(getconf CLK_TCK) / $seconds" | bc -l)% of one core" \
    "(simulate published $published in all; the TUI counted $received so far)"
done
tmux send-keys -t "$session" q
