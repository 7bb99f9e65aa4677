import { remoteSiteOf } from '../events/topics.js';

/**
 * MirrorMaker 2's heartbeats (KIP-382): every `emit.heartbeats.interval.seconds` its heartbeat
 * connector writes to the target cluster's `heartbeats` topic a record whose key names the two
 * clusters and whose value says when it was emitted. Both are Kafka Connect structs in
 * MirrorMaker's own binary form (connect-mirror-client's Heartbeat): the key two strings
 * (sourceClusterAlias, targetClusterAlias), each an INT16 length and UTF-8 bytes; the value an
 * INT16 version, then the INT64 timestamp in milliseconds since the epoch.
 */
const HEARTBEATS_TOPIC = 'heartbeats';

/**
 * For a topic of heartbeats: null for this cluster's own, the site for a copy of another site's
 * (`on-prem.heartbeats`, named by the default replication policy), undefined for any other topic.
 */
export function heartbeatsSiteOf(topic: string): string | null | undefined {
  return topic === HEARTBEATS_TOPIC ? null : remoteSiteOf(topic, HEARTBEATS_TOPIC);
}

export interface Heartbeat {
  sourceSite: string;
  targetSite: string;
  /** When MirrorMaker emitted it, milliseconds since the epoch. */
  emittedAt: number;
}

/** A heartbeat, or undefined for a record that is not one (another writer, another version). */
export function decodeHeartbeat(key: Buffer | null, value: Buffer | null): Heartbeat | undefined {
  if (!key || !value || value.length < 10) return undefined;
  const source = readString(key, 0);
  const target = source && readString(key, source.next);
  if (!source || !target || target.next !== key.length) return undefined;
  if (value.readInt16BE(0) !== 0) return undefined;
  const emittedAt = Number(value.readBigInt64BE(2));
  return { sourceSite: source.text, targetSite: target.text, emittedAt };
}

function readString(buffer: Buffer, at: number): { text: string; next: number } | undefined {
  if (at + 2 > buffer.length) return undefined;
  const length = buffer.readInt16BE(at);
  if (length < 0 || at + 2 + length > buffer.length) return undefined;
  return { text: buffer.toString('utf8', at + 2, at + 2 + length), next: at + 2 + length };
}
