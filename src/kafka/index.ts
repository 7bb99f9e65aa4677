/**
 * What the rest of pix takes from the Kafka layer. Commands and domain code import from here, not
 * from the modules behind it, so the client library underneath (pix's own wire producer, kafkajs
 * for reading and administration) can change without them.
 */
export { KafkaClient } from './client.js';
export { fromKafkaError, missingTopics, unreachable } from './errors.js';
export { isKafkaError, KafkaError } from './kafka-error.js';
export type { ProduceObserver } from './produce-observer.js';
export { brokersListedBy } from './probe.js';

export { EventPublisher, publishEvent, type Delivery } from './publisher.js';
export {
  DEFAULT_BATCH_SIZE,
  FLUSH,
  LINGER_MS,
  MAX_IN_FLIGHT,
  MAX_PARTITION_BATCH_BYTES,
  publishStream,
  type StreamItem,
  type StreamPublishOptions,
  type StreamPublishSummary,
  type UnconfirmedEvent,
} from './batch-publisher.js';
export { EventRecordWriter, SPAN_FIELDS, typeOfSpan, type EncodedEvents } from './event-records.js';

export {
  consumeEvents,
  decodeMessage,
  type ConsumedEvent,
  type ConsumeOptions,
  type ConsumeSummary,
  type MessagePosition,
  type SkippedMessage,
  type StopReason,
} from './event-consumer.js';
export { DEAD_LETTER_HEADERS } from './dead-letters.js';
export { decodeHeartbeat, HEARTBEATS_TOPIC, heartbeatsSiteOf, type Heartbeat } from './heartbeats.js';
export { partitionRanges, type PartitionRange, type StartRule } from './start-positions.js';

export {
  createTopics,
  defaultReplication,
  endOffsets,
  withMirroredTopics,
  listTopics,
  requireTopics,
  type PartitionEnd,
  type Replication,
  type TopicInfo,
  type TopicOutcome,
  type TopicSpec,
} from './topic-admin.js';
