import { kafkaErrorFromCode } from '../kafka-error.js';
import { brokerName, type BrokerConnection } from './connection.js';
import type { ProducerIdentity } from './record-batch.js';

/** InitProducerId (API key 22) v1: a producer id and epoch for an idempotent producer (KIP-98). */
const INIT_PRODUCER_ID = { key: 22, version: 1 } as const;

/** A new producer id from any broker: no transactional id, so no coordinator is involved. */
export async function initProducerId(connection: BrokerConnection, timeoutMs?: number): Promise<ProducerIdentity> {
  const reader = await connection.request(
    INIT_PRODUCER_ID.key,
    INIT_PRODUCER_ID.version,
    (writer) => {
      writer.string(null).int32(60_000); // transactional id, transaction timeout (unused without one)
    },
    timeoutMs,
  );
  reader.int32(); // throttle time
  const errorCode = reader.int16();
  if (errorCode !== 0) throw kafkaErrorFromCode(errorCode, brokerName(connection.address));
  return { producerId: reader.int64(), producerEpoch: reader.int16() };
}
