import { PixError } from '../errors.js';
import { shownText } from '../printable.js';
import {
  clusterEntry,
  clusterLayer,
  readConfigFile,
  resolveSettings,
  type ConfigFile,
  type Settings,
} from '../settings.js';
import type { MirrorSite } from './mirror.js';

type SiteOfMirror = MirrorSite & { settings: Settings };

/**
 * The two named clusters of the config file that a mirror bridges, the file read once: each one's
 * name and brokers for MirrorMaker, and pix's settings for it (to measure the lag).
 */
export function mirrorSites(
  configPath: string,
  names: { from: string; to: string },
  env: NodeJS.ProcessEnv,
): { from: SiteOfMirror; to: SiteOfMirror } {
  const file = readConfigFile(configPath, false);
  return {
    from: mirrorSite(file, configPath, names.from, '--from', env),
    to: mirrorSite(file, configPath, names.to, '--to', env),
  };
}

function mirrorSite(
  file: ConfigFile | undefined,
  configPath: string,
  name: string,
  flag: '--from' | '--to',
  env: NodeJS.ProcessEnv,
): SiteOfMirror {
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
