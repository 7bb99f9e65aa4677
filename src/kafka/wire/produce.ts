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

/** One partition's record batch, encoded (record-batch.ts). */
export interface ProduceBatch {
  topic: string;
  partition: number;
  bytes: Buffer;
}

/** The broker's word on one batch: where it landed, or why not. */
export type ProduceOutcome<B extends ProduceBatch> = { batch: B; baseOffset: string } | { batch: B; error: KafkaError };

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
  const reader = await connection.request(PRODUCE.key, PRODUCE.version, (writer: Writer) => {
    writer.string(null).int16(-1).int32(timeoutMs); // no transaction, acks=all
    writer.array([...byTopic], ([topic, share]) => {
      writer.string(topic);
      writer.array(share, (batch) => writer.int32(batch.partition).attached(batch.bytes));
    });
  });
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
      else outcomes.push({ batch, error: kafkaErrorFromCode(errorCode, broker) });
    });
  });
  reader.int32(); // throttle time
  return outcomes;
}
