import type { ConnectionOptions } from 'node:tls';

import { BrokerConnection } from './wire/connection.js';
import { requestMetadata } from './wire/metadata.js';
import type { SaslCredentials } from './wire/sasl.js';

/**
 * How many brokers the broker at host:port lists in one metadata answer, or undefined when it
 * gives none within `timeoutMs` (not started yet, not Kafka, silent). One connection, one request,
 * no retries: a caller that polls a starting broker decides itself when to ask again.
 */
export async function brokersListedBy(
  host: string,
  port: number,
  timeoutMs: number,
  security: { tls?: ConnectionOptions; sasl?: SaslCredentials } = {},
): Promise<number | undefined> {
  let connection: BrokerConnection | undefined;
  try {
    connection = await BrokerConnection.open({ host, port }, { clientId: 'pix-local-probe', timeoutMs, ...security });
    const { brokers } = await requestMetadata(connection, []);
    return brokers.size > 0 ? brokers.size : undefined;
  } catch {
    return undefined;
  } finally {
    connection?.close();
  }
}
