import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { LiveModel } from '../stream/live-model.js';

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
  readonly httpPublishRequests = new Counter({
    name: 'pix_http_publish_requests_total',
    help: 'POST /publish-event requests, by result: published, invalid, unknown_type, too_large, unavailable, unauthorized.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly eventsPublished = new Counter({
    name: 'pix_events_published_total',
    help: 'Events this process published, by type and result (ok or failed).',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });

  private readonly origins = new Set<string>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.brokerConnected.set(0);
    this.websocketClients.set(0);
  }

  /** Counts what the live model sees: events, malformed messages, delay and the connection. */
  observe(model: LiveModel): () => void {
    return model.onChange((change) => {
      if (change.kind === 'event') {
        const { event, delayMs } = change.event;
        this.eventsReceived.inc({ type: event.type, origin: this.originLabel(event.origin) });
        this.endToEndDelay.observe({ type: event.type }, Math.max(0, delayMs) / 1000);
      } else if (change.kind === 'malformed') {
        this.malformed.inc({ topic: change.message.topic });
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

  private originLabel(origin: string): string {
    if (this.origins.has(origin)) return origin;
    if (this.origins.size >= ORIGIN_LABEL_LIMIT) return 'other';
    this.origins.add(origin);
    return origin;
  }
}

export const ORIGIN_LABEL_LIMIT = 50;
