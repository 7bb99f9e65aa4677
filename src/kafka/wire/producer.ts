import { missingTopics } from '../errors.js';
import { connectionError, KAFKA_ERROR, KafkaError, kafkaErrorFromCode } from '../kafka-error.js';
import { BrokerConnection, brokerAddress, type BrokerAddress, type ConnectionOptionsForPix } from './connection.js';
import { InFlightGate } from './in-flight-gate.js';
import { initProducerId } from './init-producer-id.js';
import { requestMetadata } from './metadata.js';
import { produce } from './produce.js';
import { keyHash, murmur2, partitionOfHash } from './murmur2.js';
import {
  EncodedRecords,
  encodeRecordBatch,
  type OutgoingRecord,
  type ProducerIdentity,
  type RawRecord,
} from './record-batch.js';
import { sleep } from '../../sleep.js';

/**
 * Produce requests one connection may have awaiting their answer. An idempotent producer keeps a
 * partition's order through retries with up to five (KAFKA-5494; the Java producer refuses
 * max.in.flight.requests.per.connection > 5 with idempotence): the broker keeps the last five
 * batches of each producer and partition to find duplicates and gaps.
 */
export const MAX_IN_FLIGHT_PER_CONNECTION = 5;

const {
  UNKNOWN_TOPIC_OR_PARTITION,
  LEADER_NOT_AVAILABLE,
  OUT_OF_ORDER_SEQUENCE_NUMBER,
  INVALID_PRODUCER_EPOCH,
  UNKNOWN_PRODUCER_ID,
} = KAFKA_ERROR;

/** The highest producer epoch (an int16): past it, the producer takes a new producer id. */
const MAX_EPOCH = 0x7fff;

/**
 * How old the partitions' layout may grow before it is read again while sending, as the Java
 * client's metadata.max.age.ms (5 minutes by default): partitions added to a topic are then used.
 */
const METADATA_MAX_AGE_MS = 300_000;

interface PipelinedProducerOptions extends ConnectionOptionsForPix {
  brokers: readonly string[];
  /** The first and the longest wait before a retriable failure is tried again (until --timeout). */
  retry: { initialRetryTime: number; maxRetryTime: number };
  /** How old the layout may grow before a send reads it again (default METADATA_MAX_AGE_MS). */
  metadataMaxAgeMs?: number;
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

/** One partition's share of a send that no broker acknowledged. */
interface UnacknowledgedBatch {
  topic: string;
  partition: number;
  records: EncodedRecords;
  /**
   * It was written to a broker at least once and no answer came: it may be on the topic. Otherwise
   * every broker that got it refused it, or it never left pix: it is not on the topic.
   */
  inDoubt: boolean;
}

/**
 * A send that failed as a whole: why, which of its partitions' batches were acknowledged before
 * it was given up, and which were not (each in doubt or surely not written).
 */
class SendFailure extends Error {
  constructor(
    readonly reason: Error,
    readonly acknowledged: readonly PartitionAck[],
    readonly unacknowledged: readonly UnacknowledgedBatch[],
    /** Given up because --timeout passed, not because a broker refused it for good. */
    readonly timedOut: boolean,
  ) {
    super(reason.message, { cause: reason });
    this.name = 'SendFailure';
  }
}

export function isSendFailure(error: unknown): error is SendFailure {
  return error instanceof SendFailure;
}

interface PartitionBatch extends UnacknowledgedBatch {
  /** topic and partition, as the producer's books key them. */
  slot: string;
  count: number;
  bytes: Buffer;
}

type Attempted = { batch: PartitionBatch; ack: PartitionAck } | { batch: PartitionBatch; error: KafkaError };

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
 *
 * Sequence numbers follow KIP-98: each partition's batches are numbered in the order of the sends,
 * and retries go in that order, so the broker writes each once and in order. When a batch is given
 * up (--timeout passed, or the broker refused it for good), later batches of its partition can
 * never follow it: as the Java producer does since KIP-360, the epoch is bumped once nothing is in
 * flight and every partition's sequence starts again at 0, and what was given up is reported, in
 * doubt or not, never sent again under the new epoch (that could write it twice).
 */
export class PipelinedProducer {
  private readonly connections = new Map<number, Promise<BrokerConnection>>();
  private readonly gates = new Map<number, InFlightGate>();
  private readonly sequences = new Map<string, number>();
  /** Per partition, its batches numbered and neither acknowledged nor given up, oldest first. */
  private readonly outstanding = new Map<string, PartitionBatch[]>();
  /** Partitions where a batch of this epoch was given up: nothing after it can be written there. */
  private readonly broken = new Set<string>();
  /** Sends made and not yet settled: a new epoch waits for all of them. */
  private readonly unsettled = new Set<Promise<unknown>>();
  private recovery: Promise<void> | undefined;
  /** Resolves once every earlier send has settled: retries wait for it, so they go in send order. */
  private lastTurn: Promise<void> = Promise.resolve();
  /**
   * Per partition, the send carrying its first batch of this epoch, until the broker has
   * acknowledged one. The broker keeps no state for a producer on a partition before its first
   * batch lands, and then takes any sequence number as the first: a second batch overtaking a
   * first that failed (no leader yet on a new topic) would be written first, and the first refused
   * for ever after.
   */
  private readonly firstSends = new Map<string, Promise<unknown>>();
  private readonly established = new Set<string>();
  private heldCount = 0;
  private lastHeld: Promise<unknown> | undefined;
  private layoutAt = Date.now();
  private refreshing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly options: PipelinedProducerOptions,
    private bootstrap: BrokerConnection,
    private layout: Layout,
    private identity: ProducerIdentity,
  ) {}

