import { Flags } from '@oclif/core';

import { PixCommand } from '../../../base-command.js';
import { globalFlags } from '../../../flags.js';
import { mirrorStatus, type MirrorState } from '../../../local/mirror.js';
import { stateDir } from '../../../local/paths.js';

export default class LocalMirrorStatus extends PixCommand<typeof LocalMirrorStatus> {
  static override summary = 'Say whether the MirrorMaker 2 of one direction runs, its pid, config and log.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud',
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud --json | jq .running',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = {
    from: Flags.string({ summary: 'The source cluster.', required: true }),
    to: Flags.string({ summary: 'The target cluster.', required: true }),
  };

  public async run(): Promise<MirrorState> {
    const { flags } = this;
    const state = mirrorStatus({ stateDir: stateDir(process.env), from: flags.from, to: flags.to });
    this.log(
      state.running
        ? `MirrorMaker 2 from ${flags.from} to ${flags.to} runs (pid ${state.pid})\nconfig: ${state.configFile}\nlog:    ${state.logFile}`
        : `no MirrorMaker 2 runs from ${flags.from} to ${flags.to}; start it with: pix local mirror start --from ${flags.from} --to ${flags.to}`,
    );
    return state;
  }
}
