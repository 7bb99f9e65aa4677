/** Decimal text as people and scripts write numbers: `10`, `-2.5`, `.5`, `1e3`; no spaces around. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Significant digits a double keeps for every number: past them, digits are rounded away unsaid. */
const MAX_SIGNIFICANT_DIGITS = 15;
/** The smallest double with full precision; below it, digits are lost (and far below, all of them). */
const SMALLEST_NORMAL = 2.2250738585072014e-308;

export const KEPT_NUMBER_RULE = `must be a number pix can keep as given: at most ${MAX_SIGNIFICANT_DIGITS} significant digits, its size between 1e-308 and 1e308`;

/** Whether text is written as a number that a double cannot keep as given (1e400, 1e-400, …). */
export function isUnkeptNumber(text: string): boolean {
  return DECIMAL.test(text) && keptNumber(text) === undefined;
}

/**
 * A number as typed on a command line. Text that is not plainly a decimal number, or a number a
 * double cannot keep as given (1e400 is Infinity, 1e-400 is 0, 9007199254740993 becomes …992),
 * is passed on as text, so validation names the field and shows what was given. Nothing is
 * trimmed: `" 10"` is refused as `" USD"` is.
 */
export function numberFromText(text: string | undefined): number | string | undefined {
  if (text === undefined || !DECIMAL.test(text)) return text;
  return keptNumber(text) ?? text;
}

function keptNumber(text: string): number | undefined {
  const number = Number(text);
  const digits = significantDigits(text);
  const kept =
    Number.isFinite(number) &&
    digits <= MAX_SIGNIFICANT_DIGITS &&
    (number === 0 ? digits === 0 : Math.abs(number) >= SMALLEST_NORMAL);
  return kept ? number : undefined;
}

function significantDigits(text: string): number {
  const mantissa = text
    .replace(/^[+-]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
}
