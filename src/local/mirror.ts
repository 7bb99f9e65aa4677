import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { PixError } from '../errors.js';
import { EVENT_TYPES } from '../events/schema.js';
import { REMOTE_TOPIC_SEPARATOR, TopicNames } from '../events/topics.js';
import { ensureMirrorJars, lastLines } from './kafka-jars.js';
import { requireJava } from './prerequisites.js';
import { sleep } from '../sleep.js';

/** MirrorMaker 2 starts its herders and connectors in some seconds; a minute leaves room for a slow machine. */
const MIRROR_START_BOUND_MS = 60_000;
const MIRROR_STOP_BOUND_MS = 30_000;
/** What MirrorMaker logs once every herder of its flows has started (MirrorMaker.start). */
const STARTED_LINE = 'Kafka MirrorMaker started';

export interface MirrorSite {
  name: string;
  brokers: readonly string[];
}

interface MirrorProcessOptions {
  from: MirrorSite;
  to: MirrorSite;
  /** The identity replication policy: the same topic names on both sides, not `from.topic`. */
  sameNames: boolean;
  /** Replicate the reverse direction too, in the same process. */
  bothWays: boolean;
  stateDir: string;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  onProgress: (message: string) => void;
}

export interface MirrorState {
  running: boolean;
  from: string;
  to: string;
  /** As started; absent when it does not run. */
  bothWays?: boolean;
  sameNames?: boolean;
  pid?: number;
  logFile: string;
  configFile: string;
}

const home = (stateDir: string, from: string, to: string): string => join(stateDir, `mirror-${from}-to-${to}`);

/** pix's three topics at the source, and the name each has on the target. */
export function mirroredTopics(from: string, sameNames: boolean): { topic: string; mirroredAs: string }[] {
  return new TopicNames('')
    .list(EVENT_TYPES)
    .map((topic) => ({ topic, mirroredAs: sameNames ? topic : `${from}${REMOTE_TOPIC_SEPARATOR}${topic}` }));
}

/**
 * MirrorMaker 2's dedicated mode (KIP-382) for one direction only: `--clusters TO` runs only the
 * herder that writes to the target, so nothing is made in the source for a reverse flow. Set for
 * local single-broker clusters: replication factors of 1 for MirrorMaker's own topics, no ACL sync
 * (there is no authorizer), topics and groups looked for every 5 s instead of every 10 minutes,
 * heartbeats every second, consumer-group offsets checkpointed and synced.
 */
export function mirrorProperties({
  from,
  to,
  sameNames,
  bothWays,
}: Pick<MirrorProcessOptions, 'from' | 'to' | 'sameNames' | 'bothWays'>): string {
  // A list of exact names: a remote topic (on-prem.product-price-update) never matches, so with
  // --both-ways nothing goes round in a cycle.
  const topics = new TopicNames('').list(EVENT_TYPES).join('|');
  const settings: Record<string, string | number> = {
    clusters: `${from.name}, ${to.name}`,
    [`${from.name}.bootstrap.servers`]: from.brokers.join(','),
    [`${to.name}.bootstrap.servers`]: to.brokers.join(','),
    [`${from.name}->${to.name}.enabled`]: 'true',
    [`${from.name}->${to.name}.topics`]: topics,
    [`${to.name}->${from.name}.enabled`]: String(bothWays),
    ...(bothWays ? { [`${to.name}->${from.name}.topics`]: topics } : {}),
    ...(sameNames ? { 'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy' } : {}),
    'replication.factor': 1,
    'checkpoints.topic.replication.factor': 1,
    'heartbeats.topic.replication.factor': 1,
    'offset-syncs.topic.replication.factor': 1,
    'offset.storage.replication.factor': 1,
    'status.storage.replication.factor': 1,
    'config.storage.replication.factor': 1,
    'sync.topic.configs.enabled': 'true',
    'sync.topic.acls.enabled': 'false',
    'emit.heartbeats.enabled': 'true',
    'emit.heartbeats.interval.seconds': 1,
    'emit.checkpoints.enabled': 'true',
    'emit.checkpoints.interval.seconds': 5,
    'sync.group.offsets.enabled': 'true',
    'sync.group.offsets.interval.seconds': 5,
    'refresh.topics.interval.seconds': 5,
    'refresh.groups.interval.seconds': 5,
    'tasks.max': 1,
    // Connect commits how far it has read every minute by default; a MirrorMaker killed between
    // two commits copies again what it copied since. Every 5 s keeps those duplicates few.
    'offset.flush.interval.ms': 5_000,
  };
  return `# Written by pix local mirror start.\n${Object.entries(settings)
    .map(([key, value]) => `${key} = ${value}`)
    .join('\n')}\n`;
}

/** MirrorMaker's log to a file: with log4j2 bound (kafka-jars.ts) and this, it logs what it does. */
function log4jProperties(logFile: string): string {
  return `status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${logFile}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
`;
}

interface MirrorRecord {
  pid: number;
  startedAt: string;
  bothWays: boolean;
  sameNames: boolean;
}

type Direction = Pick<MirrorProcessOptions, 'stateDir'> & { from: string; to: string };

/**
 * The MirrorMaker that replicates from `from` to `to`: the one started for that direction, or
 * one started the other way round with --both-ways.
 */
