import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { PixEvent } from '../events/schema.js';
import type { ProduceObserver } from '../kafka/index.js';
import { isDelay, type LiveModel } from '../live-model/model.js';

/** Seconds: from a loopback millisecond to a minute behind. */
const DELAY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Every metric pix exposes, in one registry per process. Names follow Prometheus's conventions:
 * `pix_` prefix, `_total` counters, `_seconds` in base units. Origins come from whoever writes to
 * the topics, so only the first ORIGIN_LABEL_LIMIT get a label of their own.
 */
export class PixMetrics {
  readonly registry = new Registry();
  readonly eventsReceived = new Counter({
    name: 'pix_events_received_total',
    help: 'Events read from the pix topics, by event type and origin.',
    labelNames: ['type', 'origin'] as const,
    registers: [this.registry],
  });
  readonly malformed = new Counter({
    name: 'pix_malformed_messages_total',
    help: 'Messages on a pix topic that are not valid events (skipped, never fatal).',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  readonly endToEndDelay = new Histogram({
    name: 'pix_end_to_end_delay_seconds',
    help: "Time from an event's occurredAt to its arrival here.",
    labelNames: ['type'] as const,
    buckets: DELAY_BUCKETS,
    registers: [this.registry],
  });
  readonly replicationDelay = new Histogram({
    name: 'pix_replication_delay_seconds',
    help: "Time from an event's Kafka timestamp at its source site (kept by MirrorMaker 2) to the arrival of its copy here.",
    labelNames: ['source_site'] as const,
    buckets: DELAY_BUCKETS,
    registers: [this.registry],
  });
  readonly brokerConnected = new Gauge({
    name: 'pix_broker_connected',
    help: '1 while the consumer is connected to the broker, else 0.',
    registers: [this.registry],
  });
  readonly websocketClients = new Gauge({
    name: 'pix_websocket_clients',
    help: 'Browsers connected to the dashboard over WebSocket.',
    registers: [this.registry],
  });
  readonly websocketDropped = new Counter({
    name: 'pix_websocket_clients_dropped_total',
    help: 'WebSocket clients disconnected because they could not keep up.',
    registers: [this.registry],
  });
  readonly websocketRefused = new Counter({
    name: 'pix_websocket_frames_refused_total',
    help: 'WebSocket clients closed for a frame that breaks the protocol or its limits, by the reason ws gives (WS_ERR_…).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly httpPublishRequests = new Counter({
    name: 'pix_http_publish_requests_total',
    help: 'POST /publish-event requests, by result: published, invalid, unknown_type, too_large, unavailable, unauthorized, forbidden, unsupported_type.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly eventsPublished = new Counter({
    name: 'pix_events_published_total',
    help: 'Events this process published, by type and result (ok or failed).',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });
  readonly produceLatency = new Histogram({
    name: 'pix_produce_latency_seconds',
    help: 'Time from sending a produce request to every in-sync replica acknowledging it (acks=all).',
    labelNames: ['result'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly consumerLag = new Gauge({
    name: 'pix_consumer_lag_messages',
    help: 'Messages written to a partition and not yet read by this process (end offset - position).',
    labelNames: ['topic', 'partition'] as const,
    registers: [this.registry],
  });

  private readonly origins = new Set<string>();
  /** The next offset this process will read, per partition, for the lag. */
  readonly positions = new Map<string, { topic: string; partition: number; next: number }>();

  /** `processMetrics` false leaves out Node's own: a one-shot push to a Pushgateway wants only pix's. */
  constructor({ processMetrics = true }: { processMetrics?: boolean } = {}) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
    this.brokerConnected.set(0);
    this.websocketClients.set(0);
  }

  /**
   * An event read from a topic: counted by type and origin, its delay observed (unless it has none
   * worth observing: a backfill event's age is not a delay), its position kept.
   */
  consumed(
    position: { topic: string; partition: number; offset: string },
    event: PixEvent,
    delayMs: number | undefined,
  ): void {
    this.eventsReceived.inc({ type: event.type, origin: this.originLabel(event.origin) });
    if (delayMs !== undefined) this.endToEndDelay.observe({ type: event.type }, Math.max(0, delayMs) / 1000);
    this.advance(position);
  }

  malformedAt(position: { topic: string; partition: number; offset: string }): void {
    this.malformed.inc({ topic: position.topic });
    this.advance(position);
  }

  /** Implements ProduceObserver: events published by type and result, and the request's latency. */
  readonly producer: ProduceObserver = {
    produced: (counts, seconds, ok) => {
      const result = ok ? 'ok' : 'failed';
      for (const [type, count] of Object.entries(counts)) this.eventsPublished.inc({ type, result }, count);
      this.produceLatency.observe({ result }, seconds);
    },
  };

  /** Counts what the live model sees: events, malformed messages, delay and the connection. */
  observe(model: LiveModel): () => void {
    return model.onChange((change) => {
      if (change.kind === 'event') {
        const { event } = change;
        this.consumed(event, event.event, isDelay(event) ? event.delayMs : undefined);
        if (event.sourceSite !== undefined && event.replicationDelayMs !== undefined && !event.backfill) {
          this.replicationDelay.observe(
            { source_site: event.sourceSite },
            Math.max(0, event.replicationDelayMs) / 1000,
          );
        }
      } else if (change.kind === 'malformed') {
        this.malformedAt(change.message);
      } else if (change.kind === 'connection') {
        this.brokerConnected.set(change.connection.state === 'connected' ? 1 : 0);
      }
    });
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private advance({ topic, partition, offset }: { topic: string; partition: number; offset: string }): void {
    this.positions.set(`${topic}:${partition}`, { topic, partition, next: Number(offset) + 1 });
  }

  private originLabel(origin: string): string {
    if (this.origins.has(origin)) return origin;
    if (this.origins.size >= ORIGIN_LABEL_LIMIT) return 'other';
    this.origins.add(origin);
    return origin;
  }
}

const ORIGIN_LABEL_LIMIT = 50;
