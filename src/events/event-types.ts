/**
 * The three types of event, apart from their schemas: the dashboard page and other light modules
 * name them without bringing zod along.
 */
export const EVENT_TYPES = ['price', 'discount', 'country'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
