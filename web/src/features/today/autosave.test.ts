import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosave, type AutosaveStatus } from './autosave';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2025-03-09T06:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

// A journal whose saves the test answers one by one.
function journal() {
  const saves: { body: string; at: Date; leaving: boolean; resolve(): void; reject(): void }[] = [];
  const statuses: AutosaveStatus[] = [];
  const autosave = createAutosave({
    save: (body, at, leaving) =>
      new Promise<void>((resolve, reject) => saves.push({ body, at, leaving, resolve, reject: () => reject(new Error('offline')) })),
    onStatus: (s) => statuses.push(s),
  });
  return { autosave, saves, statuses, status: () => statuses.at(-1) };
}

describe('createAutosave', () => {
  it('saves once typing pauses, not at every keystroke', async () => {
    const j = journal();
    for (const text of ['M', 'Ma', 'May', 'May I']) {
      j.autosave.edit(text);
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(j.saves).toHaveLength(0);
    expect(j.status()).toBe('unsaved');
    await vi.advanceTimersByTimeAsync(1500);
    expect(j.saves.map((s) => s.body)).toEqual(['May I']);
    expect(j.status()).toBe('saving');
    j.saves[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(j.status()).toBe('saved');
  });

  it('dates a save by when the words were written, so the server keeps the newest', async () => {
    const j = journal();
    j.autosave.edit('written at six');
    await vi.advanceTimersByTimeAsync(1500);
    expect(j.saves[0]!.at.toISOString()).toBe('2025-03-09T06:00:00.000Z');
  });

  it('saves the last words at once when the page is left', async () => {
    const j = journal();
    j.autosave.edit('before leaving');
    void j.autosave.flush(true);
    expect(j.saves).toEqual([expect.objectContaining({ body: 'before leaving', leaving: true })]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(j.saves).toHaveLength(1); // the pending timer does not save it twice
  });

  it('says when a save failed, and tries again', async () => {
    const j = journal();
    j.autosave.edit('on a train');
    await vi.advanceTimersByTimeAsync(1500);
    j.saves[0]!.reject();
    await vi.advanceTimersByTimeAsync(0);
    expect(j.status()).toBe('failed');
    await vi.advanceTimersByTimeAsync(5000);
    expect(j.saves).toHaveLength(2);
    j.saves[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(j.status()).toBe('saved');
  });

  it('does not call words saved while newer ones are still unsaved', async () => {
    const j = journal();
    j.autosave.edit('first thought');
    await vi.advanceTimersByTimeAsync(1500);
    j.autosave.edit('first thought, and a second');
    j.saves[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(j.status()).toBe('unsaved');
    await vi.advanceTimersByTimeAsync(1500);
    expect(j.saves.map((s) => s.body)).toEqual(['first thought', 'first thought, and a second']);
  });

  it('has nothing to send when nothing changed', async () => {
    const j = journal();
    await j.autosave.flush(true);
    expect(j.saves).toHaveLength(0);
  });
});
