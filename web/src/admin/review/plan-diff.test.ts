import { describe, expect, it } from 'vitest';
import { dayBlocks, diffPlan, hasChanges, textDiff, type DayBody, type ItemBody, type PlanBody, type TaskBody } from './plan-diff';

function item(id: string, title: string, more: Partial<ItemBody> = {}): ItemBody {
  return { id, kind: 'text', title, body: `${title} body`, body_html: '', minutes: 5, ...more };
}

function task(id: string, prompt: string, more: Partial<TaskBody> = {}): TaskBody {
  return { id, kind: 'reflect', prompt, prompt_html: '', minutes: 5, optional: false, ...more };
}

function day(number: number, title: string, items: ItemBody[] = [], tasks: TaskBody[] = []): DayBody {
  return { number, title, intro: '', intro_html: '', minutes: 0, items, tasks };
}

function plan(days: DayBody[], more: Partial<PlanBody> = {}): PlanBody {
  return {
    id: 'p1',
    slug: 'metta-week',
    title: 'Metta week',
    subtitle: 'Seven days of kindness',
    description: 'A week of loving-kindness practice for beginners.',
    description_html: '',
    language: 'en',
    level: 'beginner',
    tradition: 'theravada',
    topics: ['metta', 'kindness'],
    authors: [{ id: 'a1', name: 'Ajahn Chah', bio: '', bio_html: '', tradition: 'theravada' }],
    status: 'in_review',
    has_published: true,
    fixed_start_dates: [],
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-02T00:00:00Z',
    revision: { id: 'r2', number: 2, state: 'in_review', version: 3 },
    days,
    ...more,
  };
}

const week = () => [
  day(1, 'Beginning', [item('i1', 'On kindness'), item('i2', 'Metta sutta')], [task('t1', 'Sit for ten minutes')]),
  day(2, 'Yourself', [item('i3', 'Kindness to oneself')], [task('t2', 'Wish yourself well')]),
  day(3, 'A friend', [item('i4', 'The good friend')], [task('t3', 'Think of a friend')]),
  day(4, 'A stranger', [item('i5', 'Strangers')], []),
];

describe('textDiff', () => {
  it('marks the words inserted and removed, keeping the rest', () => {
    const segs = textDiff('A week of daily kindness practice', 'A gentle week of kindness practice');
    expect(segs.filter((s) => s.type === 'added').map((s) => s.text.trim())).toEqual(['gentle']);
    expect(segs.filter((s) => s.type === 'removed').map((s) => s.text.trim())).toEqual(['daily']);
    // Reading the same and added parts gives the new text; same and removed, the old.
    expect(segs.filter((s) => s.type !== 'removed').map((s) => s.text).join('')).toBe('A gentle week of kindness practice');
    expect(segs.filter((s) => s.type !== 'added').map((s) => s.text).join('')).toBe('A week of daily kindness practice');
  });

  it('is a single added or removed run when one side is empty', () => {
    expect(textDiff('', 'new')).toEqual([{ type: 'added', text: 'new' }]);
    expect(textDiff('old', '')).toEqual([{ type: 'removed', text: 'old' }]);
    expect(textDiff('', '')).toEqual([]);
  });
});

