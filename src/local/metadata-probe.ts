import { connect } from 'node:net';

const METADATA_API_KEY = 3;
/** Metadata v4: the oldest version Kafka 4 still answers, and simple to frame by hand. */
const METADATA_VERSION = 4;
const CORRELATION_ID = 0x7069; // "pi"
const CLIENT_ID = 'pix-local-probe';

/**
 * Sends one Metadata request and says whether a broker answered it, listing at least one broker.
 * Raw bytes rather than kafkajs: a client that gives up on a starting broker would keep retrying
 * (and keep the process alive) after the answer no longer matters.
 */
export function answersMetadata(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    let answered = false;
    const done = (answer: boolean): void => {
      if (answered) return;
      answered = true;
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
    socket.once('connect', () => socket.write(metadataRequest()));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      done(isMetadataAnswer(received.subarray(4, 4 + size)));
    });
  });
}

function metadataRequest(): Buffer {
  const clientId = Buffer.from(CLIENT_ID);
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let at = body.writeInt16BE(METADATA_API_KEY, 0);
  at = body.writeInt16BE(METADATA_VERSION, at);
  at = body.writeInt32BE(CORRELATION_ID, at);
  at = body.writeInt16BE(clientId.length, at);
  at += clientId.copy(body, at);
  at = body.writeInt32BE(0, at); // an empty topic list: brokers only
  body.writeInt8(0, at); // allow_auto_topic_creation = false
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** Correlation id, throttle time, then the broker array: at least one broker means an answer. */
function isMetadataAnswer(response: Buffer): boolean {
  if (response.length < 12) return false;
  return response.readInt32BE(0) === CORRELATION_ID && response.readInt32BE(8) > 0;
}
