/**
 * What the rest of pix takes from the Kafka layer. Commands and domain code import from here, not
 * from the modules behind it, so the client library underneath (pix's own wire producer, kafkajs
 * for reading and administration) can change without them.
 */
export { KafkaClient } from './client.js';
export type { ProduceObserver } from './produce-observer.js';
export { brokersListedBy } from './probe.js';

export { EventPublisher, publishEvent, type Delivery } from './publisher.js';
export { DEFAULT_BATCH_SIZE, FLUSH, publishStream, type StreamItem, type UnconfirmedEvent } from './batch-publisher.js';
export { EventRecordWriter, SPAN_FIELDS, type EncodedEvents } from './event-records.js';

export { consumeEvents, decodeMessage, type ConsumedEvent } from './event-consumer.js';
export { DEAD_LETTER_HEADERS } from './dead-letters.js';
export { decodeHeartbeat, heartbeatsSiteOf } from './heartbeats.js';
export { partitionRanges, type StartRule } from './start-positions.js';

export {
  createTopics,
  endOffsets,
  withMirroredTopics,
  listTopics,
  requireTopics,
  type PartitionEnd,
  type Replication,
  type TopicInfo,
  type TopicOutcome,
} from './topic-admin.js';
