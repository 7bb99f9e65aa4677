import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';

import { PixError } from '../errors.js';
import { brokersListedBy } from '../kafka/index.js';
import { counted } from '../plural.js';
import { ensureKafkaJars, lastLines } from './kafka-jars.js';
import { KAFKA_VERSION } from './kafka-version.js';
import { instanceDir } from './paths.js';
import { requireJava } from './prerequisites.js';
import {
  ensureSecurityMaterial,
  LOCAL_USER,
  readSecurityMaterial,
  scramFormatArguments,
  writeClientSettings,
  type LocalSecurity,
  type SecurityMaterial,
} from './security.js';
import { newClusterId, serverProperties } from './server-properties.js';
import { sleep } from '../sleep.js';

/** First start formats storage and warms the JVM: about 5 s here, a minute leaves room for slow disks. */
export const START_BOUND_MS = 60_000;
/** A controlled shutdown moves leadership and flushes logs; past this the broker is killed. */
export const STOP_BOUND_MS = 30_000;

export interface LocalBrokerOptions {
  /** The client port of node 1, which names the cluster; node N listens on port + 2(N − 1). */
  port: number;
  /** The controller port of node 1; node N's is controllerPort + 2(N − 1). Default: port + 1. */
  controllerPort?: number;
  /** Where the data lives (node N's in node-N inside it); by default inside each node's folder. */
  dataDir?: string;
  /** Maximum Java heap of each node, such as 512m. */
  heap: string;
  /** How many nodes the cluster has; by default as many as it was made with, else one. */
  nodes?: number;
  /** The client listener's security; by default as the cluster was made, else plain text. */
  security?: LocalSecurity;
  stateDir: string;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  onProgress: (message: string) => void;
}

interface LocalNodeState {
  node: number;
  running: boolean;
  address: string;
  controllerAddress: string;
  pid?: number;
  dataDir: string;
  logFile: string;
}

export interface LocalBrokerState {
  /** Every node runs (or, for one node, something answers on its port). */
  running: boolean;
  /** True when something answers on the port that pix did not start (Docker, another install). */
  foreign: boolean;
  /** The bootstrap list of the cluster: every node's client address. */
  address: string;
  /** Node 1's pid, data folder and log, as a single broker has them. */
  pid?: number;
  dataDir?: string;
  logFile: string;
  version: string;
  security: LocalSecurity;
  /** For a SASL_SSL cluster: where a client finds what it needs, and the user it logs in as. */
  clientSettings?: { envFile: string; kcatConfigFile: string; caFile: string; username: string };
  nodes: LocalNodeState[];
}

interface NodeRecord {
  pid: number;
  port: number;
  controllerPort: number;
  dataDir: string;
  version: string;
  startedAt: string;
}

/** What every node of a cluster shares, kept beside them (a single broker of old has none). */
interface ClusterRecord {
  nodes: number;
  clusterId: string;
  /** Absent in clusters made before pix could secure one: plain text. */
  security?: LocalSecurity;
}

/** What a cluster is made of: asked for, or as it was made. */
interface ClusterShape {
  nodes: number;
  security: LocalSecurity;
}

/** Where one node lives: its ports and folders. A single node keeps the layout pix always had. */
interface NodeLayout {
  node: number;
  port: number;
  controllerPort: number;
  home: string;
  dataDir: string;
  voterPorts: number[];
}

const addressOf = (port: number): string => `127.0.0.1:${port}`;
const clusterRecordPath = (options: LocalBrokerOptions): string =>
  join(instanceDir(options.stateDir, options.port), 'cluster.json');
const recordPath = (layout: NodeLayout): string => join(layout.home, 'broker.json');
const logPath = (layout: NodeLayout): string => join(layout.home, 'broker.log');

function layouts(options: LocalBrokerOptions, nodes: number): NodeLayout[] {
  const root = instanceDir(options.stateDir, options.port);
  const firstController = options.controllerPort ?? options.port + 1;
  const voterPorts = Array.from({ length: nodes }, (_, index) => firstController + 2 * index);
  return voterPorts.map((controllerPort, index) => {
    const node = index + 1;
    const home = nodes === 1 ? root : join(root, `node-${node}`);
    const dataDir =
      options.dataDir === undefined
        ? join(home, 'data')
        : nodes === 1
          ? options.dataDir
          : join(options.dataDir, `node-${node}`);
    return { node, port: options.port + 2 * index, controllerPort, home, dataDir, voterPorts };
  });
}

