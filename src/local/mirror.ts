import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { PixError } from '../errors.js';
import { EVENT_TYPES } from '../events/schema.js';
import { TopicNames } from '../events/topics.js';
import { ensureMirrorJars, lastLines } from './kafka-jars.js';
import { requireJava } from './prerequisites.js';

/** MirrorMaker 2 starts its herders and connectors in some seconds; a minute leaves room for a slow machine. */
const MIRROR_START_BOUND_MS = 60_000;
const MIRROR_STOP_BOUND_MS = 30_000;
/** What MirrorMaker logs once every herder of its flows has started (MirrorMaker.start). */
const STARTED_LINE = 'Kafka MirrorMaker started';

export interface MirrorSite {
  name: string;
  brokers: readonly string[];
}

export interface MirrorOptions {
  from: MirrorSite;
  to: MirrorSite;
  /** The identity replication policy: the same topic names on both sides, not `from.topic`. */
  sameNames: boolean;
  stateDir: string;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  onProgress: (message: string) => void;
}

export interface MirrorState {
  running: boolean;
  from: string;
  to: string;
  pid?: number;
  logFile: string;
  configFile: string;
}

const home = (stateDir: string, from: string, to: string): string => join(stateDir, `mirror-${from}-to-${to}`);

/**
 * MirrorMaker 2's dedicated mode (KIP-382) for one direction only: `--clusters TO` runs only the
 * herder that writes to the target, so nothing is made in the source for a reverse flow. Set for
 * local single-broker clusters: replication factors of 1 for MirrorMaker's own topics, no ACL sync
 * (there is no authorizer), topics and groups looked for every 5 s instead of every 10 minutes,
 * heartbeats every second, consumer-group offsets checkpointed and synced.
 */
export function mirrorProperties({ from, to, sameNames }: Pick<MirrorOptions, 'from' | 'to' | 'sameNames'>): string {
  const topics = new TopicNames('').list(EVENT_TYPES);
  const settings: Record<string, string | number> = {
    clusters: `${from.name}, ${to.name}`,
    [`${from.name}.bootstrap.servers`]: from.brokers.join(','),
    [`${to.name}.bootstrap.servers`]: to.brokers.join(','),
    [`${from.name}->${to.name}.enabled`]: 'true',
    [`${from.name}->${to.name}.topics`]: topics.join('|'),
    [`${to.name}->${from.name}.enabled`]: 'false',
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
}

export function mirrorStatus(options: Pick<MirrorOptions, 'stateDir'> & { from: string; to: string }): MirrorState {
  const folder = home(options.stateDir, options.from, options.to);
  const record = readRecord(folder);
  const running = record !== undefined && isMirrorProcess(record.pid);
  return {
    running,
    from: options.from,
    to: options.to,
    ...(running && record ? { pid: record.pid } : {}),
    logFile: join(folder, 'mirror.log'),
    configFile: join(folder, 'mm2.properties'),
  };
}

/** Starts MirrorMaker 2 from `from` to `to`, and returns once it says it has started; a no-op when it runs. */
export async function startMirror(options: MirrorOptions): Promise<MirrorState & { started: boolean }> {
  const current = mirrorStatus({ ...options, from: options.from.name, to: options.to.name });
  if (current.running) return { ...current, started: false };
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
      '--clusters',
      options.to.name,
    ],
    { detached: true, stdio: ['ignore', output, output], cwd: folder },
  );
  closeSync(output);
  if (child.pid === undefined) throw new PixError('LOCAL_BROKER', `could not start ${java}`);
  child.unref();
  const pid = child.pid;
  await writeFile(
    join(folder, 'mirror.json'),
    `${JSON.stringify({ pid, startedAt: new Date().toISOString() } satisfies MirrorRecord)}\n`,
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
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { ...mirrorStatus({ ...options, from: options.from.name, to: options.to.name }), started: true };
}

export async function stopMirror(
  options: Pick<MirrorOptions, 'stateDir'> & { from: string; to: string },
): Promise<{ stopped: boolean; pid?: number }> {
  const folder = home(options.stateDir, options.from, options.to);
  const record = readRecord(folder);
  if (!record || !isMirrorProcess(record.pid)) {
    await rm(join(folder, 'mirror.json'), { force: true });
    return { stopped: false };
  }
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + MIRROR_STOP_BOUND_MS;
  while (isMirrorProcess(record.pid)) {
    if (Date.now() > deadline) process.kill(record.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
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
