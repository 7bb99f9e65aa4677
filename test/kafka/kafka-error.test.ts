import { describe, expect, it } from 'vitest';

import { PixError } from '../../src/errors.js';
import { fromKafkaError, lostClusterReason } from '../../src/kafka/errors.js';
import { connectionError, kafkaErrorFromCode, saslError } from '../../src/kafka/kafka-error.js';

const context = { brokers: ['127.0.0.1:9092'], timeoutMs: 5_000 };

describe("pix's own Kafka errors", () => {
  it("carry Kafka 4's name and word on retrying for an error code, and the broker", () => {
    expect(kafkaErrorFromCode(6, '127.0.0.1:9094')).toMatchObject({
      type: 'NOT_LEADER_OR_FOLLOWER',
      code: 6,
      retriable: true,
      broker: '127.0.0.1:9094',
    });
    expect(kafkaErrorFromCode(59)).toMatchObject({ type: 'UNKNOWN_PRODUCER_ID', retriable: false });
    expect(kafkaErrorFromCode(999)).toMatchObject({ type: 'ERROR_CODE_999', retriable: false });
  });

  it('are told to a person as pix errors with the exit code of what happened', () => {
    const refused = fromKafkaError(kafkaErrorFromCode(19), context);
    expect({ code: refused.code, exit: refused.exitCode, retryable: refused.retryable }).toEqual({
      code: 'BROKER_REFUSED',
      exit: 3,
      retryable: true,
    });
    expect(refused.message).toBe('the broker refused the request: NOT_ENOUGH_REPLICAS (Kafka error code 19)');
    const down = fromKafkaError(
      connectionError('CONNECTION_FAILED', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092', '127.0.0.1:9092'),
      context,
    );
    expect(down.message).toBe('cannot reach Kafka broker 127.0.0.1:9092 within 5s (connection refused)');
    // For --json's error: which brokers, and the socket's reason, apart from the sentence.
    expect(down.details).toEqual({ brokers: ['127.0.0.1:9092'], reason: 'connection refused' });
    expect(fromKafkaError(connectionError('NOT_KAFKA', 'x', '127.0.0.1:9092'), context).message).toContain(
      '(it does not speak Kafka)',
    );
    expect(fromKafkaError(saslError('SASL authentication failed: bad password'), context)).toMatchObject({
      code: 'AUTH_FAILED',
      message: 'the broker refused pix: SASL authentication failed: bad password',
    });
    expect(fromKafkaError(kafkaErrorFromCode(3), context).code).toBe('TOPIC_NOT_FOUND');
  });
});

describe("kafkajs's failures", () => {
  it('the TypeError of its admin when no broker of its pool answered is said as no broker answering, worth asking again', () => {
    // What kafkajs's fetchTopicMetadata and listTopics throw when every broker failed.
    for (const thrown of [
      new TypeError("Cannot read properties of null (reading 'topicMetadata')"),
      new TypeError("Cannot destructure property 'topicMetadata' of '(intermediate value)' as it is null."),
    ]) {
      expect(fromKafkaError(thrown, context)).toMatchObject({
        code: 'BROKER_UNREACHABLE',
        message: 'cannot reach Kafka broker 127.0.0.1:9092 within 5s (no broker answered a Metadata request)',
        retryable: true,
      });
    }
    expect(fromKafkaError(new TypeError('x is not a function'), context)).toMatchObject({
      code: 'UNEXPECTED',
      retryable: false,
    });
  });
});

describe('a reader that lost the cluster and waits for it', () => {
  it('names the brokers and the reason, and no --timeout it does not wait out', () => {
    const down = fromKafkaError(
      connectionError('CONNECTION_FAILED', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092', '127.0.0.1:9092'),
      { brokers: ['127.0.0.1:9092', '127.0.0.1:9094'], timeoutMs: 10_000 },
    );
    expect(lostClusterReason(down)).toBe('brokers 127.0.0.1:9092, 127.0.0.1:9094: connection refused');
  });

  it('gives any other failure in its own words', () => {
    expect(lostClusterReason(fromKafkaError(kafkaErrorFromCode(19), context))).toBe(
      'the broker refused the request: NOT_ENOUGH_REPLICAS (Kafka error code 19)',
    );
    expect(lostClusterReason(new PixError('BROKER_UNREACHABLE', 'cannot reach Kafka'))).toBe('cannot reach Kafka');
  });
});
