import { missingTopics } from '../errors.js';
import { connectionError, KAFKA_ERROR, kafkaErrorFromCode } from '../kafka-error.js';
import { BrokerConnection, type BrokerAddress, type ConnectionOptionsForPix } from './connection.js';
import { InFlightGate } from './in-flight-gate.js';
import { initProducerId } from './init-producer-id.js';
import { requestMetadata } from './metadata.js';
import { produce } from './produce.js';
import { keyHash, partitionOfHash } from './murmur2.js';
import { EncodedRecords, encodeRecordBatch, type OutgoingRecord } from './record-batch.js';

/**
 * Produce requests one connection may have awaiting their answer. An idempotent producer keeps a
 * partition's order through retries with up to five (KAFKA-5494; the Java producer refuses
 * max.in.flight.requests.per.connection > 5 with idempotence): the broker keeps the last five
 * batches of each producer and partition to find duplicates and gaps.
 */
export const MAX_IN_FLIGHT_PER_CONNECTION = 5;

const { UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, OUT_OF_ORDER_SEQUENCE_NUMBER } = KAFKA_ERROR;

export interface PipelinedProducerOptions extends ConnectionOptionsForPix {
  brokers: readonly string[];
  /** The first and the longest wait before a retriable failure is tried again (until --timeout). */
  retry: { initialRetryTime: number; maxRetryTime: number };
  /** Where the producer says what it does: connections, producer id, retries (--log-level debug). */
  debug?: (line: string) => void;
}

/** Where the broker put one partition's share of a send. */
export interface PartitionAck {
  topic: string;
  partition: number;
  /** The offset of the first record, or -1 when the broker already had the batch from a retry. */
  baseOffset: string;
  count: number;
}

interface PartitionBatch {
  topic: string;
  partition: number;
  count: number;
  bytes: Buffer;
}

interface Layout {
  brokers: Map<number, BrokerAddress>;
  /** Leader node of each partition, per topic. */
  leaders: Map<string, number[]>;
}

/**
 * pix's produce path for bulk and single events: idempotent (the broker drops a batch it already
 * has), acks=all, record batches encoded once and straight into the request, and several requests
 * in flight on one connection. kafkajs sends one request at a time per idempotent producer and
 * builds each through layers of copies; for bulk publishing that was 40 times slower than kcat.
 */
