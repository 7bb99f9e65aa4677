import { Help } from '@oclif/core';

import { exitCodeTable } from './errors.js';

/**
 * oclif's help, except that `pix --help` lists every command (not only the topics: there are
 * few enough to read at once) and adds where settings come from and the exit codes.
 */
export default class PixHelp extends Help {
  protected override async showRootHelp(): Promise<void> {
    this.log(this.formatRoot());
    this.log('');
    this.log(this.formatCommands(this.sortedCommands.filter((command) => command.id && !command.hidden)));
    this.log('');
    this.log(this.section('SETTINGS', SETTINGS));
    this.log('');
    this.log(this.section('EXIT CODES', exitCodeTable().replace(/^ {2}/gm, '')));
    this.log('');
  }
}

const SETTINGS = `Each Kafka setting comes from its flag, else its PIX_* environment variable, else the config
file (JSON; --config-file, PIX_CONFIG, default $XDG_CONFIG_HOME/pix/config.json), else the default.
Broker 127.0.0.1:9092 by default: \`pix local start\` runs one there.`;
