import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** One frame as a client puts it on the wire: FIN set and masked unless told otherwise (RFC 6455 §5.2). */
export function clientFrame(
  payload: Buffer,
  {
    opcode = 0x1,
    masked = true,
    rsv1 = false,
    fin = true,
  }: { opcode?: number; masked?: boolean; rsv1?: boolean; fin?: boolean } = {},
): Buffer {
  const first = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode;
  const maskBit = masked ? 0x80 : 0;
  const length =
    payload.length < 126
      ? Buffer.from([first, maskBit | payload.length])
      : Buffer.from([first, maskBit | 126, payload.length >> 8, payload.length & 0xff]);
  if (!masked) return Buffer.concat([length, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] ?? 0)));
  return Buffer.concat([length, mask, body]);
}

/**
 * Opens a WebSocket by hand on a raw TCP socket, sends `frame`, and resolves with the close code
 * the server answers with (server frames are never masked), or undefined if it just hung up.
 */
export function sendRawFrame(url: string, frame: Buffer, timeoutMs = 10_000): Promise<number | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let upgraded = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server neither closed the socket nor sent a close frame'));
    }, timeoutMs);
    const finish = (code: number | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(code);
    };
    socket.on('connect', () => {
      socket.write(
        [
          'GET /live HTTP/1.1',
          `Host: ${hostname}:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!upgraded) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!received.subarray(0, end).toString().startsWith('HTTP/1.1 101')) {
          return finish(undefined);
        }
        upgraded = true;
        received = received.subarray(end + 4);
        socket.write(frame);
      }
      // Read server frames until the close frame.
      for (;;) {
        if (received.length < 2) return;
        const opcode = (received[0] ?? 0) & 0x0f;
        let length = (received[1] ?? 0) & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (received.length < 4) return;
          length = received.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (received.length < 10) return;
          length = Number(received.readBigUInt64BE(2));
          offset = 10;
        }
        if (received.length < offset + length) return;
        if (opcode === 0x8) return finish(length >= 2 ? received.readUInt16BE(offset) : undefined);
        received = received.subarray(offset + length);
      }
    });
    socket.on('close', () => finish(undefined));
    socket.on('error', () => finish(undefined));
  });
}
