/** Clock is the source of time for everything that schedules or stamps; tests inject a fake one. */
export interface Clock {
  /** now returns the current time in milliseconds since the epoch. */
  now(): number;
  /** setTimeout runs fn after ms; the returned function cancels it. */
  setTimeout(fn: () => void, ms: number): () => void;
}

/** realClock is the wall clock backed by Node's timers (unref'd, so they never keep the process alive). */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

/** FakeClock is a manually advanced clock for tests. */
export class FakeClock implements Clock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  constructor(private current = 1_700_000_000_000) {}
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.current + ms, fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }
  /** advance moves time forward by ms, firing due timers in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = next.at;
      next.fn();
    }
    this.current = target;
  }
}
