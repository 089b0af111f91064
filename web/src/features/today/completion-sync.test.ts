import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema';
import { CompletionSync, withAnswer, type Target } from './completion-sync';

const reading: Target = { kind: 'item', id: 'reading' };
const sitting: Target = { kind: 'task', id: 'sitting' };

// A page with checkboxes: what the server confirmed so far, and what shows.
function page() {
  const sync = new CompletionSync();
  const confirmed = new Map<string, boolean>();
  return {
    sync,
    shows: (t: Target) => sync.shown(t, confirmed.get(t.id) ?? false),
    click: (t: Target, done: boolean) => sync.click(t, done),
    answer(t: Target, click: number, done: boolean) {
      if (sync.succeeded(t, click)) confirmed.set(t.id, done);
    },
    fail: (t: Target, click: number) => sync.failed(t, click),
  };
}

describe('CompletionSync', () => {
  it('shows a tick at once, before the server answers, and keeps it when it agrees', () => {
    const p = page();
    const click = p.click(reading, true);
    expect(p.shows(reading)).toBe(true);
    expect(p.sync.busy).toBe(true);
    p.answer(reading, click, true);
    expect(p.shows(reading)).toBe(true);
    expect(p.sync.busy).toBe(false);
  });

  it('rolls a tick back when its request fails, and says so', () => {
    const p = page();
    const click = p.click(reading, true);
    expect(p.fail(reading, click)).toBe(true);
    expect(p.shows(reading)).toBe(false);
  });

  it('rolls back to what the server last confirmed, not to how the page loaded', () => {
    const p = page();
    p.answer(reading, p.click(reading, true), true);
    const undo = p.click(reading, false);
    expect(p.shows(reading)).toBe(false);
    expect(p.fail(reading, undo)).toBe(true);
    expect(p.shows(reading)).toBe(true);
  });

  it('never lets a late answer undo a newer click', () => {
    const p = page();
    const tick = p.click(reading, true);
    const untick = p.click(reading, false);
    p.answer(reading, untick, false); // the second request overtook the first
    p.answer(reading, tick, true);
    expect(p.shows(reading)).toBe(false);
  });

  it('keeps showing the newest click while an older answer comes back', () => {
    const p = page();
    const tick = p.click(reading, true);
    const untick = p.click(reading, false);
    p.answer(reading, tick, true);
    expect(p.shows(reading)).toBe(false);
    // The newer click fails: back to the state the server did confirm.
    expect(p.fail(reading, untick)).toBe(true);
    expect(p.shows(reading)).toBe(true);
  });

  it('does not roll back when an older click fails after the person clicked again', () => {
    const p = page();
    const tick = p.click(reading, true);
    const untick = p.click(reading, false);
    const tickAgain = p.click(reading, true);
    expect(p.fail(reading, tick)).toBe(false);
    expect(p.fail(reading, untick)).toBe(false);
    expect(p.shows(reading)).toBe(true);
    p.answer(reading, tickAgain, true);
    expect(p.shows(reading)).toBe(true);
  });

  it('keeps each checkbox to itself', () => {
    const p = page();
    const a = p.click(reading, true);
    p.click(sitting, true);
    p.fail(reading, a);
    expect(p.shows(reading)).toBe(false);
    expect(p.shows(sitting)).toBe(true);
  });

  it('tells its subscribers when what shows changes', () => {
    const sync = new CompletionSync();
    let calls = 0;
    const unsubscribe = sync.subscribe(() => calls++);
    const before = sync.snapshot();
    sync.succeeded(reading, sync.click(reading, true));
    expect(calls).toBe(2);
    expect(sync.snapshot()).not.toBe(before);
    unsubscribe();
    sync.click(reading, false);
    expect(calls).toBe(2);
  });
});

type Day = components['schemas']['EnrolledDayBody'];

describe('withAnswer', () => {
  const day = {
    finished: false,
    has_journal: false,
    enrollment: { status: 'active', progress: { days_done: 2 } },
    day: {
      number: 3,
      items: [
        { id: 'reading', done: false },
        { id: 'chant', done: false },
      ],
      tasks: [{ id: 'reading', done: false }],
    },
  } as unknown as Day;

  it('writes the server’s answer into the day: the tick, the day finished, the days done', () => {
    const next = withAnswer(day, reading, {
      done: true,
      done_at: '2025-03-09T06:30:00Z',
      done_on: '2025-03-09',
      day_finished: true,
      days_done: 3,
      enrollment_status: 'active',
    });
    expect(next.day.items?.[0]).toMatchObject({ done: true, done_on: '2025-03-09' });
    expect(next.day.items?.[1]?.done).toBe(false);
    expect(next.day.tasks?.[0]?.done).toBe(false); // a task with the same id is another thing
    expect(next.finished).toBe(true);
    expect(next.enrollment.progress.days_done).toBe(3);
    expect(day.day.items?.[0]?.done).toBe(false); // the cached day is not changed in place
  });
});
