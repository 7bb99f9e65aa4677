/**
 * Kafka's error codes that pix's own requests (produce, metadata, init producer id, SASL) can get
 * back, with their names and whether Kafka says a retry can help: the table "Error Codes" of the
 * protocol guide (kafka.apache.org/protocol#protocol_error_codes), as Kafka 4 names them. A code
 * not listed is reported by number and not retried.
 */
const ERROR_CODES: Record<number, readonly [name: string, retriable: boolean]> = {
  [-1]: ['UNKNOWN_SERVER_ERROR', false],
  2: ['CORRUPT_MESSAGE', true],
  3: ['UNKNOWN_TOPIC_OR_PARTITION', true],
  5: ['LEADER_NOT_AVAILABLE', true],
  6: ['NOT_LEADER_OR_FOLLOWER', true],
  7: ['REQUEST_TIMED_OUT', true],
  8: ['BROKER_NOT_AVAILABLE', false],
  9: ['REPLICA_NOT_AVAILABLE', true],
  10: ['MESSAGE_TOO_LARGE', false],
  13: ['NETWORK_EXCEPTION', true],
  14: ['COORDINATOR_LOAD_IN_PROGRESS', true],
  15: ['COORDINATOR_NOT_AVAILABLE', true],
  16: ['NOT_COORDINATOR', true],
  17: ['INVALID_TOPIC_EXCEPTION', false],
  18: ['RECORD_LIST_TOO_LARGE', false],
  19: ['NOT_ENOUGH_REPLICAS', true],
  20: ['NOT_ENOUGH_REPLICAS_AFTER_APPEND', true],
  21: ['INVALID_REQUIRED_ACKS', false],
  29: ['TOPIC_AUTHORIZATION_FAILED', false],
  31: ['CLUSTER_AUTHORIZATION_FAILED', false],
  32: ['INVALID_TIMESTAMP', false],
  33: ['UNSUPPORTED_SASL_MECHANISM', false],
  34: ['ILLEGAL_SASL_STATE', false],
  35: ['UNSUPPORTED_VERSION', false],
  41: ['NOT_CONTROLLER', true],
  42: ['INVALID_REQUEST', false],
  43: ['UNSUPPORTED_FOR_MESSAGE_FORMAT', false],
  44: ['POLICY_VIOLATION', false],
  45: ['OUT_OF_ORDER_SEQUENCE_NUMBER', false],
  46: ['DUPLICATE_SEQUENCE_NUMBER', false],
  47: ['INVALID_PRODUCER_EPOCH', false],
  49: ['INVALID_PRODUCER_ID_MAPPING', false],
  53: ['TRANSACTIONAL_ID_AUTHORIZATION_FAILED', false],
  56: ['KAFKA_STORAGE_ERROR', true],
  58: ['SASL_AUTHENTICATION_FAILED', false],
  59: ['UNKNOWN_PRODUCER_ID', false],
  74: ['FENCED_LEADER_EPOCH', true],
  75: ['UNKNOWN_LEADER_EPOCH', true],
  76: ['UNSUPPORTED_COMPRESSION_TYPE', false],
  87: ['INVALID_RECORD', false],
  89: ['THROTTLING_QUOTA_EXCEEDED', true],
  90: ['PRODUCER_FENCED', false],
  100: ['UNKNOWN_TOPIC_ID', true],
};

/** The codes pix's own code acts on, by name. */
export const KAFKA_ERROR = {
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  DUPLICATE_SEQUENCE_NUMBER: 46,
  INVALID_PRODUCER_EPOCH: 47,
  SASL_AUTHENTICATION_FAILED: 58,
  UNKNOWN_PRODUCER_ID: 59,
} as const;

/** What went wrong on the way to the broker, when it was not an error code in an answer. */
type ConnectionProblem = 'CONNECTION_FAILED' | 'CONNECTION_CLOSED' | 'REQUEST_TIMED_OUT_LOCALLY' | 'NOT_KAFKA';

/**
 * A failure of pix's own Kafka requests: an error code a broker answered with (`code` set), or a
 * connection that failed, closed or stayed silent. `retriable` is Kafka's own word on it, or true
 * for the network: a broker that restarts or moves leadership is back within a timeout.
 */
export class KafkaError extends Error {
  readonly type: string;
  readonly code: number | undefined;
  readonly retriable: boolean;
  /** host:port of the broker concerned, when one was. */
  readonly broker: string | undefined;
  /** Node's error code (ECONNREFUSED…) for a connection that failed. */
  readonly systemCode: string | undefined;
  /**
   * The request was written to the broker and no answer came (a timeout, a connection lost): the
   * broker may have done what it asked. A request refused, or never written, is not in doubt.
   */
  readonly inDoubt: boolean;

  constructor(
    message: string,
    options: {
      type: string;
      code?: number;
      retriable: boolean;
      broker?: string;
      systemCode?: string;
      inDoubt?: boolean;
    },
  ) {
    super(message);
    this.name = 'KafkaError';
    this.type = options.type;
    this.code = options.code;
    this.retriable = options.retriable;
    this.broker = options.broker;
    this.systemCode = options.systemCode;
    this.inDoubt = options.inDoubt ?? false;
  }

  /** The same failure, for a request whose outcome is unknown: written, and no answer or no final one. */
  asInDoubt(): KafkaError {
    return new KafkaError(this.message, {
      type: this.type,
      retriable: this.retriable,
      inDoubt: true,
      ...(this.code !== undefined ? { code: this.code } : {}),
      ...(this.broker !== undefined ? { broker: this.broker } : {}),
      ...(this.systemCode !== undefined ? { systemCode: this.systemCode } : {}),
    });
  }
}

/** The error an answer's error code stands for. */
export function kafkaErrorFromCode(code: number, broker?: string): KafkaError {
  const [type, retriable] = ERROR_CODES[code] ?? [`ERROR_CODE_${code}`, false];
  return new KafkaError(`${type} (Kafka error code ${code})`, {
    type,
    code,
    retriable,
    ...(broker !== undefined ? { broker } : {}),
  });
}

/** A connection to `broker` that failed, closed or timed out: always worth another try. */
export function connectionError(
  problem: ConnectionProblem,
  message: string,
  broker: string,
  systemCode?: string,
): KafkaError {
  return new KafkaError(message, {
    type: problem,
    retriable: problem !== 'NOT_KAFKA',
    broker,
    ...(systemCode !== undefined ? { systemCode } : {}),
  });
}

/** The broker refused pix's credentials, or offers no mechanism pix was given. */
export function saslError(message: string, broker?: string): KafkaError {
  return new KafkaError(message, {
    type: 'SASL_AUTHENTICATION_FAILED',
    code: KAFKA_ERROR.SASL_AUTHENTICATION_FAILED,
    retriable: false,
    ...(broker !== undefined ? { broker } : {}),
  });
}

export function isKafkaError(error: unknown): error is KafkaError {
  return error instanceof KafkaError;
}
