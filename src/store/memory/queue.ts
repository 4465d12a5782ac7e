/**
 * FIFO of (rollout id, position) entries. Positions grow with every push; an entry is current only while
 * the rollout is queued with that same position, so stale entries are skipped, never claimed.
 */
export class Queue {
  private entries: { id: string; pos: number }[] = [];
  private head = 0;
  private nextPos = 1;

  /** Appends a rollout at the tail and returns its position. */
  push(id: string): number {
    const pos = this.nextPos++;
    this.entries.push({ id, pos });
    return pos;
  }

  /** The head entry, or null when empty. */
  peek(): { id: string; pos: number } | null {
    return this.entries[this.head] ?? null;
  }

  /** Drops the head entry; compacts storage once half of it is consumed. */
  shift(): void {
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