export class PipelinedProducer {
  private readonly connections = new Map<number, Promise<BrokerConnection>>();
  private readonly gates = new Map<number, InFlightGate>();
  private readonly sequences = new Map<string, number>();
  /**
   * Per partition, the send carrying its first batch, until the broker has acknowledged one. The
   * broker keeps no state for a producer on a partition before its first batch lands, and then
   * takes any sequence number as the first: a second batch overtaking a first that failed (no
   * leader yet on a new topic) would be written first, and the first refused for ever after.
   */
  private readonly firstSends = new Map<string, Promise<unknown>>();
  private readonly established = new Set<string>();
  private heldCount = 0;
  private lastHeld: Promise<unknown> | undefined;
  private retries: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: PipelinedProducerOptions,
    private bootstrap: BrokerConnection,
    private layout: Layout,
    private readonly producerId: bigint,
    private readonly producerEpoch: number,
  ) {}

  /** Connects, reads where the topics' partitions live, and gets a producer id; all within --timeout. */
  static async connect(options: PipelinedProducerOptions, topics: readonly string[]): Promise<PipelinedProducer> {
    // A broker that is starting refuses connections, then answers "no leader yet" or "loading"
    // for a moment: each is tried again until --timeout would pass, and then the last reason told.
    const deadline = Date.now() + options.timeoutMs;
    const { connection: bootstrap, layout } = await retrying(options.retry, deadline, () =>
      bootstrapAny(options, topics),
    );
    const open = (): boolean => !bootstrap.broken;
    try {
      const identity = await retrying(options.retry, deadline, () => initProducerId(bootstrap), open);
      const { host, port } = bootstrap.address;
      options.debug?.(`produce: connected to ${host}:${port}, producer id ${identity.producerId}`);
      return new PipelinedProducer(options, bootstrap, layout, identity.producerId, identity.producerEpoch);
    } catch (error) {
      bootstrap.close();
      throw error;
    }
  }

  partitionCount(topic: string): number {
    const leaders = this.layout.leaders.get(topic);
    if (!leaders) throw new Error(`${topic} was not described when the producer connected`);
    return leaders.length;
  }

  /** The partition of a record whose key has this hash (see murmur2.ts). */
  partitionOf(topic: string, hash: number): number {
    return partitionOfHash(hash, this.partitionCount(topic));
  }

  /**
   * Sends records grouped by topic and partition, and resolves once every in-sync replica has them.
   * Sequence numbers are taken when this is called, so sends made one after the other keep their
   * order even while several are in flight.
   */
  send(groups: ReadonlyMap<string, ReadonlyMap<number, EncodedRecords>>): Promise<PartitionAck[]> {
    const timestamp = Date.now();
    const batches: PartitionBatch[] = [];
    const slots: string[] = [];
    for (const [topic, partitions] of groups) {
      for (const [partition, records] of partitions) {
        if (records.count === 0) continue;
        const slot = `${topic}\u0000${partition}`;
        slots.push(slot);
        const baseSequence = this.sequences.get(slot) ?? 0;
        const next = baseSequence + records.count;
        this.sequences.set(slot, next > 0x7fffffff ? next - 0x80000000 : next); // wraps as Kafka's does
        const bytes = encodeRecordBatch(records, timestamp, {
          producerId: this.producerId,
          producerEpoch: this.producerEpoch,
          baseSequence,
        });
        batches.push({ topic, partition, count: records.count, bytes });
      }
    }
    // Held back: a send with a partition whose first batch is unacknowledged, and every send
    // after a held one, so that sends still reach the broker in the order they were made.
    const firsts = slots.flatMap((slot) => (this.established.has(slot) ? [] : [this.firstSends.get(slot)]));
    const waitFor = [...firsts, ...(this.heldCount > 0 ? [this.lastHeld] : [])].filter((wait) => wait !== undefined);
    // Retries go on until --timeout has passed since the send was made, however many that takes:
    // a leader election or a restart is waited out, not a count of tries.
    const deadline = Date.now() + this.options.timeoutMs;
    let sending: Promise<PartitionAck[]>;
    if (waitFor.length === 0) {
      sending = this.deliver(batches, deadline);
    } else {
      this.heldCount += 1;
      const started = Promise.allSettled(waitFor).then(() => {
        this.heldCount -= 1;
        return { delivery: this.deliver(batches, deadline) };
      });
      this.lastHeld = started;
      sending = started.then(({ delivery }) => delivery);
    }
    for (const slot of slots) {
      if (!this.established.has(slot) && !this.firstSends.has(slot)) this.firstSends.set(slot, sending);
    }
    sending.then(
      () => {
        for (const slot of slots) {
          this.established.add(slot);
          if (this.firstSends.get(slot) === sending) this.firstSends.delete(slot);
        }
      },
      () => undefined,
    );
    return sending;
  }

  /** Sends one record and resolves with where it landed. */
  async sendOne(topic: string, record: OutgoingRecord): Promise<PartitionAck> {
    const partition = record.key === null ? 0 : this.partitionOf(topic, keyHash(record.key));
    const [ack] = await this.send(new Map([[topic, new Map([[partition, EncodedRecords.of([record])]])]]));
    if (!ack) throw new Error(`no acknowledgement from ${topic}`);
    return ack;
  }

  /** Closes every connection; whatever is still in flight fails. */
  async disconnect(): Promise<void> {
    this.bootstrap.close();
    const opened = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(
      opened.map((connection) =>
        connection.then(
          (open) => open.close(),
          () => undefined,
        ),
      ),
    );
  }

  /**
   * Sends batches to their leaders. `retrying` is true for a retry, which already holds its turn
   * in the chain of retries: a failure then tries again within that turn, as chaining behind
   * itself would wait for ever.
   */
  private async deliver(
    batches: PartitionBatch[],
    deadline: number,
    attempt = 0,
    retrying = false,
  ): Promise<PartitionAck[]> {
    const byLeader = groupBy(batches, (batch) => this.layout.leaders.get(batch.topic)?.[batch.partition] ?? -1);
    const outcomes = await Promise.all(
      [...byLeader].map(async ([leader, share]) => {
        try {
          if (leader < 0) throw kafkaErrorFromCode(LEADER_NOT_AVAILABLE);
          const connection = await this.connectionTo(leader);
          return await this.gateFor(leader).run(() => this.produce(connection, share));
        } catch (error) {
          return share.map((batch) => ({ batch, error: error as Error }));
        }
      }),
    );
    const acks: PartitionAck[] = [];
    const failed: { batch: PartitionBatch; error: Error }[] = [];
    for (const outcome of outcomes.flat()) {
      if ('error' in outcome) failed.push(outcome);
      else acks.push(outcome);
    }
    if (failed.length === 0) return acks;

    const fatal = failed.find(({ error }) => !isRetriable(error)) ?? failed[0];
    if (fatal && (!isRetriable(fatal.error) || Date.now() >= deadline)) throw fatal.error;
    // Retries go one after another, in the order of the sends, so a partition's batches reach
    // the broker in sequence again; the broker drops any it already had.
    this.options.debug?.(`produce: ${failed.length} batch(es) failed (${fatal?.error.message ?? ''}); trying again`);
    const again = (): Promise<PartitionAck[]> =>
      this.retry(
        failed.map(({ batch }) => batch),
        deadline,
        attempt + 1,
      );
    if (retrying) return [...acks, ...(await again())];
    const retried = this.retries.then(again);
    this.retries = retried.catch(() => undefined);
    return [...acks, ...(await retried)];
  }

  /**
   * After a wait (never past the deadline), finds the partitions' leaders again (the broker may be
   * back, or another may lead) and sends once more; at least once, however late its turn came.
   */
  private async retry(batches: PartitionBatch[], deadline: number, attempt: number): Promise<PartitionAck[]> {
    await pause(Math.min(backoff(this.options.retry, attempt - 1), Math.max(0, deadline - Date.now())));
    try {
      await this.refreshLayout();
    } catch (error) {
      if (!isRetriable(error as Error) || Date.now() >= deadline) throw error;
      this.options.debug?.(`produce: no broker to send to (${(error as Error).message}); trying again`);
      return this.retry(batches, deadline, attempt + 1);
    }
    return this.deliver(batches, deadline, attempt, true);
  }

  private async produce(
    connection: BrokerConnection,
    batches: PartitionBatch[],
  ): Promise<(PartitionAck | { batch: PartitionBatch; error: Error })[]> {
    const outcomes = await produce(connection, batches, this.options.timeoutMs);
    return outcomes.map((outcome) =>
      'error' in outcome
        ? outcome
        : {
            topic: outcome.batch.topic,
            partition: outcome.batch.partition,
            baseOffset: outcome.baseOffset,
            count: outcome.batch.count,
          },
    );
  }

  /** The in-flight bound of one broker's connection, whoever sends: bulk, single events, HTTP. */
  private gateFor(nodeId: number): InFlightGate {
    let gate = this.gates.get(nodeId);
    if (!gate) {
      gate = new InFlightGate(MAX_IN_FLIGHT_PER_CONNECTION);
      this.gates.set(nodeId, gate);
    }
    return gate;
  }

  private connectionTo(nodeId: number): Promise<BrokerConnection> {
    const address = this.layout.brokers.get(nodeId);
    if (!address) return Promise.reject(kafkaErrorFromCode(LEADER_NOT_AVAILABLE));
    const bootstrap = this.bootstrap.address;
    if (!this.bootstrap.broken && address.host === bootstrap.host && address.port === bootstrap.port) {
      return Promise.resolve(this.bootstrap);
    }
    const existing = this.connections.get(nodeId);
    if (existing) {
      return existing.then((connection) => (connection.broken ? this.reopen(nodeId, address) : connection));
    }
    return this.reopen(nodeId, address);
  }

  private reopen(nodeId: number, address: BrokerAddress): Promise<BrokerConnection> {
    const opening = BrokerConnection.open(address, this.options);
    this.connections.set(nodeId, opening);
    opening.catch(() => this.connections.delete(nodeId));
    return opening;
  }

  private async refreshLayout(): Promise<void> {
    const topics = [...this.layout.leaders.keys()];
    if (this.bootstrap.broken) {
      const { connection, layout } = await bootstrapAny(this.options, topics);
      this.bootstrap = connection;
      this.layout = layout;
      return;
    }
    this.layout = await fetchLayout(this.bootstrap, topics);
  }
}