/** Every node of the cluster, or only `node`, which must be one of them. */
function chosenNodes(options: LocalBrokerOptions, nodes: number, node: number | undefined): NodeLayout[] {
  const all = layouts(options, nodes);
  if (node === undefined) return all;
  const chosen = all.filter((layout) => layout.node === node);
  if (chosen.length === 0) {
    throw new PixError(
      'INVALID_INPUT',
      nodes === 1
        ? `--node: the local broker on port ${options.port} is a single node, with no node ${node}`
        : `--node: must be from 1 to ${nodes}, a node of the cluster on port ${options.port} (got ${node})`,
      { hint: `A cluster on another port is named by its node 1's port: --port PORT.` },
    );
  }
  return chosen;
}

/** What the cluster on this port was made as; undefined when there is none yet. */
async function madeAs(options: LocalBrokerOptions): Promise<ClusterShape | undefined> {
  const cluster = await readJson<ClusterRecord>(clusterRecordPath(options));
  if (cluster) return { nodes: cluster.nodes, security: cluster.security ?? 'plaintext' };
  const root = instanceDir(options.stateDir, options.port);
  return existsSync(join(root, 'server.properties')) ? { nodes: 1, security: 'plaintext' } : undefined;
}

/** The cluster asked for, checked against the one already on this port. */
async function clusterShape(options: LocalBrokerOptions): Promise<ClusterShape> {
  const made = await madeAs(options);
  const afresh = `\`pix local stop\` then removing ${instanceDir(options.stateDir, options.port)} starts afresh`;
  if (made && options.nodes !== undefined && options.nodes !== made.nodes) {
    throw new PixError(
      'LOCAL_BROKER',
      `the local cluster on port ${options.port} was made with ${counted(made.nodes, 'node')}, not ${options.nodes}`,
      {
        hint: `Start it as it is (without --nodes), or choose another --port for a cluster of ${options.nodes}; ${afresh}.`,
      },
    );
  }
  if (made && options.security !== undefined && options.security !== made.security) {
    throw new PixError(
      'LOCAL_BROKER',
      `the local cluster on port ${options.port} was made with security ${made.security}, not ${options.security}`,
      {
        hint: `Start it as it is (without --security), or choose another --port for a ${options.security} cluster; ${afresh}.`,
      },
    );
  }
  return { nodes: options.nodes ?? made?.nodes ?? 1, security: options.security ?? made?.security ?? 'plaintext' };
}

export async function localBrokerStatus(options: LocalBrokerOptions): Promise<LocalBrokerState> {
  const shape = await clusterShape(options);
  const nodes = await Promise.all(layouts(options, shape.nodes).map((layout) => nodeStatus(layout)));
  const first = nodes[0] as LocalNodeState;
  const ours = nodes.every((node) => node.running && node.pid !== undefined);
  const foreign = nodes.length === 1 && !ours && (await isPortOpen(options.port));
  return {
    running: ours || foreign,
    foreign,
    address: nodes.map((node) => node.address).join(','),
    ...(first.pid !== undefined ? { pid: first.pid, dataDir: first.dataDir } : {}),
    logFile: first.logFile,
    version: KAFKA_VERSION,
    security: shape.security,
    ...clientSettingsOf(options, shape),
    nodes,
  };
}

function clientSettingsOf(options: LocalBrokerOptions, shape: ClusterShape): Pick<LocalBrokerState, 'clientSettings'> {
  const material =
    shape.security === 'sasl-ssl' ? readSecurityMaterial(instanceDir(options.stateDir, options.port)) : undefined;
  if (!material) return {};
  const { clientEnvFile: envFile, kcatConfigFile, caFile } = material;
  return { clientSettings: { envFile, kcatConfigFile, caFile, username: LOCAL_USER } };
}

async function nodeStatus(layout: NodeLayout): Promise<LocalNodeState> {
  const record = await readJson<NodeRecord>(recordPath(layout));
  const base = {
    node: layout.node,
    address: addressOf(layout.port),
    controllerAddress: addressOf(layout.controllerPort),
    dataDir: record?.dataDir ?? layout.dataDir,
    logFile: logPath(layout),
  };
  return record && isBrokerProcess(record.pid)
    ? { ...base, running: true, pid: record.pid }
    : { ...base, running: false };
}

/**
 * Starts every node of the cluster (or only `node`) and returns once each answers a metadata
 * request that lists the whole cluster; a no-op for what already runs.
 */
