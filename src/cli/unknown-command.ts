import type { Interfaces } from '@oclif/core';

import { PixError } from '../errors.js';
import { closestMatch } from './suggest.js';

/**
 * `pix publsh price` (or `pix publsh --help`): said in pix's own error style, with the command
 * that was probably meant, and exit 2 like every other usage error. `id` is oclif's, with the
 * words joined by colons.
 */
export function unknownCommand(config: Interfaces.Config, id: string): PixError {
  const ids = config.commandIDs.filter((commandId) => !config.findCommand(commandId)?.hidden);
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
  return new PixError(
    'INVALID_INPUT',
    `unknown command '${typed}'${meant ? `. Did you mean '${[...known, meant].join(' ')}'?` : ''}`,
    { hint: 'See `pix --help` for the commands' },
  );
}
