let quieted = false;

/**
 * kafkajs 2.2.4, its last release, arms a timer for "throttled until − now" while it is not
 * throttled: a negative delay, which Node ≥ 23 reports on stderr (TimeoutNegativeWarning) before
 * waiting 1 ms, as Node 22 did silently (https://github.com/tulios/kafkajs/issues/1751). This
 * drops that warning when kafkajs's code raised it; every other warning, pix's own negative
 * timers' included, is shown as before.
 */
export function quietKafkajsNegativeTimers(): void {
  if (quieted) return;
  quieted = true;
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    const [options] = rest;
    const type = typeof options === 'string' ? options : (options as { type?: string } | undefined)?.type;
    if (type === 'TimeoutNegativeWarning' && /[\\/]kafkajs[\\/]/.test(new Error().stack ?? '')) return;
    // emitWarning's overloads, passed on as they came.
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  };
}
