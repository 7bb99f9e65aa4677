# Shared by the benchmarks: where pix is, which broker, fresh topic prefixes, and timing.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
OUT="$BENCH_DIR/out"
mkdir -p "$OUT"
BROKERS=${PIX_BROKERS:-127.0.0.1:9092}
export NODE_ENV=production
pix() { node "$ROOT/bin/pix.cjs" "$@"; }

# A topic prefix no earlier run used.
fresh_prefix() { echo "bench-$(date +%s%N | tail -c 9)."; }

# Seconds since the epoch with nanoseconds, for timing whole commands.
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l; }
# Milliseconds one command takes, from fork to exit, to a tenth, its output thrown away: a change of
# one or two milliseconds in a 45 ms start is lost in whole milliseconds.
time_ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  local tenths=$(((end - start) / 100000))
  echo "$((tenths / 10)).$((tenths % 10))"
}
ratio() { echo "scale=2; $1 / $2" | bc -l; }
# The median of the numbers given (the lower middle one of an even count).
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { printf "%s", a[int((NR + 1) / 2)] }'; }

# NDJSON of N pix events of the three types over 10,000 products, made once and reused.
events_file() {
  local count=$1 file="$OUT/events-$1.ndjson"
  if [ ! -s "$file" ]; then
    node -e '
      const count = Number(process.argv[1]);
      const out = require("node:fs").createWriteStream(process.argv[2]);
      const countries = ["US", "DE", "FR", "JP", "BR"];
      let index = 0;
      (function write() {
        let ok = true;
        while (index < count && ok) {
          const productId = String(index % 10000);
          const type = index % 3;
          const line = type === 0 ? { type: "price", productId, price: (index % 10000) / 100 }
            : type === 1 ? { type: "discount", productId, discount: index % 100 }
            : { type: "country", productId, country: countries[index % 5] };
          ok = out.write(JSON.stringify(line) + "\n");
          index += 1;
        }
        if (index < count) out.once("drain", write); else out.end();
      })();
    ' "$count" "$file"
  fi
  echo "$file"
}

# Kafka's own command-line tools (console producer, topics), from Maven Central: the jars of the
# broker's version, fetched once. Prints the folder whose libs/ holds them.
kafka_tools() {
  local tools="$OUT/kafka-tools"
  if [ ! -d "$tools/libs" ]; then
    mkdir -p "$tools"
    cat > "$tools/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>pix.bench</groupId><artifactId>kafka-tools</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>4.1.2</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>2.0.17</version></dependency>
  </dependencies>
</project>
POM
    mvn -q -B -f "$tools/pom.xml" dependency:copy-dependencies -DoutputDirectory="$tools/libs" -DincludeScope=runtime >&2
  fi
  echo "$tools"
}