/**
 * How long one broker gets to accept a connection and answer its first request, inside --timeout:
 * a bootstrap broker that accepts TCP and never answers (or drops packets) leaves time for the
 * next one, as Kafka's Java client bounds each connection setup (socket.connection.setup.timeout.ms).
 */
export function brokerBoundMs(timeoutMs: number): number {
  return Math.max(250, Math.min(5_000, Math.floor(timeoutMs / 2)));
}

/**
 * The first of the bootstrap brokers that answers, with the layout of the topics it gave: each
 * broker is tried within its own bound, and one that fails is left for the next.
 */
async function bootstrapAny(
  options: PipelinedProducerOptions,
  topics: readonly string[],
): Promise<{ connection: BrokerConnection; layout: Layout }> {
  const bound = brokerBoundMs(options.timeoutMs);
  let last: Error | undefined;
  for (const broker of options.brokers) {
    const separator = broker.lastIndexOf(':');
    const address = {
      host: broker.slice(0, separator).replace(/^\[|\]$/g, ''),
      port: Number(broker.slice(separator + 1)),
    };
    let connection: BrokerConnection | undefined;
    try {
      connection = await BrokerConnection.open(address, { ...options, connectTimeoutMs: bound });
      return { connection, layout: await fetchLayout(connection, topics, bound) };
    } catch (error) {
      connection?.close();
      // What no retry can cure (a certificate pix does not trust) is said now, not after the rest.
      if (!isRetriable(error as Error)) throw error;
      options.debug?.(`produce: bootstrap broker ${broker}: ${(error as Error).message}; trying the next`);
      last = error as Error;
    }
  }
  throw last ?? connectionError('CONNECTION_FAILED', 'no broker given', '(none)');
}

