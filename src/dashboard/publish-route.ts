import type { IncomingMessage } from 'node:http';

import { isPixError } from '../errors.js';
import type { EventDefaults } from '../events/create.js';
import { parseInputLine } from '../events/input.js';
import type { PixEvent } from '../events/schema.js';
import type { Delivery } from '../kafka/index.js';

/** The largest body POST /publish-event reads. */
export const MAX_BODY_BYTES = 64 * 1024;

type PublishOutcome = 'published' | 'invalid' | 'unknown_type' | 'too_large' | 'unavailable';

interface PublishReply {
  status: number;
  result: PublishOutcome;
  body: object;
}

/** Fields whose failure means the request named no event type pix knows: 400, not 422. */
const TYPE_FIELDS = new Set(['event_type', 'type', '(line)']);

/**
 * POST /publish-event: the original system's body `{"event_type": …, "data": {…}}` or pix's own
 * event JSON, validated by the event model, then published. The reply says where it landed or,
 * field by field, why not.
 */
export async function handlePublish(
  request: IncomingMessage,
  defaults: EventDefaults,
  publish: (event: PixEvent) => Promise<Delivery>,
): Promise<PublishReply> {
  const body = await readBody(request);
  if (body === undefined) {
    return {
      status: 413,
      result: 'too_large',
      body: { error: `the body is over ${MAX_BODY_BYTES} bytes` },
    };
  }
  const parsed = parseInputLine(body, defaults);
  if (!parsed.ok) {
    const unknownType = parsed.issues.some((issue) => TYPE_FIELDS.has(issue.field));
    // A body that is not an event at all (no JSON, an array) is said as that, not as a wrong type.
    const error = parsed.issues.some((issue) => issue.field === '(line)')
      ? 'the body is not an event'
      : 'unknown event type';
    return unknownType
      ? { status: 400, result: 'unknown_type', body: { error, issues: parsed.issues } }
      : { status: 422, result: 'invalid', body: { error: 'invalid event', issues: parsed.issues } };
  }
  try {
    const delivery = await publish(parsed.item.event);
    return {
      status: 200,
      result: 'published',
      body: {
        topic: delivery.topic,
        partition: delivery.partition,
        offset: Number(delivery.offset),
        event: delivery.event,
      },
    };
  } catch (error) {
    if (!isPixError(error)) throw error;
    return {
      status: 503,
      result: 'unavailable',
      body: { error: error.message, ...(error.hint ? { hint: error.hint } : {}) },
    };
  }
}

/**
 * The body as text, or undefined as soon as it passes MAX_BODY_BYTES: the rest is read and
 * dropped, so the 413 can be answered without keeping what a client may send for ever.
 */
function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      request.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.resume();
      resolve(undefined);
    };
    request.on('data', onData);
    request.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : undefined));
    request.on('error', reject);
  });
}
