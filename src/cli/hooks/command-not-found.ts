import type { Hook } from '@oclif/core';

import { PixError } from '../../errors.js';
import { reportFailure } from '../run-command.js';
import { closestMatch } from '../suggest.js';

/**
 * `pix publsh price`: said in pix's own error style, with the command that was probably meant,
 * and exit 2 like every other usage error (oclif's default is a bare "command not found", exit 2
 * with a different look).
 */
const hook: Hook<'command_not_found'> = async function ({ id, argv }) {
  const ids = this.config.commandIDs.filter((commandId) => !this.config.findCommand(commandId)?.hidden);
  const words = id.split(':');
  // The first word that no command starts with is the one that was mistyped.
  const known: string[] = [];
  for (const word of words) {
    const path = [...known, word].join(':');
    if (!ids.some((commandId) => commandId === path || commandId.startsWith(`${path}:`))) break;
    known.push(word);
  }
  const typo = words[known.length] ?? '';
  const nextWords = new Set(
    ids
      .filter((commandId) => known.length === 0 || commandId.startsWith(`${known.join(':')}:`))
      .map((commandId) => commandId.split(':')[known.length])
      .filter((word): word is string => word !== undefined),
  );
  const meant = closestMatch(typo, nextWords);
  const typed = [...known, typo].join(' ');
  const failure = new PixError(
    'INVALID_INPUT',
    `unknown command '${typed}'${meant ? `. Did you mean '${[...known, meant].join(' ')}'?` : ''}`,
    { hint: 'See `pix --help` for the commands' },
  );
  this.exit(reportFailure(failure, { json: (argv ?? []).includes('--json') }));
};

export default hook;
