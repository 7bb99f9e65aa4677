/** `published 1000 events in 0.61s (1642 events/s): price-topic 595, …`: the one-line summary of publishing. */
export function publishSummaryLine(
  published: number,
  seconds: number,
  byTopic: Record<string, number>,
  tail: string,
): string {
  const topics = Object.entries(byTopic)
    .map(([topic, count]) => `${topic} ${count}`)
    .join(', ');
  const perSecond = seconds > 0 ? Math.round(published / seconds) : published;
  return `published ${published} events in ${seconds.toFixed(2)}s (${perSecond} events/s): ${topics}; ${tail}`;
}
