import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem';
import { classify, createSaveQueue, DiscardedError, fieldOf, type Write } from './save-queue';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2025-03-09T06:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

interface Plan {
  version: number;
}

type Target = { thing: string };
type Op = { type: string };

interface Sent {
  write: Write<Target, Op>;
  version: number | null;
  ok(version: number): void;
  fail(error: unknown): void;
}

// A plan on a server the test answers write by write.
function studio(options: { online?: () => boolean } = {}) {
  const sent: Sent[] = [];
  const saved: Write<Target, Op>[] = [];
  const queue = createSaveQueue<Target, Op, Plan>({
    version: 1,
    send: (write, version) =>
      new Promise<Plan>((resolve, reject) =>
        sent.push({ write, version, ok: (v) => resolve({ version: v }), fail: reject }),
      ),
    versionOf: (p) => p.version,
    onSaved: (write) => saved.push(write),
    isOnline: options.online,
  });
  const fieldsSent = () => sent.map((s) => (s.write.kind === 'edit' ? s.write.fields : s.write.op));
  return { queue, sent, saved, fieldsSent, status: () => queue.getState().status };
}

const problem = (status: number, errors: { location: string; message: string }[] = [], detail = 'no') =>
  new ApiError(status, { status, title: 'x', type: 'about:blank', detail, errors });

const offline = () => new TypeError('Failed to fetch');

