import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';

import { PixError } from '../errors.js';
import { ensureKafkaJars, lastLines } from './kafka-jars.js';
import { KAFKA_VERSION } from './kafka-version.js';
import { answersMetadata } from './metadata-probe.js';
import { instanceDir } from './paths.js';
import { requireJava } from './prerequisites.js';
import { newClusterId, serverProperties } from './server-properties.js';

/** First start formats storage and warms the JVM: about 5 s here, a minute leaves room for slow disks. */
export const START_BOUND_MS = 60_000;
/** A controlled shutdown moves leadership and flushes logs; past this the broker is killed. */
export const STOP_BOUND_MS = 30_000;

export interface LocalBrokerOptions {
  port: number;
  controllerPort?: number;
  /** Where the data lives; by default inside the instance folder. */
  dataDir?: string;
  /** Maximum Java heap, such as 512m. */
  heap: string;
  stateDir: string;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  onProgress: (message: string) => void;
}

export interface LocalBrokerState {
  running: boolean;
  /** True when something answers on the port that pix did not start (Docker, another install). */
  foreign: boolean;
  address: string;
  pid?: number;
  dataDir?: string;
  logFile: string;
  version: string;
}

interface InstanceRecord {
  pid: number;
  port: number;
  controllerPort: number;
  dataDir: string;
  version: string;
  startedAt: string;
}

const recordPath = (options: LocalBrokerOptions): string =>
  join(instanceDir(options.stateDir, options.port), 'broker.json');
const logPath = (options: LocalBrokerOptions): string =>
  join(instanceDir(options.stateDir, options.port), 'broker.log');
const addressOf = (port: number): string => `127.0.0.1:${port}`;

export async function localBrokerStatus(options: LocalBrokerOptions): Promise<LocalBrokerState> {
  const record = await readRecord(options);
  const base = { address: addressOf(options.port), logFile: logPath(options), version: KAFKA_VERSION };
  if (record && isBrokerProcess(record.pid)) {
    return { ...base, running: true, foreign: false, pid: record.pid, dataDir: record.dataDir };
  }
  const foreign = await isPortOpen(options.port);
  return { ...base, running: foreign, foreign };
}

/** Starts the broker and returns once it answers a metadata request; a no-op when it already runs. */
export async function startLocalBroker(options: LocalBrokerOptions): Promise<LocalBrokerState & { started: boolean }> {
  const current = await localBrokerStatus(options);
  if (current.running && !current.foreign) return { ...current, started: false };
  if (current.foreign) {
    if (await answersMetadata('127.0.0.1', options.port, 3_000)) return { ...current, started: false };
    throw new PixError('LOCAL_BROKER', `port ${options.port} is taken by a program that is not a Kafka broker`, {
      hint: 'Choose another port with --port, or stop that program.',
    });
  }
  const controllerPort = options.controllerPort ?? options.port + 1;
  if (await isPortOpen(controllerPort)) {
    throw new PixError('LOCAL_BROKER', `the controller port ${controllerPort} is taken`, {
      hint: 'Choose another with --controller-port.',
    });
  }

  const java = requireJava(options.env);
  const libs = await ensureKafkaJars(options.cacheDir, options.env, options.onProgress);
  const home = instanceDir(options.stateDir, options.port);
  const dataDir = options.dataDir ?? join(home, 'data');
  // The instance folder holds the config, log and pid whether or not the data lives in it.
  await mkdir(home, { recursive: true });
  await mkdir(dataDir, { recursive: true });
  const propertiesFile = join(home, 'server.properties');
  await writeFile(propertiesFile, serverProperties({ port: options.port, controllerPort, dataDir }));
  const classpath = `${libs}/*`;

  if (!existsSync(join(dataDir, 'meta.properties'))) {
    options.onProgress(`formatting storage in ${dataDir}`);
    const format = spawnSync(
      java,
      ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', newClusterId(randomBytes), '-c', propertiesFile],
      { encoding: 'utf8' },
    );
    if (format.status !== 0) {
      throw new PixError(
        'LOCAL_BROKER',
        `Kafka could not format ${dataDir}: ${lastLines(`${format.stdout}${format.stderr}`, 3)}`,
      );
    }
  }

  const log = openSync(logPath(options), 'a');
  const child = spawn(
    java,
    [
      `-Xmx${options.heap}`,
      '-Xms128m',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      '-cp',
      classpath,
      'kafka.Kafka',
      propertiesFile,
    ],
    { detached: true, stdio: ['ignore', log, log], cwd: home },
  );
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new PixError('LOCAL_BROKER', `could not start ${java}`);
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  child.unref();
  await writeRecord(options, {
    pid,
    port: options.port,
    controllerPort,
    dataDir,
    version: KAFKA_VERSION,
    startedAt: new Date().toISOString(),
  });

  options.onProgress(`starting Apache Kafka ${KAFKA_VERSION} on ${addressOf(options.port)} (pid ${pid})…`);
  const deadline = Date.now() + START_BOUND_MS;
  while (!(await answersMetadata('127.0.0.1', options.port, 2_000))) {
    if (exited() || Date.now() > deadline) {
      if (!exited()) process.kill(pid, 'SIGKILL');
      await rm(recordPath(options), { force: true });
      const tail = lastLines(readFileSync(logPath(options), 'utf8'), 5);
      throw new PixError('LOCAL_BROKER', `the broker ${exited() ? 'exited' : 'did not answer within 60s'}: ${tail}`, {
        hint: `The whole log is in ${logPath(options)}.`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { ...(await localBrokerStatus(options)), started: true };
}

/** Stops the broker pix started on this port, and waits until it has exited and freed the port. */
export async function stopLocalBroker(options: LocalBrokerOptions): Promise<{ stopped: boolean; pid?: number }> {
  const record = await readRecord(options);
  if (!record || !isBrokerProcess(record.pid)) {
    await rm(recordPath(options), { force: true });
    return { stopped: false };
  }
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + STOP_BOUND_MS;
  while (isAlive(record.pid)) {
    if (Date.now() > deadline) process.kill(record.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  while ((await isPortOpen(options.port)) && Date.now() < deadline + 5_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await rm(recordPath(options), { force: true });
  return { stopped: true, pid: record.pid };
}

async function readRecord(options: LocalBrokerOptions): Promise<InstanceRecord | undefined> {
  try {
    return JSON.parse(await readFile(recordPath(options), 'utf8')) as InstanceRecord;
  } catch {
    return undefined;
  }
}

async function writeRecord(options: LocalBrokerOptions, record: InstanceRecord): Promise<void> {
  await writeFile(recordPath(options), `${JSON.stringify(record, null, 2)}\n`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid is alive and still a Kafka broker: after a reboot the number may belong to anything. */
function isBrokerProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    // No /proc (macOS): trust the pid.
    return true;
  }
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
