import { ERROR_CODES } from '../errors.js';

/**
 * Makes a failed write to stdout (a full disk, a closed file) an error pix reports rather than
 * Node's stack trace: once, on stderr, in the words `render` gives it, and exit 1 when pix ends.
 * A reader that went away (EPIPE, as `| head` does) is no failure. Writes fail after the call
 * that made them, so this listens to the stream rather than catching around the write.
 */
export function reportStdoutFailures(render: (error: NodeJS.ErrnoException) => string): void {
  process.stdout.removeAllListeners('error');
  let reported = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || reported) return;
    reported = true;
    process.stderr.write(render(error));
    process.exitCode = ERROR_CODES.OUTPUT_FAILED.exitCode;
  });
}
