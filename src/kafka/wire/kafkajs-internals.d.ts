// kafkajs's error classes and its table of Kafka's error codes: pix's own produce path raises the
// same errors kafkajs would, so they are explained to the user in one place (kafka/errors.ts).
declare module 'kafkajs/src/errors.js' {
  namespace errors {
    class KafkaJSError extends Error {
      retriable: boolean;
    }
    class KafkaJSConnectionError extends KafkaJSError {
      constructor(message: string, options?: { broker?: string; code?: string });
      code?: string;
    }
    class KafkaJSConnectionClosedError extends KafkaJSConnectionError {
      constructor(message: string, options?: { host?: string; port?: number });
    }
    class KafkaJSRequestTimeoutError extends KafkaJSError {
      constructor(message: string, options?: { broker?: string; correlationId?: number });
    }
    class KafkaJSSASLAuthenticationError extends KafkaJSError {
      constructor(message: string);
    }
    class KafkaJSProtocolError extends KafkaJSError {
      type: string;
      code: number;
    }
  }
  export = errors;
}

declare module 'kafkajs/src/protocol/error.js' {
  import type errors from 'kafkajs/src/errors.js';
  const protocol: { createErrorFromCode: (code: number) => errors.KafkaJSProtocolError };
  export = protocol;
}
