import { PixError } from '../errors.js';
import { shownText } from '../printable.js';
import { clusterEntry, clusterLayer, readConfigFile, resolveSettings, type Settings } from '../settings.js';
import type { MirrorSite } from './mirror.js';

/**
 * A named cluster of the config file as a side of the mirror: its name and brokers for
 * MirrorMaker, and pix's settings for it (to measure the lag).
 */
export function mirrorSite(
  configPath: string,
  name: string,
  flag: '--from' | '--to',
  env: NodeJS.ProcessEnv,
): MirrorSite & { settings: Settings } {
  const file = readConfigFile(configPath, false);
  let entry;
  try {
    entry = clusterEntry(file, name, configPath);
  } catch (error) {
    throw new PixError('INVALID_INPUT', `${flag}: ${shownText(name)} is not a cluster of ${configPath}`, {
      cause: error,
      hint: `pix local start --name ${name} makes one; pix config list shows them.`,
    });
  }
  if (entry.tls || entry.saslMechanism) {
    throw new PixError(
      'INVALID_INPUT',
      `${flag}: cluster ${shownText(name)} needs TLS or SASL, which pix local mirror does not set up yet`,
      {
        hint: 'pix local mirror bridges clusters that take plain connections, such as those of pix local start --name.',
      },
    );
  }
  // The cluster's own settings: PIX_BROKERS and the like name the cluster a command talks to, not
  // the two sides of a mirror.
  const settings = resolveSettings({
    flags: {},
    env: {},
    cluster: clusterLayer(file, name, configPath, env),
    clusterName: name,
  });
  return { name, brokers: settings.kafka.brokers, settings };
}
