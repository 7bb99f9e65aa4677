import type { LocalBrokerState, StoppedNodes } from './local-broker.js';

/** What `pix local start` says: where Kafka runs, and whether this start began it. */
export function startedLine(state: LocalBrokerState & { started: boolean }, node?: number): string {
  const how = state.started ? 'started' : state.foreign ? 'already answers (not started by pix)' : 'already running';
  if (state.nodes.length === 1) {
    return `Kafka ${how} at ${state.address}${state.pid ? ` (pid ${state.pid})` : ''}${securityLine(state)}`;
  }
  const shown = node === undefined ? state.nodes : state.nodes.filter((each) => each.node === node);
  const pids = shown.map((each) => each.pid).filter((pid) => pid !== undefined);
  const what = node === undefined ? `Kafka cluster of ${state.nodes.length} nodes` : `Kafka node ${node}`;
  return `${what} ${how} at ${shown.map((each) => each.address).join(',')} (pid${pids.length === 1 ? '' : 's'} ${pids.join(', ')})${securityLine(state)}`;
}

/** Where a client of a SASL_SSL cluster finds its settings: never the password itself. */
function securityLine({ clientSettings }: LocalBrokerState): string {
  if (!clientSettings) return '';
  return `\nSASL_SSL: log in as ${clientSettings.username}; pix's settings: set -a; . ${clientSettings.envFile}; set +a\nkcat: kcat -F ${clientSettings.kcatConfigFile}`;
}

/** What `pix local stop` says of each node it was asked to stop. */
export function stoppedLines(result: StoppedNodes, port: number, { kill }: { kill: boolean }): string {
  const verb = kill ? 'killed' : 'stopped';
  if (result.nodes.length === 1 && result.nodes[0]?.node === 1 && !result.cluster) {
    return result.stopped
      ? `${verb} Kafka on 127.0.0.1:${port} (pid ${result.pid})`
      : `no local broker of pix runs on port ${port}`;
  }
  return result.nodes
    .map(({ node, address, stopped, pid }) =>
      stopped ? `${verb} Kafka node ${node} on ${address} (pid ${pid})` : `node ${node} (${address}) was not running`,
    )
    .join('\n');
}

/** What `pix local status` says: one node as it always did, a cluster node by node. */
export function statusLines(state: LocalBrokerState, port: number): string {
  if (state.nodes.length === 1) {
    if (!state.running) return `not running (port ${port}); start it with: pix local start`;
    if (state.foreign) return `a broker not started by pix answers at ${state.address}`;
    return `running at ${state.address} (pid ${state.pid}), Kafka ${state.version}\ndata: ${state.dataDir}\nlog:  ${state.logFile}${securityLine(state)}`;
  }
  const up = state.nodes.filter((node) => node.running).length;
  return `${[
    `cluster of ${state.nodes.length} nodes, ${up} running, Kafka ${state.version}; brokers: ${state.address}`,
    ...state.nodes.map(({ node, running, address, pid, dataDir, logFile }) =>
      running
        ? `node ${node}: running at ${address} (pid ${pid}); data: ${dataDir}; log: ${logFile}`
        : `node ${node}: stopped (${address}); start it with: pix local start --port ${port} --node ${node}`,
    ),
  ].join('\n')}${securityLine(state)}`;
}
