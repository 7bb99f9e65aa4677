import { PixCommand } from '../../../cli/base-command.js';
import { globalFlags, mirrorFlags } from '../../../cli/flags.js';
import { mirroredTopics, mirrorStatus, type MirrorState } from '../../../local/mirror.js';
import { mirrorLag, type TopicLag } from '../../../local/mirror-lag.js';
import { mirrorSites } from '../../../local/mirror-sites.js';
import { stateDir } from '../../../local/paths.js';
import { configFileOf } from '../../../settings.js';

export default class LocalMirrorStatus extends PixCommand<typeof LocalMirrorStatus> {
  static override summary = 'Say whether MirrorMaker 2 runs from one cluster to another, and how far behind it is.';
  static override description = `Exit code 0 whether or not it runs: read the output, or \`--json\` and its "running" field.

The lag of each topic is the number of records at the source not yet on the target: each partition's end offset at the source minus that of the same partition on the target. Duplicates after a crash make the target longer; a partition ahead counts as caught up. A cluster that does not answer within --timeout leaves the lag out and says so.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud',
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud --json | jq ".topics[].lag"',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = { ...mirrorFlags };

  public async run(): Promise<MirrorState & { topics?: TopicLag[]; lagError?: string }> {
    const { flags } = this;
    const state = mirrorStatus({ stateDir: stateDir(process.env), from: flags.from, to: flags.to });
    if (!state.running) {
      this.log(
        `no MirrorMaker 2 runs from ${flags.from} to ${flags.to}; start it with: pix local mirror start --from ${flags.from} --to ${flags.to}`,
      );
      return state;
    }
    this.log(
      `MirrorMaker 2 from ${flags.from} to ${flags.to} runs (pid ${state.pid}${state.bothWays ? ', both ways' : ''})\nconfig: ${state.configFile}\nlog:    ${state.logFile}`,
    );
    const configPath = configFileOf(flags, process.env).path;
    const sites = mirrorSites(configPath, flags, process.env);
    const [source, target] = [sites.from.settings.kafka, sites.to.settings.kafka];
    try {
      const topics = await mirrorLag(
        { source, target },
        mirroredTopics(flags.from, state.sameNames ?? false),
        this.logger,
      );
      const width = Math.max(...topics.map(({ mirroredAs }) => mirroredAs.length));
      this.log(`\n${'TOPIC ON THE TARGET'.padEnd(width)}  AT SOURCE  ON TARGET  LAG`);
      for (const { mirroredAs, source: atSource, mirrored, lag } of topics) {
        this.log(
          `${mirroredAs.padEnd(width)}  ${String(atSource).padStart(9)}  ${(mirrored === undefined ? 'not made' : String(mirrored)).padStart(9)}  ${lag}`,
        );
      }
      return { ...state, topics };
    } catch (error) {
      const lagError = (error as Error).message;
      this.log(`lag unknown: ${lagError}`);
      return { ...state, lagError };
    }
  }
}
