#!/usr/bin/env bash
# How long pix takes to start and end: `pix --version`, `pix --help` and one `pix publish price`,
# each as a whole process, against `node -e 0` and, given its folder, an earlier build of pix
# (a clone with `npm ci && npm run build` done). Everything is timed in turn within each round, so
# a busy moment of the machine weighs on all alike. Median of N rounds (default 15).
# Usage: bench/start.sh [runs] [earlier-build-folder]
source "$(dirname "$0")/lib.sh"
runs=${1:-15}
earlier=${2:-}
prefix=$(fresh_prefix)
pix topics create --brokers "$BROKERS" --topic-prefix "$prefix" >/dev/null 2>&1

builds=("$ROOT")
[ -n "$earlier" ] && builds+=("$(cd "$earlier" && pwd)")
declare -A runs_of
for _ in $(seq "$runs"); do
  runs_of[node]+=" $(time_ms node -e 0)"
  for index in "${!builds[@]}"; do
    bin="${builds[$index]}/bin/pix.cjs"
    runs_of[$index.version]+=" $(time_ms node "$bin" --version)"
    runs_of[$index.help]+=" $(time_ms node "$bin" --help)"
    runs_of[$index.publish]+=" $(time_ms node "$bin" publish price --id 1 --price 9 --brokers "$BROKERS" --topic-prefix "$prefix")"
  done
done

# shellcheck disable=SC2086 # the runs are a list of numbers
node_ms=$(median ${runs_of[node]})
echo "start and end of a whole process (median of $runs rounds)"
echo "  node -e 0                  : ${node_ms} ms"
for index in "${!builds[@]}"; do
  label=$([ "$index" = 0 ] && echo "this build" || echo "earlier build ($(git -C "${builds[$index]}" rev-parse --short HEAD 2>/dev/null || echo "${builds[$index]}"))")
  echo "  $label"
  for command in version help publish; do
    # shellcheck disable=SC2086
    ms=$(median ${runs_of[$index.$command]})
    printf '    %-24s: %s ms  (%sx node -e 0)\n' "pix $([ "$command" = publish ] && echo 'publish price' || echo "--$command")" "$ms" "$(ratio "$ms" "$node_ms")"
  done
done