describe('save queue', () => {
  it('waits for typing to pause, then sends one write', async () => {
    const s = studio();
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'M' });
    await vi.advanceTimersByTimeAsync(500);
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'Metta' });
    await vi.advanceTimersByTimeAsync(500);
    expect(s.sent).toHaveLength(0);
    expect(s.status()).toBe('waiting');
    await vi.advanceTimersByTimeAsync(300);
    expect(s.fieldsSent()).toEqual([{ title: 'Metta' }]);
    expect(s.status()).toBe('saving');
    s.sent[0]!.ok(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.status()).toBe('saved');
    expect(s.queue.hasUnsaved()).toBe(false);
  });

  it('merges repeated edits of the same thing, the later value of a field winning', async () => {
    const s = studio();
    s.queue.edit('item:a', { thing: 'a' }, { title: 'One', body: 'x' });
    s.queue.edit('item:b', { thing: 'b' }, { title: 'Other' });
    s.queue.edit('item:a', { thing: 'a' }, { body: 'y' });
    expect(s.queue.unsaved('item:a')).toEqual({ title: 'One', body: 'y' });
    s.queue.flush();
    expect(s.fieldsSent()).toEqual([{ title: 'One', body: 'y' }]);
    s.sent[0]!.ok(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.fieldsSent()).toEqual([{ title: 'One', body: 'y' }, { title: 'Other' }]);
  });

  it('does not merge into a write already sent: the change goes out next, with the newer version', async () => {
    const s = studio();
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'A' });
    s.queue.flush();
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'AB' });
    expect(s.queue.unsaved('plan.title')).toEqual({ title: 'AB' });
    s.queue.flush(); // one write at a time: nothing more goes out yet
    expect(s.sent).toHaveLength(1);
    s.sent[0]!.ok(7);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.sent.map((x) => [x.write.kind === 'edit' && x.write.fields.title, x.version])).toEqual([
      ['A', 1],
      ['AB', 7],
    ]);
  });

  it('keeps the order of edits and operations, and carries each answer’s version to the next write', async () => {
    const s = studio();
    s.queue.edit('day:k1.title', { thing: 'k1' }, { title: 'Arriving' });
    const added = s.queue.run({ type: 'addItem' });
    s.queue.edit('day:k1.intro', { thing: 'k1' }, { intro: 'Sit.' });
    // The operation sends what came before it at once, without waiting for a pause.
    expect(s.sent).toHaveLength(1);
    s.sent[0]!.ok(4);
    await vi.advanceTimersByTimeAsync(0);
    s.sent[1]!.ok(5);
    await expect(added).resolves.toEqual({ version: 5 });
    s.sent[2]!.ok(6);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.fieldsSent()).toEqual([{ title: 'Arriving' }, { type: 'addItem' }, { intro: 'Sit.' }]);
    expect(s.sent.map((x) => x.version)).toEqual([1, 4, 5]);
    expect(s.saved).toHaveLength(3);
    expect(s.queue.getState()).toMatchObject({ status: 'saved', version: 6, unsaved: 0 });
  });

  it('tries again after growing pauses when there is no answer, keeping later edits queued', async () => {
    const s = studio();
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'Metta' });
    s.queue.flush();
    s.sent[0]!.fail(offline());
    await vi.advanceTimersByTimeAsync(0);
    expect(s.queue.getState()).toMatchObject({ status: 'retrying', attempt: 1, retryAt: Date.now() + 1000 });
    s.queue.edit('plan.subtitle', { thing: 'plan' }, { subtitle: 'Kindness' });
    s.queue.flush(); // waiting for the retry: no second request meanwhile
    await vi.advanceTimersByTimeAsync(999);
    expect(s.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.sent).toHaveLength(2);
    s.sent[1]!.fail(problem(503));
    await vi.advanceTimersByTimeAsync(1999);
    expect(s.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.sent).toHaveLength(3);
    expect(s.sent[2]!.write).toEqual(s.sent[0]!.write);
    s.sent[2]!.ok(2);
    await vi.advanceTimersByTimeAsync(0);
    s.sent[3]!.ok(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.fieldsSent().slice(2)).toEqual([{ title: 'Metta' }, { subtitle: 'Kindness' }]);
    expect(s.queue.getState()).toMatchObject({ status: 'saved', attempt: 0, version: 3 });
  });

  it('says it is offline while the browser is, and tries at once when it is back', async () => {
    let online = false;
    const s = studio({ online: () => online });
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'Metta' });
    s.queue.flush();
    s.sent[0]!.fail(offline());
    await vi.advanceTimersByTimeAsync(0);
    expect(s.status()).toBe('offline');
    expect(s.queue.hasUnsaved()).toBe(true);
    online = true;
    s.queue.online();
    expect(s.sent).toHaveLength(2);
    expect(s.status()).toBe('saving');
  });

  it('stops at a 409 and hands back every unsent write, the refused one first', async () => {
    const s = studio();
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'Mine' });
    s.queue.flush();
    s.queue.edit('item:a', { thing: 'a' }, { body: 'more' });
    const reorder = s.queue.run({ type: 'reorder' });
    s.sent[0]!.fail(problem(409));
    await vi.advanceTimersByTimeAsync(5000);
    expect(s.sent).toHaveLength(1);
    expect(s.status()).toBe('conflict');
    expect(s.queue.writes()).toEqual([
      { kind: 'edit', key: 'plan.title', target: { thing: 'plan' }, fields: { title: 'Mine' } },
      { kind: 'edit', key: 'item:a', target: { thing: 'a' }, fields: { body: 'more' } },
      { kind: 'op', op: { type: 'reorder' } },
    ]);
    // Overwrite: the same writes again, from the version the person chose.
    s.queue.resume(9);
    s.sent[1]!.ok(10);
    await vi.advanceTimersByTimeAsync(0);
    s.sent[2]!.ok(11);
    await vi.advanceTimersByTimeAsync(0);
    s.sent[3]!.ok(12);
    await expect(reorder).resolves.toEqual({ version: 12 });
    expect(s.sent.slice(1).map((x) => x.version)).toEqual([9, 10, 11]);
  });

  it('overwrites without If-Match when resumed with null', async () => {
    const s = studio();
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'Mine' });
    s.queue.flush();
    s.sent[0]!.fail(problem(409));
    await vi.advanceTimersByTimeAsync(0);
    s.queue.resume(null);
    expect(s.sent[1]!.version).toBeNull();
  });

  it('drops everything when the person reloads their version, rejecting waiting operations', async () => {
    const s = studio();
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'Mine' });
    const op = s.queue.run({ type: 'addDay' });
    s.sent[0]!.fail(problem(409));
    await vi.advanceTimersByTimeAsync(0);
    s.queue.discard(20);
    await expect(op).rejects.toBeInstanceOf(DiscardedError);
    expect(s.queue.getState()).toMatchObject({ status: 'saved', version: 20, unsaved: 0 });
    expect(s.queue.unsaved('plan.title')).toBeUndefined();
  });

  it('sets a refused edit aside with its field errors, and sends it again merged once changed', async () => {
    const s = studio();
    s.queue.edit('item:a', { thing: 'a' }, { kind: 'link', title: 'Sutta' });
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'Fine' });
    s.queue.flush();
    s.sent[0]!.fail(problem(422, [{ location: 'body.url', message: 'a link item needs a url' }]));
    await vi.advanceTimersByTimeAsync(0);
    // The refused edit does not hold back the others.
    expect(s.sent).toHaveLength(2);
    s.sent[1]!.ok(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.sent).toHaveLength(2); // not tried again on its own
    expect(s.queue.getState()).toMatchObject({ status: 'invalid', invalid: 1, unsaved: 1 });
    expect(s.queue.errors('item:a')).toEqual({ url: 'A link item needs a url.' });
    expect(s.queue.unsaved('item:a')).toEqual({ kind: 'link', title: 'Sutta' });
    expect(s.queue.hasUnsaved()).toBe(true);

    s.queue.edit('item:a', { thing: 'a' }, { url: 'https://suttacentral.net/dhp1-20' });
    expect(s.queue.errors('item:a')).toBeUndefined();
    s.queue.flush();
    expect(s.fieldsSent()[2]).toEqual({ kind: 'link', title: 'Sutta', url: 'https://suttacentral.net/dhp1-20' });
    s.sent[2]!.ok(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.status()).toBe('saved');
  });

  it('sends a refused edit again with a change made while it was on its way', async () => {
    const s = studio();
    s.queue.edit('task:t', { thing: 't' }, { prompt: '' });
    s.queue.flush();
    s.queue.edit('task:t', { thing: 't' }, { minutes: 5 });
    s.sent[0]!.fail(problem(422, [{ location: 'body.prompt', message: 'a reflect task needs a prompt' }]));
    await vi.advanceTimersByTimeAsync(0);
    expect(s.queue.errors('task:t')).toBeUndefined();
    expect(s.fieldsSent()[1]).toEqual({ prompt: '', minutes: 5 });
  });

  it('rejects an operation the server refused, and carries on with the rest', async () => {
    const s = studio();
    const bad = s.queue.run({ type: 'addDay' });
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'Next' });
    const error = problem(422, [{ location: 'body.title', message: 'title must not be empty' }]);
    s.sent[0]!.fail(error);
    await expect(bad).rejects.toBe(error);
    await vi.advanceTimersByTimeAsync(800);
    expect(s.fieldsSent()[1]).toEqual({ title: 'Next' });
  });

  it('stops on another refusal, and tries again when asked', async () => {
    const s = studio();
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'Mine' });
    s.queue.flush();
    s.sent[0]!.fail(problem(403));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.sent).toHaveLength(1);
    expect(s.status()).toBe('failed');
    s.queue.resume();
    expect(s.sent).toHaveLength(2);
    expect(s.sent[1]!.version).toBe(1);
  });

  it('forgets waiting edits of a removed thing', () => {
    const s = studio();
    s.queue.edit('item:a', { thing: 'a' }, { title: 'Gone soon' });
    s.queue.edit('item:b', { thing: 'b' }, { title: 'Stays' });
    s.queue.forget((e) => e.key === 'item:a');
    expect(s.queue.unsaved('item:a')).toBeUndefined();
    expect(s.queue.getState().unsaved).toBe(1);
  });

  it('adopts a version loaded afresh only when nothing is unsaved', () => {
    const s = studio();
    expect(s.queue.adopt(5)).toBe(true);
    expect(s.queue.getState().version).toBe(5);
    s.queue.edit('plan.title', { thing: 'plan' }, { title: 'Mine' });
    expect(s.queue.adopt(8)).toBe(false);
    expect(s.queue.getState().version).toBe(5);
  });
});

describe('classify', () => {
  it('reads failures by status', () => {
    expect(classify(offline())).toEqual({ type: 'retry' });
    expect(classify(problem(502))).toEqual({ type: 'retry' });
    expect(classify(problem(409))).toEqual({ type: 'conflict' });
    expect(classify(problem(404))).toEqual({ type: 'conflict' });
    expect(classify(problem(403))).toEqual({ type: 'fail' });
    expect(
      classify(
        problem(422, [
          { location: 'body.author_ids[1]', message: 'there is no author x' },
          { location: 'body.title', message: 'title must not be empty' },
          { location: 'body.author_ids[2]', message: 'author y is named twice' },
        ]),
      ),
    ).toEqual({
      type: 'invalid',
      message: 'no',
      fields: { author_ids: 'There is no author x.', title: 'Title must not be empty.' },
    });
  });

  it('names the field of a location', () => {
    expect(fieldOf('body.title')).toBe('title');
    expect(fieldOf('body.fixed_start_dates[0]')).toBe('fixed_start_dates');
    expect(fieldOf('body')).toBe('_');
    expect(fieldOf(undefined)).toBe('_');
  });
});
