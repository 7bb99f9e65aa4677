import { type Hook, loadHelpClass } from '@oclif/core';

import { reportFailure } from '../run-command.js';
import { unknownCommand } from '../unknown-command.js';

/**
 * A command oclif does not know. `pix help publish price` is `pix publish price --help`, as in
 * git and npm (oclif's own `help` command comes with a plugin pix does not load); anything else
 * is a mistyped command, answered in pix's own words with exit 2 (oclif's default is a bare
 * "command not found" with a different look).
 */
const hook: Hook<'command_not_found'> = async function ({ id, argv = [] }) {
  const [first, ...rest] = id.split(':');
  if (first === 'help') {
    const Help = await loadHelpClass(this.config);
    await new Help(this.config, this.config.pjson.oclif.helpOptions).showHelp([...rest, ...argv]);
    return;
  }
  this.exit(reportFailure(unknownCommand(this.config, id), { json: argv.includes('--json') }));
};

export default hook;