export async function startLocalBroker(
  options: LocalBrokerOptions,
  { node }: { node?: number } = {},
): Promise<LocalBrokerState & { started: boolean }> {
  const shape = await clusterShape(options);
  const { nodes } = shape;
  const chosen = chosenNodes(options, nodes, node);
  const current = await localBrokerStatus({ ...options, ...shape });
  if (current.foreign) {
    if ((await brokersListedBy('127.0.0.1', options.port, 3_000)) !== undefined) return { ...current, started: false };
    throw new PixError('LOCAL_BROKER', `port ${options.port} is taken by a program that is not a Kafka broker`, {
      hint: 'Choose another port with --port, or stop that program.',
    });
  }
  const stopped = chosen.filter((layout) => !current.nodes[layout.node - 1]?.running);
  if (stopped.length === 0) return { ...current, started: false };
  if (node !== undefined && (await madeAs(options)) === undefined) {
    throw new PixError('LOCAL_BROKER', `there is no local cluster on port ${options.port} to start node ${node} of`, {
      hint: 'Start the whole cluster first: pix local start --nodes N.',
    });
  }
  for (const layout of stopped) await requireFreePorts(layout, nodes);

  const java = requireJava(options.env);
  const libs = await ensureKafkaJars(options.cacheDir, options.env, options.onProgress);
  const classpath = `${libs}/*`;
  const bootstrap = layouts(options, nodes)
    .map((layout) => addressOf(layout.port))
    .join(',');
  let security: SecurityMaterial | undefined;
  if (shape.security === 'sasl-ssl') {
    security = await ensureSecurityMaterial(instanceDir(options.stateDir, options.port), options.env);
    writeClientSettings(security, bootstrap);
  }
  // Made (and kept) only when a node's storage needs formatting: one id for every node.
  let clusterId: Promise<string> | undefined;
  const idOnce = (): Promise<string> => (clusterId ??= clusterIdFor(options, shape));
  const children = await Promise.all(
    stopped.map((layout) =>
      startNode(layout, { options, java, classpath, clusterId: idOnce, ...(security ? { security } : {}) }),
    ),
  );
  const probeSecurity = security && {
    tls: { ca: readFileSync(security.caFile) },
    sasl: { mechanism: 'scram-sha-512' as const, username: LOCAL_USER, password: security.userPassword },
  };

  const which =
    nodes === 1
      ? ''
      : ` ${stopped.length === nodes ? `${nodes} nodes` : `node ${stopped.map((l) => l.node).join(', ')}`}`;
  options.onProgress(
    `starting Apache Kafka ${KAFKA_VERSION}${which} on ${stopped.map((layout) => addressOf(layout.port)).join(', ')}…`,
  );
  // Whole when a node that was started lists every node of the cluster: the quorum has a leader
  // and every broker has registered with it.
  const deadline = Date.now() + START_BOUND_MS;
  const pending = new Set(stopped.map((layout) => layout.node));
  while (pending.size > 0) {
    for (const [index, layout] of stopped.entries()) {
      if (!pending.has(layout.node)) continue;
      const child = children[index] as StartedNode;
      if (child.exited() || Date.now() > deadline) {
        await Promise.all(stopped.map((started, index) => abandon(started, children[index] as StartedNode)));
        const tail = lastLines(readFileSync(logPath(layout), 'utf8'), 5);
        const name = nodes === 1 ? 'the broker' : `node ${layout.node}`;
        throw new PixError(
          'LOCAL_BROKER',
          `${name} ${child.exited() ? 'exited' : 'did not answer within 60s'}: ${tail}`,
          {
            hint: `The whole log is in ${logPath(layout)}.`,
          },
        );
      }
      const listed = await brokersListedBy('127.0.0.1', layout.port, 2_000, probeSecurity);
      if (listed !== undefined && listed >= nodes) pending.delete(layout.node);
    }
    if (pending.size > 0) await sleep(250);
  }
  return { ...(await localBrokerStatus({ ...options, ...shape })), started: true };
}

interface StartedNode {
  pid: number;
  exited(): boolean;
}

async function startNode(
  layout: NodeLayout,
  run: {
    options: LocalBrokerOptions;
    java: string;
    classpath: string;
    clusterId: () => Promise<string>;
    security?: SecurityMaterial;
  },
): Promise<StartedNode> {
  const { options, java, classpath, clusterId, security } = run;
  // The node's folder holds the config, log and pid whether or not the data lives in it.
  await mkdir(layout.home, { recursive: true });
  await mkdir(layout.dataDir, { recursive: true });
  const propertiesFile = join(layout.home, 'server.properties');
  await writeFile(
    propertiesFile,
    serverProperties({
      nodeId: layout.node,
      port: layout.port,
      controllerPort: layout.controllerPort,
      dataDir: layout.dataDir,
      voterPorts: layout.voterPorts,
      ...(security ? { security } : {}),
    }),
    // With security, it holds the stores' and users' passwords.
    { mode: 0o600 },
  );
  if (!existsSync(join(layout.dataDir, 'meta.properties'))) {
    options.onProgress(`formatting storage in ${layout.dataDir}`);
    const id = await clusterId();
    const format = spawnSync(
      java,
      [
        '-cp',
        classpath,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        id,
        '-c',
        propertiesFile,
        ...(security ? scramFormatArguments(security) : []),
      ],
      {
        encoding: 'utf8',
      },
    );
    if (format.status !== 0) {
      throw new PixError(
        'LOCAL_BROKER',
        `Kafka could not format ${layout.dataDir}: ${lastLines(`${format.stdout}${format.stderr}`, 3)}`,
      );
    }
  }
  const log = openSync(logPath(layout), 'a');
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
    { detached: true, stdio: ['ignore', log, log], cwd: layout.home },
  );
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new PixError('LOCAL_BROKER', `could not start ${java}`);
  child.unref();
  await writeFile(
    recordPath(layout),
    `${JSON.stringify(
      {
        pid,
        port: layout.port,
        controllerPort: layout.controllerPort,
        dataDir: layout.dataDir,
        version: KAFKA_VERSION,
        startedAt: new Date().toISOString(),
      } satisfies NodeRecord,
      null,
      2,
    )}\n`,
  );
  return { pid, exited: () => child.exitCode !== null || child.signalCode !== null };
}

