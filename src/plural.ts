/** `1 event`, `2 events`, `0 events`: a count with its noun, as a person writes it. */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
