/**
 * Characters that text from a topic, a file or a request must not bring to a terminal as they
 * are: C0 and C1 controls, ESC, BEL and DEL (they move the cursor, retitle or clear the screen),
 * bidirectional overrides and isolates (they reorder what follows), zero-width characters and
 * line separators (they hide or split what is shown).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const UNSAFE_CHARACTER = new RegExp(UNSAFE_CHARACTERS.source);

/** Whether text has a character that UNSAFE_CHARACTERS names: ids and keys refuse them. */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE_CHARACTER.test(text);
}

/** The rule a text that hasUnsafeCharacters() breaks. */
export const UNSAFE_RULE = 'must not contain control, bidirectional or zero-width characters';

/**
 * Text from whoever wrote to a topic, a file or a request, as a person may see it: every unsafe
 * character (see UNSAFE_CHARACTERS) shown escaped as \\uXXXX, so none can act on the terminal.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** How much of a value a message shows: enough to recognise it, never a whole megabyte. */
const SHOWN_LENGTH = 80;

/** printable(), cut to SHOWN_LENGTH characters with the cut said: `abc… (921786 characters)`. */
export function shownText(text: string): string {
  const cut = text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH)}… (${text.length} characters)` : text;
  return printable(cut);
}

/** Every line of a message made printable, its line breaks kept: what pix prints on stderr. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
