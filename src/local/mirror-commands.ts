import type { CommandContext } from '../command-context.js';
import { configFileOf } from '../settings.js';
import { mirroredTopics, mirrorStatus, startMirror, stopMirror, type MirrorState } from './mirror.js';
import { mirrorLag, type TopicLag } from './mirror-lag.js';
import { mirrorSites } from './mirror-sites.js';
import { cacheDir, stateDir } from './paths.js';

/** The two sides of a mirror: named clusters of the config file. */
export interface MirrorOptions {
  from: string;
  to: string;
  'config-file'?: string;
}

/** `pix local mirror start`: MirrorMaker 2 from one named cluster to another (or both ways). */
export async function mirrorStart(
  options: MirrorOptions & { 'same-names': boolean; 'both-ways': boolean },
  context: CommandContext,
): Promise<MirrorState & { started: boolean }> {
  const configPath = configFileOf(options, context.env).path;
  const state = await startMirror({
    ...mirrorSites(configPath, options, context.env),
    sameNames: options['same-names'],
    bothWays: options['both-ways'],
    stateDir: stateDir(context.env),
    cacheDir: cacheDir(context.env),
    env: context.env,
    onProgress: (message) => {
      if (context.stdout.isTTY) context.stderr.write(`${message}\n`);
    },
  });
  const direction = state.bothWays ? `between ${state.from} and ${state.to}` : `from ${state.from} to ${state.to}`;
  context.log(
    `MirrorMaker 2 ${state.started ? 'started' : 'already running'} ${direction} (pid ${state.pid}); log: ${state.logFile}`,
  );
  return state;
}

/** `pix local mirror status`: whether it runs, its files, and each topic's lag. */
export async function mirrorStatusOf(
  options: MirrorOptions,
  context: CommandContext,
): Promise<MirrorState & { topics?: TopicLag[]; lagError?: string }> {
  const { from, to } = options;
  const state = mirrorStatus({ stateDir: stateDir(context.env), from, to });
  if (!state.running) {
    context.log(
      `no MirrorMaker 2 runs from ${from} to ${to}; start it with: pix local mirror start --from ${from} --to ${to}`,
    );
    return state;
  }
  context.log(
    `MirrorMaker 2 from ${from} to ${to} runs (pid ${state.pid}${state.bothWays ? ', both ways' : ''})\nconfig: ${state.configFile}\nlog:    ${state.logFile}`,
  );
  const sites = mirrorSites(configFileOf(options, context.env).path, options, context.env);
  const [source, target] = [sites.from.settings.kafka, sites.to.settings.kafka];
  try {
    const topics = await mirrorLag({ source, target }, mirroredTopics(from, state.sameNames ?? false), context.logger);
    const width = Math.max(...topics.map(({ mirroredAs }) => mirroredAs.length));
    context.log(`\n${'TOPIC ON THE TARGET'.padEnd(width)}  AT SOURCE  ON TARGET  LAG`);
    for (const { mirroredAs, source: atSource, mirrored, lag } of topics) {
      context.log(
        `${mirroredAs.padEnd(width)}  ${String(atSource).padStart(9)}  ${(mirrored === undefined ? 'not made' : String(mirrored)).padStart(9)}  ${lag}`,
      );
    }
    return { ...state, topics };
  } catch (error) {
    const lagError = (error as Error).message;
    context.log(`lag unknown: ${lagError}`);
    return { ...state, lagError };
  }
}

/** `pix local mirror stop`. */
export async function mirrorStop(
  { from, to }: MirrorOptions,
  context: CommandContext,
): Promise<{ stopped: boolean; pid?: number }> {
  const result = await stopMirror({ stateDir: stateDir(context.env), from, to });
  context.log(
    result.stopped
      ? `stopped MirrorMaker 2 from ${from} to ${to} (pid ${result.pid})`
      : `no MirrorMaker 2 runs from ${from} to ${to}`,
  );
  return result;
}
