import { endOffsets, KafkaClient, type PartitionEnd } from '../kafka/index.js';
import type { Logger } from '../logger.js';
import type { KafkaSettings } from '../settings.js';

export interface TopicLag {
  /** The topic at the source. */
  topic: string;
  /** Its name on the target: `on-prem.product-price-update` with MirrorMaker's default policy. */
  mirroredAs: string;
  /** Records written to it at the source (the sum of its partitions' end offsets). */
  source: number;
  /** Records on the mirrored topic of the target; undefined until MirrorMaker has made it. */
  mirrored?: number;
  /** Records at the source not yet on the target. */
  lag: number;
}

/**
 * How far the target is behind, topic by topic: each partition's end offset at the source minus
 * the end offset of the same partition on the target (MirrorMaker 2 keeps the partition of each
 * record, and without exactly-once each record takes one offset there as at the source). After
 * a restart the duplicates that at-least-once allows make the target longer, so a partition that
 * is ahead counts as caught up, never as negative lag.
 */
export async function mirrorLag(
  sides: { source: KafkaSettings; target: KafkaSettings },
  topics: readonly { topic: string; mirroredAs: string }[],
  logger: Logger,
): Promise<TopicLag[]> {
  const source = new KafkaClient(sides.source, logger);
  const target = new KafkaClient(sides.target, logger);
  try {
    return lagOf(
      topics,
      ...(await Promise.all([
        endOffsets(
          source,
          topics.map(({ topic }) => topic),
        ),
        endOffsets(
          target,
          topics.map(({ mirroredAs }) => mirroredAs),
        ),
      ])),
    );
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}

function lagOf(
  topics: readonly { topic: string; mirroredAs: string }[],
  atSource: readonly PartitionEnd[],
  atTarget: readonly PartitionEnd[],
): TopicLag[] {
  return topics.map(({ topic, mirroredAs }) => {
    const targetEnds = new Map(
      atTarget.filter((entry) => entry.topic === mirroredAs).map(({ partition, end }) => [partition, end]),
    );
    let sourceTotal = 0;
    let lag = 0;
    for (const { partition, end } of atSource.filter((entry) => entry.topic === topic)) {
      sourceTotal += end;
      lag += Math.max(0, end - (targetEnds.get(partition) ?? 0));
    }
    const made = atTarget.some((entry) => entry.topic === mirroredAs);
    return {
      topic,
      mirroredAs,
      source: sourceTotal,
      ...(made ? { mirrored: [...targetEnds.values()].reduce((sum, end) => sum + end, 0) } : {}),
      lag,
    };
  });
}
