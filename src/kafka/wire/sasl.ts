import type { SaslMechanism } from '../../settings.js';
import { saslError } from '../kafka-error.js';
import type { BrokerConnection } from './connection.js';

const API = { handshake: 17, authenticate: 36 } as const;

export interface SaslCredentials {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

/** Authenticates a new connection (KIP-152: handshake, then authenticate requests). */
export async function authenticate(connection: BrokerConnection, sasl: SaslCredentials): Promise<void> {
  const mechanism = sasl.mechanism.toUpperCase();
  const handshake = await connection.request(API.handshake, 1, (writer) => writer.string(mechanism));
  const handshakeError = handshake.int16();
  if (handshakeError !== 0) {
    const offered = handshake.array(() => handshake.string()).join(', ');
    throw saslError(`SASL ${mechanism} is not enabled on the broker (it offers ${offered || 'none'})`);
  }
  if (sasl.mechanism === 'plain') {
    await exchange(connection, Buffer.from(`\u0000${sasl.username}\u0000${sasl.password}`));
    return;
  }
  await scram(connection, sasl, sasl.mechanism === 'scram-sha-512' ? 'sha512' : 'sha256');
}

async function exchange(connection: BrokerConnection, bytes: Buffer): Promise<Buffer> {
  const reader = await connection.request(API.authenticate, 1, (writer) => writer.bytes(bytes));
  const errorCode = reader.int16();
  const message = reader.string();
  const answer = reader.bytes() ?? Buffer.alloc(0);
  if (errorCode !== 0) {
    throw saslError(`SASL authentication failed: ${message ?? `error code ${errorCode}`}`);
  }
  return answer;
}

/** SCRAM (RFC 5802), as Kafka's SCRAM-SHA-256 and SCRAM-SHA-512 use it. */
async function scram(connection: BrokerConnection, sasl: SaslCredentials, digest: 'sha256' | 'sha512'): Promise<void> {
  // node:crypto is loaded here, not with the module: a publish of one event in plain text does
  // without it (src/events/event-id.ts says what it costs).
  const { createHash, createHmac, pbkdf2Sync, randomBytes } = process.getBuiltinModule('node:crypto');
  const saslName = (text: string): string => text.replace(/=/g, '=3D').replace(/,/g, '=2C');
  const clientNonce = randomBytes(24).toString('base64');
  const clientFirstBare = `n=${saslName(sasl.username)},r=${clientNonce}`;
  const serverFirst = (await exchange(connection, Buffer.from(`n,,${clientFirstBare}`))).toString();
  const fields = new Map(serverFirst.split(',').map((part) => [part.slice(0, 1), part.slice(2)]));
  const nonce = fields.get('r') ?? '';
  const salt = fields.get('s') ?? '';
  const iterations = Number(fields.get('i'));
  if (!nonce.startsWith(clientNonce) || !salt || !(iterations > 0)) {
    throw saslError('SASL SCRAM: the broker sent an invalid first message');
  }
  const hmac = (key: Buffer, text: string): Buffer => createHmac(digest, key).update(text).digest();
  const salted = pbkdf2Sync(
    sasl.password,
    Buffer.from(salt, 'base64'),
    iterations,
    digest === 'sha256' ? 32 : 64,
    digest,
  );
  const clientKey = hmac(salted, 'Client Key');
  const storedKey = createHash(digest).update(clientKey).digest();
  const clientFinalBare = `c=biws,r=${nonce}`;
  const authMessage = `${clientFirstBare},${serverFirst},${clientFinalBare}`;
  const signature = hmac(storedKey, authMessage);
  const proof = Buffer.from(clientKey.map((byte, index) => byte ^ (signature[index] ?? 0)));
  const serverFinal = (
    await exchange(connection, Buffer.from(`${clientFinalBare},p=${proof.toString('base64')}`))
  ).toString();
  const expected = hmac(hmac(salted, 'Server Key'), authMessage).toString('base64');
  if (serverFinal !== `v=${expected}`) {
    throw saslError('SASL SCRAM: the broker could not prove it knows the password');
  }
}
