import type { z } from 'zod/mini';

import { shownText } from '../printable.js';

/** One broken rule: the field (dotted path, or '(event)' for the whole thing) and what it must be. */
export interface FieldIssue {
  field: string;
  rule: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export function issuesFromZod(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    // Field names come from the input too.
    const path = issue.path.map((part) => shownText(String(part)));
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, shownText(key)].join('.'), rule: 'is not a known field' }));
    }
    return [{ field: path.length > 0 ? path.join('.') : '(event)', rule: issue.message }];
  });
}

/** `price: must be ≥ 0 (got -1)`, one issue after another. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.rule}`).join('; ');
}
