import type { Reader } from './buffers.js';
import type { BrokerAddress, BrokerConnection } from './connection.js';

/** Metadata (API key 3) v5: leaders, replicas and offline replicas per partition, no tagged fields. */
const METADATA = { key: 3, version: 5 } as const;

export interface PartitionMetadata {
  partition: number;
  errorCode: number;
  /** The leader's node id, or -1 while the partition has none. */
  leader: number;
  replicas: number[];
  inSync: number[];
}

export interface TopicMetadata {
  name: string;
  errorCode: number;
  partitions: PartitionMetadata[];
}

interface ClusterMetadata {
  brokers: Map<number, BrokerAddress>;
  controllerId: number;
  topics: TopicMetadata[];
}

/**
 * Asks one broker what the cluster looks like: its brokers and, for `topics` (none: brokers
 * only), each partition's leader and replicas. Never creates a topic (allow_auto_topic_creation
 * is false): topics are created on purpose, with `pix topics create`.
 */
export async function requestMetadata(
  connection: BrokerConnection,
  topics: readonly string[],
  timeoutMs?: number,
): Promise<ClusterMetadata> {
  const reader = await connection.request(
    METADATA.key,
    METADATA.version,
    (writer) => {
      writer.array(topics, (topic) => writer.string(topic));
      writer.bool(false);
    },
    timeoutMs,
  );
  return readMetadata(reader);
}

function readMetadata(reader: Reader): ClusterMetadata {
  reader.int32(); // throttle time
  const brokers = new Map<number, BrokerAddress>();
  reader.array(() => {
    const nodeId = reader.int32();
    const host = reader.string() ?? '';
    const port = reader.int32();
    reader.string(); // rack
    brokers.set(nodeId, { host, port });
  });
  reader.string(); // cluster id
  const controllerId = reader.int32();
  const topics: TopicMetadata[] = [];
  reader.array(() => {
    const errorCode = reader.int16();
    const name = reader.string() ?? '';
    reader.bool(); // internal
    const partitions: PartitionMetadata[] = [];
    reader.array(() => {
      const partitionError = reader.int16();
      const partition = reader.int32();
      const leader = reader.int32();
      const replicas = int32Array(reader);
      const inSync = int32Array(reader);
      int32Array(reader); // offline replicas
      partitions.push({ partition, errorCode: partitionError, leader, replicas, inSync });
    });
    topics.push({ name, errorCode, partitions });
  });
  return { brokers, controllerId, topics };
}

function int32Array(reader: Reader): number[] {
  const values: number[] = [];
  const count = reader.int32();
  for (let index = 0; index < count; index += 1) values.push(reader.int32());
  return values;
}