async function fetchLayout(
  connection: BrokerConnection,
  topics: readonly string[],
  timeoutMs?: number,
): Promise<Layout> {
  const metadata = await requestMetadata(connection, topics, timeoutMs);
  const leaders = new Map<string, number[]>();
  const missing: string[] = [];
  for (const topic of metadata.topics) {
    const partitionLeaders: number[] = [];
    // A partition without a leader shows as leader -1: sending to it waits for one.
    for (const { partition, leader } of topic.partitions) partitionLeaders[partition] = leader;
    if (topic.errorCode === UNKNOWN_TOPIC_OR_PARTITION) missing.push(topic.name);
    else if (topic.errorCode !== 0 && partitionLeaders.length === 0) throw kafkaErrorFromCode(topic.errorCode);
    else leaders.set(topic.name, partitionLeaders);
  }
  if (missing.length > 0) throw missingTopics(missing);
  return { brokers: metadata.brokers, leaders };
}

/**
 * Runs `work` again after retriable failures while the next try would start before `deadline`
 * and `worthIt` holds (its connection is still open); otherwise the last failure is thrown.
 */
async function retrying<T>(
  retry: PipelinedProducerOptions['retry'],
  deadline: number,
  work: () => Promise<T>,
  worthIt: () => boolean = () => true,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const wait = backoff(retry, attempt);
      const again = Date.now() + wait < deadline && worthIt();
      if (!again || !isRetriable(error as Error)) throw error;
      await pause(wait);
    }
  }
}

/** The wait before try number `attempt` + 1: doubling from the first wait, up to the longest. */
function backoff(retry: PipelinedProducerOptions['retry'], attempt: number): number {
  return Math.min(retry.initialRetryTime * 2 ** attempt, retry.maxRetryTime);
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isRetriable(error: Error): boolean {
  if ((error as { code?: unknown }).code === OUT_OF_ORDER_SEQUENCE_NUMBER) return true;
  return (error as { retriable?: boolean }).retriable === true;
}