describe('diffPlan', () => {
  it('shows a plan never published as all new', () => {
    const diff = diffPlan(null, plan(week()));
    expect(diff.isNew).toBe(true);
    expect(diff.days.map((d) => d.status)).toEqual(['added', 'added', 'added', 'added']);
    expect(diff.days[0]!.items.map((e) => e.status)).toEqual(['added', 'added']);
    expect(diff.days[0]!.tasks.map((e) => e.status)).toEqual(['added']);
    expect(diff.meta.find((m) => m.field === 'title')).toMatchObject({ status: 'added', after: 'Metta week' });
    expect(diff.meta.find((m) => m.field === 'cover')!.status).toBe('unchanged'); // no cover on either side
    expect(diff.topics).toMatchObject({ status: 'added', added: ['metta', 'kindness'] });
    expect(diff.authors.status).toBe('added');
    expect(diff.counts.daysAdded).toBe(4);
    expect(hasChanges(diff)).toBe(true);
  });

  it('finds nothing to show between identical revisions', () => {
    const diff = diffPlan(plan(week()), plan(week()));
    expect(hasChanges(diff)).toBe(false);
    expect(diff.days.every((d) => d.status === 'unchanged')).toBe(true);
    expect(diff.meta.every((m) => m.status === 'unchanged')).toBe(true);
  });

  it('reports changed metadata with word diffs for the texts and both values for the rest', () => {
    const diff = diffPlan(
      plan(week()),
      plan(week(), {
        title: 'Metta week for everyone',
        level: 'intermediate',
        topics: ['metta', 'compassion'],
        cover_media_id: 'm9',
        authors: [{ id: 'a2', name: 'Ayya Khema', bio: '', bio_html: '', tradition: 'theravada' }],
      }),
    );
    const title = diff.meta.find((m) => m.field === 'title')!;
    expect(title.status).toBe('changed');
    expect(title.segments).toEqual([
      { type: 'same', text: 'Metta week ' },
      { type: 'added', text: 'for everyone' },
    ]);
    expect(diff.meta.find((m) => m.field === 'level')).toMatchObject({ status: 'changed', before: 'beginner', after: 'intermediate' });
    expect(diff.meta.find((m) => m.field === 'cover')).toMatchObject({ status: 'added', after: 'm9' });
    expect(diff.meta.find((m) => m.field === 'subtitle')!.status).toBe('unchanged');
    expect(diff.topics).toEqual({ status: 'changed', added: ['compassion'], removed: ['kindness'], kept: ['metta'] });
    expect(diff.authors.added).toEqual([{ id: 'a2', name: 'Ayya Khema' }]);
    expect(diff.authors.removed).toEqual([{ id: 'a1', name: 'Ajahn Chah' }]);
    expect(diff.days.every((d) => d.status === 'unchanged')).toBe(true);
  });

  it('shows a day added in the middle as added, and the days after it as renumbered but unchanged', () => {
    const days = week();
    const next = [days[0]!, day(2, 'Rest'), ...days.slice(1).map((d) => ({ ...d, number: d.number + 1 }))];
    const diff = diffPlan(plan(week()), plan(next));
    expect(diff.days.map((d) => [d.status, d.beforeNumber, d.number])).toEqual([
      ['unchanged', 1, 1],
      ['added', undefined, 2],
      ['unchanged', 2, 3],
      ['unchanged', 3, 4],
      ['unchanged', 4, 5],
    ]);
    expect(diff.days.some((d) => d.moved)).toBe(false);
  });

  it('shows a removed day where it was, with its items and tasks removed', () => {
    const days = week();
    const next = [days[0]!, ...days.slice(2).map((d) => ({ ...d, number: d.number - 1 }))];
    const diff = diffPlan(plan(week()), plan(next));
    expect(diff.days.map((d) => [d.status, d.beforeNumber, d.number])).toEqual([
      ['unchanged', 1, 1],
      ['removed', 2, undefined],
      ['unchanged', 3, 2],
      ['unchanged', 4, 3],
    ]);
    const removed = diff.days[1]!;
    expect(removed.items.map((e) => [e.id, e.status])).toEqual([['i3', 'removed']]);
    expect(removed.tasks.map((e) => [e.id, e.status])).toEqual([['t2', 'removed']]);
    expect(diff.counts).toEqual({ daysAdded: 0, daysRemoved: 1, daysChanged: 0, daysUnchanged: 3 });
  });

  it('shows days that swapped places as moved', () => {
    const days = week();
    const next = [days[0]!, { ...days[2]!, number: 2 }, { ...days[1]!, number: 3 }, days[3]!];
    const diff = diffPlan(plan(week()), plan(next));
    const moved = diff.days.filter((d) => d.moved).map((d) => [d.beforeNumber, d.number]);
    expect(moved).toHaveLength(1); // one of the two is moved past the other
    expect(diff.days.filter((d) => d.status === 'changed')).toHaveLength(1);
  });

  it('shows an item moved within its day at its new place, with where it was', () => {
    const [a, b, c] = [item('a', 'First'), item('b', 'Second'), item('c', 'Third')];
    const diff = diffPlan(plan([day(1, 'One', [a, b, c])]), plan([day(1, 'One', [c, a, b])]));
    const d1 = diff.days[0]!;
    expect(d1.status).toBe('changed');
    expect(d1.items.map((e) => [e.id, e.status])).toEqual([
      ['c', 'moved'],
      ['a', 'unchanged'],
      ['b', 'unchanged'],
    ]);
    expect(d1.items[0]!.from).toEqual({ day: 1, position: 3 });
    expect(d1.items[0]!.changes).toEqual([]);
  });

  it('shows an item moved to another day there, and as gone from its old day', () => {
    const days = week();
    const moved = days[1]!.items![0]!; // i3, from day 2
    const next = [days[0]!, { ...days[1]!, items: [] }, { ...days[2]!, items: [...days[2]!.items!, { ...moved, title: 'Kindness to yourself' }] }, days[3]!];
    const diff = diffPlan(plan(week()), plan(next));
    const [, d2, d3] = diff.days;
    expect(d2!.items).toMatchObject([{ id: 'i3', status: 'movedAway', to: { day: 3, position: 2 } }]);
    expect(d3!.items.map((e) => [e.id, e.status])).toEqual([
      ['i4', 'unchanged'],
      ['i3', 'moved'],
    ]);
    const arrived = d3!.items[1]!;
    expect(arrived.from).toEqual({ day: 2, position: 1 });
    // It also changed on the way: the title's word diff comes with it.
    expect(arrived.changes.map((c) => c.field)).toEqual(['title']);
    expect(arrived.changes[0]!.segments).toContainEqual({ type: 'added', text: 'yourself' });
    // Day 2 still matched (its task stayed), so it is changed, not removed.
    expect(d2!.status).toBe('changed');
    expect(d2!.beforeNumber).toBe(2);
  });

  it('shows a changed item with the diff of each changed field', () => {
    const days = week();
    const next = [
      { ...days[0]!, items: [{ ...days[0]!.items![0]!, body: 'On kindness, told anew', minutes: 8, kind: 'audio' as const, media_id: 'm1' }, days[0]!.items![1]!] },
      ...days.slice(1),
    ];
    const diff = diffPlan(plan(week()), plan(next));
    const changed = diff.days[0]!.items[0]!;
    expect(changed.status).toBe('changed');
    expect(changed.changes.map((c) => c.field)).toEqual(['kind', 'body', 'media_id', 'minutes']);
    expect(changed.changes.find((c) => c.field === 'minutes')).toMatchObject({ kind: 'value', before: '5', after: '8' });
    expect(changed.changes.find((c) => c.field === 'body')!.kind).toBe('text');
  });

  it('shows a removed task as removed and an added one as added in the same day', () => {
    const days = week();
    const next = [{ ...days[0]!, tasks: [task('t9', 'Walk slowly')] }, ...days.slice(1)];
    const diff = diffPlan(plan(week()), plan(next));
    expect(diff.days[0]!.tasks.map((e) => [e.id, e.status])).toEqual([
      ['t1', 'removed'],
      ['t9', 'added'],
    ]);
    expect(diff.days[0]!.status).toBe('changed');
  });

  it('reports a changed day title and intro with word diffs', () => {
    const days = week();
    const next = [{ ...days[0]!, title: 'The beginning', intro: 'Welcome.' }, ...days.slice(1)];
    const diff = diffPlan(plan(week()), plan(next));
    expect(diff.days[0]!.changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['title', 'Beginning', 'The beginning'],
      ['intro', '', 'Welcome.'],
    ]);
  });

  it('matches days with neither items nor tasks by title, then by number', () => {
    const old = [day(1, 'Arriving'), day(2, 'Settling'), day(3, 'Resting')];
    const next = [day(1, 'Settling'), day(2, 'Arriving'), day(3, 'Rest well')];
    const diff = diffPlan(plan(old), plan(next));
    expect(diff.days.map((d) => [d.beforeNumber, d.number])).toEqual([
      [2, 1],
      [1, 2],
      [3, 3],
    ]);
    // Of two days that swapped, one moved past the other; the third was retitled.
    const moved = diff.days.filter((d) => d.moved);
    expect(moved).toHaveLength(1);
    expect(moved[0]!.status).toBe('changed');
    expect(diff.days[2]!.status).toBe('changed');
    expect(diff.days[2]!.changes.map((c) => [c.before, c.after])).toEqual([['Resting', 'Rest well']]);
  });
});

describe('dayBlocks', () => {
  it('collapses each run of unchanged days into one block when only changes are shown', () => {
    const days = week();
    const next = [days[0]!, days[1]!, { ...days[2]!, title: 'A good friend' }, days[3]!];
    const diff = diffPlan(plan(week()), plan(next));
    const blocks = dayBlocks(diff.days, true);
    expect(blocks.map((b) => (b.kind === 'day' ? `day ${b.day.number}` : `same ${b.days.map((d) => d.number).join(',')}`))).toEqual([
      'same 1,2',
      'day 3',
      'same 4',
    ]);
    expect(dayBlocks(diff.days, false)).toHaveLength(4);
  });
});