export function mirrorStatus(options: Direction): MirrorState {
  const own = directionStatus(options.stateDir, options.from, options.to);
  if (own.running) return own;
  const reverse = directionStatus(options.stateDir, options.to, options.from);
  return reverse.running && reverse.bothWays ? reverse : own;
}

function directionStatus(stateDir: string, from: string, to: string): MirrorState {
  const folder = home(stateDir, from, to);
  const record = readRecord(folder);
  const live = record !== undefined && isMirrorProcess(record.pid) ? record : undefined;
  return {
    running: live !== undefined,
    from,
    to,
    ...(live ? { pid: live.pid, bothWays: live.bothWays, sameNames: live.sameNames } : {}),
    logFile: join(folder, 'mirror.log'),
    configFile: join(folder, 'mm2.properties'),
  };
}

/** Starts MirrorMaker 2 from `from` to `to`, and returns once it says it has started; a no-op when it runs. */
export async function startMirror(options: MirrorProcessOptions): Promise<MirrorState & { started: boolean }> {
  if (options.sameNames && options.bothWays) {
    throw new PixError('INVALID_INPUT', '--same-names with --both-ways would copy each event back and forth for ever', {
      hint: "MirrorMaker 2's identity policy cannot tell a copied topic from a local one; drop one of the two flags.",
    });
  }
  const direction = { stateDir: options.stateDir, from: options.from.name, to: options.to.name };
  const current = mirrorStatus(direction);
  if (current.running) return { ...current, started: false };
  const reverse = directionStatus(options.stateDir, direction.to, direction.from);
  if (options.bothWays && reverse.running) {
    throw new PixError(
      'INVALID_INPUT',
      `MirrorMaker 2 already replicates from ${direction.to} to ${direction.from} (pid ${reverse.pid})`,
      { hint: `Stop it first: pix local mirror stop --from ${direction.to} --to ${direction.from}` },
    );
  }
  const java = requireJava(options.env);
  const libs = await ensureMirrorJars(options.cacheDir, options.env, options.onProgress);
  const folder = home(options.stateDir, options.from.name, options.to.name);
  await mkdir(folder, { recursive: true });
  await writeFile(current.configFile, mirrorProperties(options));
  const log4j = join(folder, 'log4j2.properties');
  await writeFile(log4j, log4jProperties(current.logFile));
  await rm(current.logFile, { force: true });
  const output = openSync(join(folder, 'mirror.out'), 'w');
  const child = spawn(
    java,
    [
      '-Xmx256m',
      '-XX:+UseG1GC',
      `-Dlog4j2.configurationFile=${log4j}`,
      '-cp',
      `${libs}/*`,
      'org.apache.kafka.connect.mirror.MirrorMaker',
      current.configFile,
      // Dedicated mode runs a herder for each target cluster named here, and only those.
      '--clusters',
      ...(options.bothWays ? [options.to.name, options.from.name] : [options.to.name]),
    ],
    { detached: true, stdio: ['ignore', output, output], cwd: folder },
  );
  closeSync(output);
  if (child.pid === undefined) throw new PixError('LOCAL_BROKER', `could not start ${java}`);
  child.unref();
  const pid = child.pid;
  await writeFile(
    join(folder, 'mirror.json'),
    `${JSON.stringify({ pid, startedAt: new Date().toISOString(), bothWays: options.bothWays, sameNames: options.sameNames } satisfies MirrorRecord)}\n`,
  );
  options.onProgress(`starting MirrorMaker 2 from ${options.from.name} to ${options.to.name}…`);
  const deadline = Date.now() + MIRROR_START_BOUND_MS;
  for (;;) {
    const exited = child.exitCode !== null || child.signalCode !== null;
    const log = existsSync(current.logFile) ? readFileSync(current.logFile, 'utf8') : '';
    if (log.includes(STARTED_LINE)) break;
    if (exited || Date.now() > deadline) {
      if (!exited) process.kill(pid, 'SIGKILL');
      await rm(join(folder, 'mirror.json'), { force: true });
      throw new PixError(
        'LOCAL_BROKER',
        `MirrorMaker 2 ${exited ? 'exited' : 'did not start within 60s'}: ${lastLines(log || readFileSync(join(folder, 'mirror.out'), 'utf8'), 3)}`,
        { hint: `Its whole log is in ${current.logFile}.` },
      );
    }
    await sleep(250);
  }
  return { ...mirrorStatus(direction), started: true };
}

export async function stopMirror(options: Direction): Promise<{ stopped: boolean; pid?: number }> {
  const running = mirrorStatus(options);
  const folder = home(options.stateDir, running.from, running.to);
  const record = readRecord(folder);
  if (!record || !isMirrorProcess(record.pid)) {
    await rm(join(folder, 'mirror.json'), { force: true });
    return { stopped: false };
  }
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + MIRROR_STOP_BOUND_MS;
  while (isMirrorProcess(record.pid)) {
    if (Date.now() > deadline) process.kill(record.pid, 'SIGKILL');
    await sleep(100);
  }
  await rm(join(folder, 'mirror.json'), { force: true });
  return { stopped: true, pid: record.pid };
}

function readRecord(folder: string): MirrorRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(folder, 'mirror.json'), 'utf8')) as MirrorRecord;
  } catch {
    return undefined;
  }
}

/** The pid is alive and still MirrorMaker: after a reboot the number may belong to anything. */
function isMirrorProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('org.apache.kafka.connect.mirror.MirrorMaker');
  } catch {
    return true;
  }
}
