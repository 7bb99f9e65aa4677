import { readFileSync } from 'node:fs';

import { START_BOUND_MS, STOP_BOUND_MS } from '../../src/local/local-broker.js';
import { ndjson, runPix, startPix, type Finished, type RunningPix } from '../helpers/pix.js';
import { kcat } from '../helpers/kcat.js';

/** The sites' config file and state folder, from sites-setup.ts. */
export const siteEnv = { PIX_CONFIG: process.env.PIX_CONFIG ?? '', PIX_STATE_DIR: process.env.PIX_STATE_DIR ?? '' };
const env = siteEnv;

export type Site = 'on-prem' | 'cloud';

export function pix(...args: string[]): Promise<Finished> {
  return runPix(args, { env, killAfterMs: START_BOUND_MS + STOP_BOUND_MS });
}

/** `pix …` with `input` on its stdin. */
export function runSitePix(args: string[], input: string): Promise<Finished> {
  return runPix(args, { env, input, killAfterMs: START_BOUND_MS });
}

export function startSitePix(...args: string[]): RunningPix {
  return startPix(args, { env, killAfterMs: 170_000 });
}

/** The brokers of a site, as the config file names them. */
function brokersOf(site: Site): string {
  const file = JSON.parse(readFileSync(process.env.PIX_CONFIG ?? '', 'utf8')) as {
    clusters: Record<string, { brokers: string[] }>;
  };
  return file.clusters[site]?.brokers.join(',') ?? '';
}

export interface KcatRecord {
  topic: string;
  partition: number;
  offset: number;
  tstype: string;
  ts: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

/** Every record of `topic` at `site`, read by kcat, the reference client; none when it does not exist. */
export async function recordsAt(site: Site, topic: string): Promise<KcatRecord[]> {
  const read = await kcat(['-C', '-t', topic, '-e', '-q', '-J'], undefined, {
    brokers: brokersOf(site),
  });
  if (read.code !== 0) {
    if (/Unknown topic|not available/i.test(read.stderr)) return [];
    throw new Error(`kcat could not read ${topic} at ${site} (exit ${read.code}): ${read.stderr}`);
  }
  return ndjson<KcatRecord>(read.stdout);
}

/**
 * The eventId of every record on pix's three topics of `site` under `prefix` (`on-prem.` for the
 * mirrored ones), duplicates included, as far as the end offsets of now.
 */
export async function eventIdsAt(site: Site, prefix: string): Promise<string[]> {
  const read = await pix(
    'consume',
    '--cluster',
    site,
    '--topic-prefix',
    prefix,
    '--from-beginning',
    '--exit',
    '--json',
  );
  if (read.code !== 0) throw new Error(`pix consume at ${site} exited ${read.code}: ${read.stderr}`);
  return ndjson<{ event: { eventId: string } }>(read.stdout).map(({ event }) => event.eventId);
}

export function mirror(verb: 'start' | 'stop' | 'status', ...args: string[]): Promise<Finished> {
  return pix('local', 'mirror', verb, ...args);
}
