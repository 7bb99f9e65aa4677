import { KAFKA_ERROR, kafkaErrorFromCode, type KafkaError } from '../kafka-error.js';
import type { Writer } from './buffers.js';
import { brokerName, type BrokerConnection } from './connection.js';

/** Produce (API key 0) v7: record batches of magic 2, idempotent sequence numbers, no tagged fields. */
const PRODUCE = { key: 0, version: 7 } as const;

/**
 * DUPLICATE_SEQUENCE_NUMBER: the broker already has this batch (a retry of one it wrote), so it is
 * acknowledged, with no offset to say (KIP-98, "Idempotent producer").
 */
const { DUPLICATE_SEQUENCE_NUMBER } = KAFKA_ERROR;

/**
 * Error codes with which a leader refuses a batch before appending it to its log: the batch is
 * surely not on the topic. Any other error leaves it in doubt: REQUEST_TIMED_OUT and
 * NOT_ENOUGH_REPLICAS_AFTER_APPEND, for two, come after the leader wrote it, and it may yet be
 * committed once the followers catch up.
 */
const REFUSED_BEFORE_APPEND = new Set([
  2, // CORRUPT_MESSAGE
  3, // UNKNOWN_TOPIC_OR_PARTITION
  5, // LEADER_NOT_AVAILABLE
  6, // NOT_LEADER_OR_FOLLOWER
  10, // MESSAGE_TOO_LARGE
  18, // RECORD_LIST_TOO_LARGE
  19, // NOT_ENOUGH_REPLICAS: checked before the append
  29, // TOPIC_AUTHORIZATION_FAILED
  31, // CLUSTER_AUTHORIZATION_FAILED
  32, // INVALID_TIMESTAMP
  45, // OUT_OF_ORDER_SEQUENCE_NUMBER
  47, // INVALID_PRODUCER_EPOCH
  59, // UNKNOWN_PRODUCER_ID
  74, // FENCED_LEADER_EPOCH
  87, // INVALID_RECORD
]);

/** One partition's record batch, encoded (record-batch.ts). */
interface ProduceBatch {
  topic: string;
  partition: number;
  bytes: Buffer;
}

/** The broker's word on one batch: where it landed, or why not. */
type ProduceOutcome<B extends ProduceBatch> = { batch: B; baseOffset: string } | { batch: B; error: KafkaError };

/** How long past the broker's own timeout pix waits for its answer to arrive. */
const ANSWER_MARGIN_MS = 1_000;

/**
 * Sends batches to the leader of their partitions with acks=all: the answer comes once every
 * in-sync replica has them, or after `timeoutMs` on the broker's side. A batch the answer does not
 * mention has no outcome.
 */
export async function produce<B extends ProduceBatch>(
  connection: BrokerConnection,
  batches: readonly B[],
  timeoutMs: number,
): Promise<ProduceOutcome<B>[]> {
  const byTopic = new Map<string, B[]>();
  for (const batch of batches) {
    const share = byTopic.get(batch.topic);
    if (share) share.push(batch);
    else byTopic.set(batch.topic, [batch]);
  }
  const broker = brokerName(connection.address);
  const reader = await connection.request(
    PRODUCE.key,
    PRODUCE.version,
    (writer: Writer) => {
      writer.string(null).int16(-1).int32(timeoutMs); // no transaction, acks=all
      writer.array([...byTopic], ([topic, share]) => {
        writer.string(topic);
        writer.array(share, (batch) => writer.int32(batch.partition).attached(batch.bytes));
      });
    },
    timeoutMs + ANSWER_MARGIN_MS,
  );
  const outcomes: ProduceOutcome<B>[] = [];
  reader.array(() => {
    const topic = reader.string() ?? '';
    reader.array(() => {
      const partition = reader.int32();
      const errorCode = reader.int16();
      const baseOffset = reader.int64();
      reader.int64(); // log append time
      reader.int64(); // log start offset
      const batch = byTopic.get(topic)?.find((candidate) => candidate.partition === partition);
      if (!batch) return;
      if (errorCode === 0) outcomes.push({ batch, baseOffset: String(baseOffset) });
      else if (errorCode === DUPLICATE_SEQUENCE_NUMBER) outcomes.push({ batch, baseOffset: '-1' });
      else {
        const error = kafkaErrorFromCode(errorCode, broker);
        outcomes.push({ batch, error: REFUSED_BEFORE_APPEND.has(errorCode) ? error : error.asInDoubt() });
      }
    });
  });
  reader.int32(); // throttle time
  return outcomes;
}
