import { PixError } from '../errors.js';
import { parseBrokers, readConfigFile } from '../settings.js';
import type { MirrorSite } from './mirror.js';

/** A named cluster of the config file as a side of the mirror: its name and brokers. */
export function mirrorSite(configPath: string, name: string, flag: '--from' | '--to'): MirrorSite {
  const clusters = readConfigFile(configPath, false)?.clusters ?? {};
  const entry = Object.hasOwn(clusters, name) ? clusters[name] : undefined;
  if (!entry) {
    throw new PixError('INVALID_INPUT', `${flag}: ${name} is not a cluster of ${configPath}`, {
      hint: `pix local start --name ${name} makes one; pix config list shows them.`,
    });
  }
  if (entry.tls || entry.saslMechanism) {
    throw new PixError(
      'INVALID_INPUT',
      `${flag}: cluster ${name} needs TLS or SASL, which pix local mirror does not set up yet`,
    );
  }
  return { name, brokers: parseBrokers(entry.brokers) };
}
