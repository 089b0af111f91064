// Ticks that show at once and agree with the server in the end.
//
// A tick shows as soon as it is clicked, while its request is on its way.
// Requests can be answered out of order (a slow network, a retry), so each
// click gets a number, and an answer counts only if no later click of the
// same checkbox has been answered already: a late answer never undoes a
// newer click. A failed request rolls the checkbox back to what the server
// last confirmed, unless the person has clicked it again since.
import type { components } from '../../api/schema';

type Day = components['schemas']['EnrolledDayBody'];
type Answer = components['schemas']['CompletionBody'];

/** An item or a task of a day: what can be ticked. */
export interface Target {
  kind: 'item' | 'task';
  id: string;
}

function keyOf(target: Target): string {
  return `${target.kind}:${target.id}`;
}

/** The clicks of one page, with their requests in flight. */
export class CompletionSync {
  private clicks = 0;
  // The latest click of each checkbox whose answer has not come back.
  private readonly pending = new Map<string, { click: number; done: boolean }>();
  // The latest click of each checkbox whose answer was applied.
  private readonly answered = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  /** For useSyncExternalStore: called whenever what shows changes. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** For useSyncExternalStore: changes whenever what shows changes. */
  readonly snapshot = (): number => this.version;

  /** What the checkbox shows: the latest click while it is on its way, else what the server confirmed. */
  shown(target: Target, confirmed: boolean): boolean {
    return this.pending.get(keyOf(target))?.done ?? confirmed;
  }

  /** Whether any request is still on its way. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Records a click; returns its number, for succeeded or failed. */
  click(target: Target, done: boolean): number {
    const click = ++this.clicks;
    this.pending.set(keyOf(target), { click, done });
    this.changed();
    return click;
  }

  /**
   * The request of a click succeeded. Returns whether its answer is the
   * newest the server gave for this checkbox, to be kept as the confirmed
   * state; false when a later click was answered first.
   */
  succeeded(target: Target, click: number): boolean {
    const key = keyOf(target);
    if ((this.answered.get(key) ?? 0) > click) return false;
    this.answered.set(key, click);
    this.settle(key, click);
    return true;
  }

  /**
   * The request of a click failed. Returns whether the checkbox rolls back,
   * which is when this was the person's latest click of it: someone who
   * clicked again since sees their newer click.
   */
  failed(target: Target, click: number): boolean {
    return this.settle(keyOf(target), click);
  }

  private settle(key: string, click: number): boolean {
    if (this.pending.get(key)?.click !== click) return false;
    this.pending.delete(key);
    this.changed();
    return true;
  }

  private changed() {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}

/** The day with the server's answer about one of its items or tasks written in. */
export function withAnswer(day: Day, target: Target, answer: Answer): Day {
  const state = { done: answer.done, done_at: answer.done_at, done_on: answer.done_on };
  const mark = <T extends { id: string }>(list: T[] | null, kind: Target['kind']) =>
    kind === target.kind ? (list ?? []).map((x) => (x.id === target.id ? { ...x, ...state } : x)) : list;
  return {
    ...day,
    finished: answer.day_finished,
    enrollment: {
      ...day.enrollment,
      status: answer.enrollment_status,
      progress: { ...day.enrollment.progress, days_done: answer.days_done },
    },
    day: { ...day.day, items: mark(day.day.items, 'item'), tasks: mark(day.day.tasks, 'task') },
  };
}
