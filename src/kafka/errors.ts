import { PixError } from '../errors.js';
import { formatDuration } from '../duration.js';
import { isKafkaError } from './kafka-error.js';

interface KafkaJsLikeError extends Error {
  type?: string;
  code?: string;
  cause?: unknown;
  broker?: string;
}

const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSGroupCoordinatorNotFound',
]);

const AUTHORIZATION_TYPES = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
]);

const INPUT_TYPES = new Set([
  'INVALID_CONFIG',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_PARTITIONS',
  'INVALID_TOPIC_EXCEPTION',
  'POLICY_VIOLATION',
  'INVALID_REQUEST',
]);

/** The innermost reason of a kafkajs error, which wraps the real cause in retry errors. */
function rootCause(error: KafkaJsLikeError): KafkaJsLikeError {
  let current = error;
  for (let depth = 0; depth < 5; depth += 1) {
    // KafkaJSAggregateError (createTopics, for one) keeps its parts in `errors`.
    const inner = current.cause ?? (current as { errors?: unknown[] }).errors?.[0];
    if (!(inner instanceof Error)) break;
    current = inner;
  }
  return current;
}

/** Why a connection failed, in a few words: `connection refused`, `host not found`. */
export function connectionFailureReason(error: KafkaJsLikeError): string {
  if (isKafkaError(error) && error.type === 'NOT_KAFKA') return 'it does not speak Kafka';
  const text = error.message.replace(/^Connection error: /, '');
  if (/ECONNREFUSED/.test(text)) return 'connection refused';
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'host not found';
  if (/Connection timeout/i.test(text)) return 'connection timed out';
  return text;
}

function brokersNamed(brokers: readonly string[]): string {
  return brokers.length === 1 ? `broker ${brokers[0]}` : `brokers ${brokers.join(', ')}`;
}

export function unreachable(brokers: readonly string[], timeoutMs: number, reason?: string): PixError {
  return new PixError(
    'BROKER_UNREACHABLE',
    `cannot reach Kafka ${brokersNamed(brokers)} within ${formatDuration(timeoutMs)}${reason ? ` (${reason})` : ''}`,
    {
      retryable: true,
      hint: 'Check --brokers (or PIX_BROKERS); on this machine `pix local start` runs a broker.',
      details: { brokers: [...brokers], ...(reason ? { reason } : {}) },
    },
  );
}

/**
 * What a reader that waits for the cluster to come back says it lost: the brokers and the socket's
 * reason (`brokers …: connection refused`). Not the unreachable error's own words: the reader waits
 * on, and no --timeout passed.
 */
export function lostClusterReason(failure: PixError): string {
  const { brokers, reason } = failure.details ?? {};
  const named = Array.isArray(brokers) && brokers.every((broker): broker is string => typeof broker === 'string');
  if (failure.code !== 'BROKER_UNREACHABLE' || !named || typeof reason !== 'string') return failure.message;
  return `${brokersNamed(brokers)}: ${reason}`;
}

/** Topics pix needs that the cluster does not have: created on purpose, never by reading or writing. */
export function missingTopics(topics: readonly string[]): PixError {
  const named = topics.length === 1 ? `topic ${topics.join('')} does` : `topics ${topics.join(', ')} do`;
  return new PixError('TOPIC_NOT_FOUND', `${named} not exist`, {
    hint: 'Run `pix topics create` first (with the same --topic-prefix).',
  });
}

/** Turns whatever kafkajs threw into one of pix's errors, worded for the person at the terminal. */
export function fromKafkaError(error: unknown, context: { brokers: readonly string[]; timeoutMs: number }): PixError {
  if (error instanceof PixError) return error;
  if (!(error instanceof Error)) return new PixError('UNEXPECTED', String(error));
  // kafkajs's admin asks the brokers of its pool in turn and, when every one failed, reads
  // `topicMetadata` of the null the pool returns: a TypeError in place of the brokers' errors.
  if (error instanceof TypeError && /\btopicMetadata\b/.test(error.message)) {
    return unreachable(context.brokers, context.timeoutMs, 'no broker answered a Metadata request');
  }
  const root = rootCause(error);
  if (root.name === 'KafkaJSSASLAuthenticationError' || AUTHORIZATION_TYPES.has(root.type ?? '')) {
    return new PixError('AUTH_FAILED', `the broker refused pix: ${root.message}`, {
      cause: error,
      hint: 'Check --sasl-mechanism, --sasl-username and the password, and the ACLs of this client.',
    });
  }
  if (root.type === 'UNKNOWN_TOPIC_OR_PARTITION') {
    return new PixError('TOPIC_NOT_FOUND', 'a topic does not exist on the cluster', {
      cause: error,
      hint: 'Run `pix topics create` first (check --topic-prefix too).',
    });
  }
  if (INPUT_TYPES.has(root.type ?? '')) {
    return new PixError('INVALID_INPUT', `the broker refused the request: ${root.message}`, { cause: error });
  }
  // pix's own KafkaError, seen as itself: its code is a number, kafkajs's `code` a string.
  const own: unknown = root;
  const ownCode = isKafkaError(own) ? own.code : undefined;
  const ownConnection = isKafkaError(own) && ownCode === undefined;
  if (
    ownConnection ||
    CONNECTION_ERRORS.has(root.name) ||
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET/.test(root.message)
  ) {
    return unreachable(context.brokers, context.timeoutMs, connectionFailureReason(root));
  }
  // An error code the broker answered with, still there when the retries ran out: no bug of pix.
  if (ownCode !== undefined || root.name === 'KafkaJSProtocolError') {
    return new PixError('BROKER_REFUSED', `the broker refused the request: ${root.message}`, {
      cause: error,
      retryable: (root as { retriable?: boolean }).retriable === true,
    });
  }
  if (root.name.startsWith('KafkaJS')) {
    return new PixError('UNEXPECTED', `Kafka: ${root.message}`, { cause: error });
  }
  return new PixError('UNEXPECTED', error.message, { cause: error });
}

/** Why a send failed, as said to a person: a --timeout that passed is named before the last reason. */
export function sendFailureText(reason: PixError, timedOut: boolean): string {
  return timedOut ? `no acknowledgement within --timeout (last: ${reason.message})` : reason.message;
}
