#!/usr/bin/env bash
# Deletes the topics the benchmarks made (their prefix is bench-): each run writes fresh ones, and a
# few runs of 10,000,000 events fill gigabytes. With Kafka's own kafka-topics tool, from Maven Central.
# Usage: bench/clean.sh
source "$(dirname "$0")/lib.sh"
tools=$(kafka_tools)
# The tool's logging is left unbound (slf4j says so on stderr): keep its own errors only.
kafka_topics() { java -cp "$tools/libs/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BROKERS" "$@" 2> >(grep -v '^SLF4J' >&2); }
topics=$(kafka_topics --list | grep '^bench-' || true)
if [ -z "$topics" ]; then
  echo "no benchmark topics on $BROKERS"
  exit 0
fi
kafka_topics --delete --topic 'bench-.*'
echo "deleted $(echo "$topics" | wc -l) benchmark topics on $BROKERS"
