import type { CommandContext } from '../command-context.js';
import { configFileOf } from '../settings.js';
import {
  localBrokerStatus,
  startLocalBroker,
  stopLocalBroker,
  type LocalBrokerState,
  type StoppedNodes,
} from './local-broker.js';
import { startedLine, statusLines, stoppedLines } from './lines.js';
import { everyLocalCluster, localClusterPort, namedClusters, registerStarted } from './named-clusters.js';
import { localBrokerOptions } from './options.js';
import { stateDir } from './paths.js';
import type { LocalSecurity } from './security.js';

/** Which local cluster: the one on --port (9092 by default), or the one of --name. */
export interface LocalClusterOptions {
  port?: number | undefined;
  name?: string | undefined;
}

export interface LocalStartOptions extends LocalClusterOptions {
  'config-file'?: string;
  'controller-port'?: number | undefined;
  'data-dir'?: string | undefined;
  nodes?: number | undefined;
  security?: LocalSecurity | undefined;
  node?: number | undefined;
  heap: string;
}

/** `pix local start`: a real Kafka broker or cluster on 127.0.0.1, registered by --name in the config file. */
export async function localStart(
  options: LocalStartOptions,
  context: CommandContext,
): Promise<LocalBrokerState & { started: boolean; name?: string }> {
  const states = stateDir(context.env);
  const port = await localClusterPort(states, options, { creating: true });
  const state = await startLocalBroker(
    localBrokerOptions({ ...options, port }, (message) => {
      if (context.stdout.isTTY) context.stderr.write(`${message}\n`);
    }),
    options.node !== undefined ? { node: options.node } : {},
  );
  context.log(startedLine(state, options.node));
  if (options.name === undefined) return state;
  const configPath = configFileOf(options, context.env).path;
  const registered = await registerStarted(states, configPath, options.name, port, state);
  if (registered.note) context.warn(registered.note);
  else context.log(`cluster ${options.name} in ${configPath}: pix … --cluster ${options.name}`);
  return { ...state, name: options.name };
}

/** One cluster of `pix local status` when clusters were started by name: its state, name and port. */
export type ListedLocalCluster = LocalBrokerState & { name?: string; port: number };

/** `pix local status`: the local cluster asked for, or every one once some were started by name. */
export async function localStatus(
  options: LocalClusterOptions,
  context: CommandContext,
): Promise<LocalBrokerState | { clusters: ListedLocalCluster[] }> {
  const states = stateDir(context.env);
  if (options.port === undefined && options.name === undefined && namedClusters(states).length > 0) {
    const clusters = [];
    for (const { name, port } of everyLocalCluster(states)) {
      const state = await localBrokerStatus(localBrokerOptions({ port }, () => undefined));
      context.log(`${name ?? `port ${port}`}: ${statusLines(state, port)}`);
      clusters.push({ ...state, ...(name !== undefined ? { name } : {}), port });
    }
    return { clusters };
  }
  const port = await localClusterPort(states, options, { creating: false });
  const state = await localBrokerStatus(localBrokerOptions({ port }, () => undefined));
  context.log(statusLines(state, port));
  return state;
}

export interface LocalStopOptions extends LocalClusterOptions {
  node?: number | undefined;
  /** SIGKILL at once: a crash, to rehearse one. */
  kill: boolean;
  /** Every local cluster. */
  all: boolean;
}

/** `pix local stop`: the local cluster asked for (one node of it with --node), or every one with --all. */
export async function localStop(
  options: LocalStopOptions,
  context: CommandContext,
): Promise<StoppedNodes | { clusters: (StoppedNodes & { name?: string; port: number })[] }> {
  const { kill } = options;
  const how = { ...(options.node !== undefined ? { node: options.node } : {}), kill };
  if (options.all) {
    const clusters = [];
    for (const { name, port } of everyLocalCluster(stateDir(context.env))) {
      const result = await stopLocalBroker(
        localBrokerOptions({ port }, () => undefined),
        how,
      );
      context.log(`${name ?? `port ${port}`}: ${stoppedLines(result, port, { kill })}`);
      clusters.push({ ...result, ...(name !== undefined ? { name } : {}), port });
    }
    return { clusters };
  }
  const port = await localClusterPort(stateDir(context.env), options, { creating: false });
  const result = await stopLocalBroker(
    localBrokerOptions({ port }, () => undefined),
    how,
  );
  context.log(stoppedLines(result, port, { kill }));
  return result;
}