/** A start that failed leaves nothing running and no record that says otherwise. */
async function abandon(layout: NodeLayout, child: StartedNode): Promise<void> {
  if (!child.exited()) process.kill(child.pid, 'SIGKILL');
  await rm(recordPath(layout), { force: true });
}

/** Every node of a cluster is formatted with one cluster id, kept for the nodes formatted later. */
async function clusterIdFor(options: LocalBrokerOptions, { nodes, security }: ClusterShape): Promise<string> {
  const path = clusterRecordPath(options);
  const kept = await readJson<ClusterRecord>(path);
  if (kept) return kept.clusterId;
  const clusterId = newClusterId(randomBytes);
  await mkdir(instanceDir(options.stateDir, options.port), { recursive: true });
  await writeFile(path, `${JSON.stringify({ nodes, clusterId, security } satisfies ClusterRecord, null, 2)}\n`);
  return clusterId;
}

async function requireFreePorts(layout: NodeLayout, nodes: number): Promise<void> {
  const name = nodes === 1 ? 'the' : `node ${layout.node}'s`;
  if (nodes > 1 && (await isPortOpen(layout.port))) {
    throw new PixError('LOCAL_BROKER', `${name} port ${layout.port} is taken`, { hint: 'Choose another --port.' });
  }
  if (await isPortOpen(layout.controllerPort)) {
    throw new PixError('LOCAL_BROKER', `${name} controller port ${layout.controllerPort} is taken`, {
      hint: 'Choose another with --controller-port.',
    });
  }
}

export interface StoppedNodes {
  stopped: boolean;
  /** Node 1's pid, or the one node's that was stopped. */
  pid?: number;
  /** True for a cluster of more than one node. */
  cluster: boolean;
  nodes: { node: number; address: string; stopped: boolean; pid?: number }[];
}

/**
 * Stops the nodes pix started on this port (or only `node`), and waits until each has exited and
 * freed its port. With `kill`, SIGKILL at once, as a crash would: no controlled shutdown.
 */
export async function stopLocalBroker(
  options: LocalBrokerOptions,
  { node, kill = false }: { node?: number; kill?: boolean } = {},
): Promise<StoppedNodes> {
  if (node !== undefined && (await madeAs(options)) === undefined) {
    throw new PixError('LOCAL_BROKER', `there is no local cluster on port ${options.port} to stop node ${node} of`, {
      hint: "A cluster is named by its node 1's port: --port PORT (`pix local status --port PORT` shows it).",
    });
  }
  const { nodes } = await clusterShape(options);
  const chosen = chosenNodes(options, nodes, node);
  const results = await Promise.all(chosen.map((layout) => stopNode(layout, kill)));
  const first = results[0];
  return {
    stopped: results.some((result) => result.stopped),
    ...(first?.pid !== undefined ? { pid: first.pid } : {}),
    cluster: nodes > 1,
    nodes: results,
  };
}

async function stopNode(layout: NodeLayout, kill: boolean): Promise<StoppedNodes['nodes'][number]> {
  const record = await readJson<NodeRecord>(recordPath(layout));
  const address = addressOf(layout.port);
  if (!record || !isBrokerProcess(record.pid)) {
    await rm(recordPath(layout), { force: true });
    return { node: layout.node, address, stopped: false };
  }
  process.kill(record.pid, kill ? 'SIGKILL' : 'SIGTERM');
  const deadline = Date.now() + STOP_BOUND_MS;
  while (isAlive(record.pid)) {
    if (Date.now() > deadline) process.kill(record.pid, 'SIGKILL');
    await sleep(100);
  }
  while ((await isPortOpen(layout.port)) && Date.now() < deadline + 5_000) {
    await sleep(100);
  }
  await rm(recordPath(layout), { force: true });
  return { node: layout.node, address, stopped: true, pid: record.pid };
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
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

/** Whether something on 127.0.0.1 takes a connection on `port` now. */
export function isPortOpen(port: number): Promise<boolean> {
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