  /** Connects, reads where the topics' partitions live, and gets a producer id; all within --timeout. */
  static async connect(options: PipelinedProducerOptions, topics: readonly string[]): Promise<PipelinedProducer> {
    // A broker that is starting refuses connections, then answers "no leader yet" or "loading"
    // for a moment: each is tried again until --timeout would pass, and then the last reason told.
    // A bootstrap broker that goes down before it has answered both questions below (a leader
    // killed as pix starts) is left, and both are asked again, of the next broker that answers.
    const deadline = Date.now() + options.timeoutMs;
    // Metadata and InitProducerId go out together on the bootstrap connection, one round trip for
    // both: the broker takes a connection's requests in the order sent and answers them in that
    // order, so a client may pipeline them (the protocol guide, "Network").
    const { connection: bootstrap, answer } = await retrying(options.retry, deadline, () =>
      bootstrapAny(options, (connection, bound) =>
        Promise.all([fetchLayout(connection, topics, bound), initProducerId(connection, bound)]),
      ),
    );
    const [layout, identity] = answer;
    const { host, port } = bootstrap.address;
    options.debug?.(`produce: connected to ${host}:${port}, producer id ${identity.producerId}`);
    return new PipelinedProducer(options, bootstrap, layout, identity);
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
   * Sends records grouped by topic and partition, and resolves once every in-sync replica has them;
   * rejects with a SendFailure once --timeout has passed since this call, or the brokers refuse
   * them for good. Sequence numbers are taken when this is called, so sends made one after the
   * other keep their order even while several are in flight.
   */
  send(groups: ReadonlyMap<string, ReadonlyMap<number, EncodedRecords>>): Promise<PartitionAck[]> {
    if (this.closed) return Promise.reject(producerClosed());
    if (this.bumpNeeded() && !this.recovery) {
      // Cleared once settled, before the sends waiting on it go on (they are chained after).
      this.recovery = this.recover().finally(() => (this.recovery = undefined));
    }
    if (this.recovery) return this.recovery.then(() => this.send(groups));
    this.refreshWhenOld();
    const timestamp = Date.now();
    const batches: PartitionBatch[] = [];
    for (const [topic, partitions] of groups) {
      for (const [partition, records] of partitions) {
        if (records.count === 0) continue;
        const slot = `${topic}\u0000${partition}`;
        const baseSequence = this.sequences.get(slot) ?? 0;
        const next = baseSequence + records.count;
        this.sequences.set(slot, next > 0x7fffffff ? next - 0x80000000 : next); // wraps as Kafka's does
        const bytes = encodeRecordBatch(records, timestamp, { ...this.identity, baseSequence });
        const batch = { topic, partition, slot, count: records.count, bytes, records, inDoubt: false };
        batches.push(batch);
        const books = this.outstanding.get(slot);
        if (books) books.push(batch);
        else this.outstanding.set(slot, [batch]);
      }
    }
    const slots = batches.map((batch) => batch.slot);
    // Retries wait for every earlier send to settle: a partition's batches reach the broker in
    // sequence again, whatever order their failures were noticed in.
    const previousTurn = this.lastTurn;
    let finishTurn: () => void = () => undefined;
    const turn = new Promise<void>((resolve) => (finishTurn = resolve));
    this.lastTurn = previousTurn.then(() => turn);
    // Held back: a send with a partition whose first batch is unacknowledged, and every send
    // after a held one, so that sends still reach the broker in the order they were made.
    const firsts = slots.flatMap((slot) => (this.established.has(slot) ? [] : [this.firstSends.get(slot)]));
    const waitFor = [...firsts, ...(this.heldCount > 0 ? [this.lastHeld] : [])].filter((wait) => wait !== undefined);
    // Retries go on until --timeout has passed since the send was made, however many that takes:
    // a leader election or a restart is waited out, not a count of tries.
    const deadline = Date.now() + this.options.timeoutMs;
    let sending: Promise<PartitionAck[]>;
    if (waitFor.length === 0) {
      sending = this.deliver(batches, deadline, previousTurn);
    } else {
      this.heldCount += 1;
      const started = Promise.allSettled(waitFor).then(() => {
        this.heldCount -= 1;
        return { delivery: this.deliver(batches, deadline, previousTurn) };
      });
      this.lastHeld = started;
      sending = started.then(({ delivery }) => delivery);
    }
    for (const slot of slots) {
      if (!this.established.has(slot) && !this.firstSends.has(slot)) this.firstSends.set(slot, sending);
    }
    this.unsettled.add(sending);
    const settled = (): void => {
      this.unsettled.delete(sending);
      finishTurn();
    };
    sending.then(() => {
      settled();
      for (const slot of slots) {
        this.established.add(slot);
        if (this.firstSends.get(slot) === sending) this.firstSends.delete(slot);
      }
    }, settled);
    return sending;
  }

  /** Sends one record and resolves with where it landed. */
  sendOne(topic: string, record: OutgoingRecord): Promise<PartitionAck> {
    const hash = record.key === null ? undefined : keyHash(record.key);
    return this.sendEncoded(topic, hash, EncodedRecords.of([record]));
  }

  /** Sends one record of bytes as it is (a dead letter), to the partition its key picks. */
  sendRaw(topic: string, record: RawRecord): Promise<PartitionAck> {
    return this.sendEncoded(topic, record.key === null ? undefined : murmur2(record.key), EncodedRecords.ofRaw(record));
  }

  private async sendEncoded(topic: string, hash: number | undefined, records: EncodedRecords): Promise<PartitionAck> {
    const partition = hash === undefined ? 0 : this.partitionOf(topic, hash);
    const [ack] = await this.send(new Map([[topic, new Map([[partition, records]])]]));
    if (!ack) throw new Error(`no acknowledgement from ${topic}`);
    return ack;
  }

  /** Closes every connection; whatever is still in flight fails, and nothing is tried again. */
  async disconnect(): Promise<void> {
    this.closed = true;
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
   * Sends batches to their leaders, and the failed ones again after a wait, in their turn, with
   * the layout read again (the broker may be back, or another may lead), until --timeout.
   */
  private async deliver(
    batches: PartitionBatch[],
    deadline: number,
    previousTurn: Promise<void>,
  ): Promise<PartitionAck[]> {
    const acks: PartitionAck[] = [];
    let pending = batches;
    for (let attempt = 0; ; attempt += 1) {
      const failed: { batch: PartitionBatch; error: KafkaError }[] = [];
      for (const outcome of await this.attempt(pending, deadline)) {
        if ('ack' in outcome) {
          this.settle(outcome.batch);
          acks.push(outcome.ack);
        } else {
          if (outcome.error.inDoubt) outcome.batch.inDoubt = true;
          failed.push(outcome);
        }
      }
      if (failed.length === 0) return acks;
      const hopeless = failed.find((failure) => !this.worthRetrying(failure, deadline));
      // A send is given up as a whole: what of it is not acknowledged by now is reported together.
      if (hopeless) {
        return this.giveUp(
          hopeless.error,
          acks,
          failed.map(({ batch }) => batch),
          Date.now() >= deadline,
        );
      }
      pending = failed.map(({ batch }) => batch);
      this.options.debug?.(
        `produce: ${failed.length} batch(es) failed (${failed[0]?.error.message ?? ''}); trying again`,
      );
      if (attempt === 0) await previousTurn;
      await sleep(Math.min(backoff(this.options.retry, attempt), Math.max(0, deadline - Date.now())));
      if (this.closed) return this.giveUp(producerClosed(), acks, pending);
      // A batch after one given up in its partition can never be written under this epoch.
      const afterGap = pending.find((batch) => this.broken.has(batch.slot));
      if (afterGap) return this.giveUp(afterGivenUp(afterGap), acks, pending);
      const reason = await this.refreshLayout().then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      if (reason && (!isRetriable(reason) || Date.now() >= deadline)) {
        return this.giveUp(reason, acks, pending, Date.now() >= deadline);
      }
      if (reason) this.options.debug?.(`produce: no broker to send to (${reason.message}); trying again`);
    }
  }

  /** One try of each batch at its partition's leader, within what is left of --timeout. */
  private async attempt(batches: PartitionBatch[], deadline: number): Promise<Attempted[]> {
    const byLeader = groupBy(batches, (batch) => this.layout.leaders.get(batch.topic)?.[batch.partition] ?? -1);
    const outcomes = await Promise.all(
      [...byLeader].map(async ([leader, share]): Promise<Attempted[]> => {
        try {
          if (leader < 0) throw kafkaErrorFromCode(LEADER_NOT_AVAILABLE);
          const connection = await this.connectionTo(leader);
          // Half of --timeout at most, so a request lost on the way (a broker that went silent)
          // leaves time to try again; never past what the send has left.
          const timeoutMs = Math.max(
            MIN_REQUEST_MS,
            Math.min(deadline - Date.now(), Math.ceil(this.options.timeoutMs / 2)),
          );
          return await this.gateFor(leader).run(() => this.produce(connection, share, timeoutMs));
        } catch (error) {
          return share.map((batch) => ({ batch, error: asKafkaError(error) }));
        }
      }),
    );
    return outcomes.flat();
  }

  /**
   * Whether a failed batch may yet be written by trying again. OUT_OF_ORDER_SEQUENCE_NUMBER is
   * expected while an earlier batch of the partition is still on its way (it failed too, and goes
   * first in the retries); for the oldest outstanding batch it means the broker lost what it had
   * of this producer, and so do UNKNOWN_PRODUCER_ID and INVALID_PRODUCER_EPOCH: given up (KIP-360).
   */
  private worthRetrying({ batch, error }: { batch: PartitionBatch; error: KafkaError }, deadline: number): boolean {
    if (this.closed || Date.now() >= deadline || this.broken.has(batch.slot)) return false;
    if (error.code === OUT_OF_ORDER_SEQUENCE_NUMBER) return this.outstanding.get(batch.slot)?.[0] !== batch;
    if (error.code === UNKNOWN_PRODUCER_ID || error.code === INVALID_PRODUCER_EPOCH) return false;
    return error.retriable;
  }

  /** Takes an acknowledged batch, or one given up, out of its partition's books. */
  private settle(batch: PartitionBatch): void {
    const books = this.outstanding.get(batch.slot);
    const at = books?.indexOf(batch) ?? -1;
    if (books && at >= 0) books.splice(at, 1);
    if (books?.length === 0) this.outstanding.delete(batch.slot);
  }

  /** Gives a send up: its partitions can take nothing more under this epoch, and the caller is told what. */
  private giveUp(reason: Error, acks: PartitionAck[], batches: PartitionBatch[], timedOut = false): never {
    for (const batch of batches) {
      this.settle(batch);
      this.broken.add(batch.slot);
    }
    this.options.debug?.(`produce: gave up ${batches.length} batch(es): ${reason.message}`);
    throw new SendFailure(
      reason,
      acks,
      batches.map(({ topic, partition, records, inDoubt }) => ({ topic, partition, records, inDoubt })),
      timedOut,
    );
  }

  private bumpNeeded(): boolean {
    return this.broken.size > 0;
  }

  /**
   * A new epoch, once every send made before has settled, and sequence numbers from 0 on every
   * partition: the idempotent producer's bump of KIP-360, made by the client itself (Kafka's Java
   * producer does the same without a transactional id), or a new producer id past the last epoch.
   */
  private async recover(): Promise<void> {
    while (this.unsettled.size > 0) await Promise.allSettled([...this.unsettled]);
    if (this.closed) throw producerClosed();
    const { producerId, producerEpoch } = this.identity;
    if (producerEpoch < MAX_EPOCH) {
      this.identity = { producerId, producerEpoch: producerEpoch + 1 };
    } else {
      const deadline = Date.now() + this.options.timeoutMs;
      await retrying(this.options.retry, deadline, () => this.refreshLayout());
      this.identity = await retrying(this.options.retry, deadline, () => initProducerId(this.bootstrap));
    }
    for (const books of [this.sequences, this.outstanding, this.firstSends]) books.clear();
    this.broken.clear();
    this.established.clear();
    this.options.debug?.(
      `produce: producer id ${this.identity.producerId} epoch ${this.identity.producerEpoch}, sequences from 0`,
    );
  }

  private async produce(
    connection: BrokerConnection,
    batches: PartitionBatch[],
    timeoutMs: number,
  ): Promise<Attempted[]> {
    const outcomes = await produce(connection, batches, timeoutMs);
    const answered = new Set(outcomes.map(({ batch }) => batch));
    const unanswered = batches
      .filter((batch) => !answered.has(batch))
      .map((batch) => ({ batch, error: kafkaErrorFromCode(UNKNOWN_TOPIC_OR_PARTITION) }));
    return [
      ...outcomes.map((outcome) =>
        'error' in outcome
          ? outcome
          : {
              batch: outcome.batch,
              ack: {
                topic: outcome.batch.topic,
                partition: outcome.batch.partition,
                baseOffset: outcome.baseOffset,
                count: outcome.batch.count,
              },
            },
      ),
      ...unanswered,
    ];
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
    if (this.closed) return Promise.reject(producerClosed());
    const opening = BrokerConnection.open(address, {
      ...this.options,
      connectTimeoutMs: brokerBoundMs(this.options.timeoutMs),
    }).then((connection) => this.unlessClosed(connection));
    this.connections.set(nodeId, opening);
    opening.catch(() => this.connections.delete(nodeId));
    return opening;
  }

  /** A connection that opened after the producer closed is closed at once: it would keep pix running. */
  private unlessClosed(connection: BrokerConnection): BrokerConnection {
    if (!this.closed) return connection;
    connection.close();
    throw producerClosed();
  }

  /** Reads the layout again in the background when it is older than metadataMaxAgeMs. */
  private refreshWhenOld(): void {
    const maxAge = this.options.metadataMaxAgeMs ?? METADATA_MAX_AGE_MS;
    if (this.refreshing || Date.now() - this.layoutAt < maxAge) return;
    this.refreshing = this.refreshLayout()
      .catch((error: unknown) => this.options.debug?.(`produce: metadata: ${(error as Error).message}`))
      .finally(() => (this.refreshing = undefined));
  }

  private async refreshLayout(): Promise<void> {
    if (this.closed) throw producerClosed();
    const topics = [...this.layout.leaders.keys()];
    if (this.bootstrap.broken) {
      const { connection, answer } = await bootstrapAny(this.options, (open, bound) =>
        fetchLayout(open, topics, bound),
      );
      this.bootstrap = this.unlessClosed(connection);
      this.layout = answer;
    } else {
      this.layout = await fetchLayout(this.bootstrap, topics);
    }
    this.layoutAt = Date.now();
  }
}

/** The shortest wait given to a produce request, however little of --timeout is left. */
const MIN_REQUEST_MS = 1_000;

function producerClosed(): KafkaError {
  return connectionError('CONNECTION_CLOSED', 'the producer was closed', '(none)');
}

/** A batch whose partition had an earlier batch given up: refused now, as the broker would. */
function afterGivenUp(batch: PartitionBatch): KafkaError {
  return new KafkaError(`an earlier batch of ${batch.topic} partition ${batch.partition} was not acknowledged`, {
    type: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    code: OUT_OF_ORDER_SEQUENCE_NUMBER,
    retriable: false,
  });
}

function asKafkaError(error: unknown): KafkaError {
  if (error instanceof KafkaError) return error;
  return new KafkaError((error as Error).message, { type: 'UNKNOWN', retriable: false });
}

/**
 * How long one broker gets to accept a connection and answer its first request, inside --timeout:
 * a bootstrap broker that accepts TCP and never answers (or drops packets) leaves time for the
 * next one, as Kafka's Java client bounds each connection setup (socket.connection.setup.timeout.ms).
 */
function brokerBoundMs(timeoutMs: number): number {
  return Math.max(250, Math.min(5_000, Math.floor(timeoutMs / 2)));
}

/**
 * The first of the bootstrap brokers that answers `ask`, with its connection and answer: each
 * broker is tried within its own bound, and one that fails is left for the next.
 */
async function bootstrapAny<T>(
  options: PipelinedProducerOptions,
  ask: (connection: BrokerConnection, boundMs: number) => Promise<T>,
): Promise<{ connection: BrokerConnection; answer: T }> {
  const bound = brokerBoundMs(options.timeoutMs);
  let last: Error | undefined;
  for (const broker of options.brokers) {
    const address = brokerAddress(broker);
    let connection: BrokerConnection | undefined;
    try {
      connection = await BrokerConnection.open(address, { ...options, connectTimeoutMs: bound });
      return { connection, answer: await ask(connection, bound) };
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
 * Runs `work` again after retriable failures while the next try would start before `deadline`;
 * otherwise the last failure is thrown.
 */
async function retrying<T>(
  retry: PipelinedProducerOptions['retry'],
  deadline: number,
  work: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const wait = backoff(retry, attempt);
      const again = Date.now() + wait < deadline;
      if (!again || !isRetriable(error as Error)) throw error;
      await sleep(wait);
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

function isRetriable(error: Error): boolean {
  return (error as { retriable?: boolean }).retriable === true;
}
