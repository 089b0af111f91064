// What changed in a plan between its published revision and the revision
// in review, for the reviewer: metadata field by field, days added,
// removed, changed or moved, and within each day its items and tasks.
//
// Items and tasks keep their ids across revisions (the server copies them
// into a new revision), so they are matched by id, also when they moved
// to another day. Days have no ids: a day is the same day when it holds
// the same items or tasks, else when it has the same title, else when it
// has the same number.
import { diffArrays, diffWords } from 'diff';
import type { components } from '../../api/schema';

export type PlanBody = components['schemas']['StudioPlanBody'];
export type DayBody = components['schemas']['DayBody'];
export type ItemBody = components['schemas']['ItemBody'];
export type TaskBody = components['schemas']['TaskBody'];

/** A run of text that both sides have, or that only the new or only the old one has. */
export interface Segment {
  type: 'same' | 'added' | 'removed';
  text: string;
}

/**
 * The word-level difference between two texts. Texts too different to
 * compare quickly are shown as all removed and all added.
 */
export function textDiff(before: string, after: string): Segment[] {
  if (before === after) return before ? [{ type: 'same', text: before }] : [];
  if (!before) return [{ type: 'added', text: after }];
  if (!after) return [{ type: 'removed', text: before }];
  const changes = diffWords(before, after, { timeout: 400 });
  if (!changes) {
    return [
      { type: 'removed', text: before },
      { type: 'added', text: after },
    ];
  }
  return changes
    .filter((c) => c.value !== '')
    .map((c) => ({ type: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
}

/** How a field of an item, a task or a day changed. */
export interface FieldChange {
  field: string;
  /** Text fields have a word diff; values (kind, minutes, a media id) are shown before and after. */
  kind: 'text' | 'value';
  before: string;
  after: string;
  segments?: Segment[];
}

type FieldSpec<T> = readonly (readonly [field: keyof T & string, kind: 'text' | 'value'])[];

const itemFields: FieldSpec<ItemBody> = [
  ['kind', 'value'],
  ['title', 'text'],
  ['body', 'text'],
  ['media_id', 'value'],
  ['url', 'value'],
  ['citation', 'text'],
  ['segment_start', 'value'],
  ['segment_end', 'value'],
  ['minutes', 'value'],
  ['root_language', 'value'],
  ['root_text', 'text'],
];

const taskFields: FieldSpec<TaskBody> = [
  ['kind', 'value'],
  ['prompt', 'text'],
  ['minutes', 'value'],
  ['optional', 'value'],
];

function asText(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function fieldChanges<T extends object>(spec: FieldSpec<T>, before: T | undefined, after: T | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [field, kind] of spec) {
    const b = asText(before?.[field]);
    const a = asText(after?.[field]);
    if (b === a) continue;
    out.push(kind === 'text' ? { field, kind, before: b, after: a, segments: textDiff(b, a) } : { field, kind, before: b, after: a });
  }
  return out;
}

/** Where an item or a task is: its day's number and its place in the day (from 1). */
export interface Place {
  day: number;
  position: number;
}

export type EntryStatus = 'added' | 'removed' | 'changed' | 'moved' | 'movedAway' | 'unchanged';

/**
 * An item or a task in the diff of a day:
 * - added, removed: only in the new, only in the old revision;
 * - moved: it was elsewhere in this day or in another day (from), and may
 *   have changed too (changes);
 * - movedAway: it left this day for another one (to), where it is shown;
 * - changed: same place, different content;
 * - unchanged.
 */
export interface EntryDiff<T> {
  id: string;
  status: EntryStatus;
  before?: T;
  after?: T;
  from?: Place;
  to?: Place;
  changes: FieldChange[];
}

export type DayStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface DayDiff {
  status: DayStatus;
  /** The day's number in the new revision (absent for a removed day). */
  number?: number;
  /** Its number in the published revision (absent for an added day). */
  beforeNumber?: number;
  /** It changed places with other days (not merely renumbered because days were added or removed before it). */
  moved: boolean;
  before?: DayBody;
  after?: DayBody;
  /** Title and intro, when they changed. */
  changes: FieldChange[];
  items: EntryDiff<ItemBody>[];
  tasks: EntryDiff<TaskBody>[];
}

export type MetaField = 'title' | 'subtitle' | 'description' | 'language' | 'tradition' | 'level' | 'cover';
export type ChangeStatus = 'added' | 'removed' | 'changed' | 'unchanged';

/** A metadata field of the plan, before and after. */
export interface MetaChange {
  field: MetaField;
  status: ChangeStatus;
  before: string;
  after: string;
  /** For the texts (title, subtitle, description). */
  segments?: Segment[];
}

/** A list field (topics, authors): what joined, what left, what stayed. */
export interface ListChange<T> {
  status: ChangeStatus;
  added: T[];
  removed: T[];
  kept: T[];
}

export interface AuthorName {
  id: string;
  name: string;
}

export interface PlanDiff {
  /** Never published: everything is new. */
  isNew: boolean;
  meta: MetaChange[];
  topics: ListChange<string>;
  authors: ListChange<AuthorName>;
  days: DayDiff[];
  counts: { daysAdded: number; daysRemoved: number; daysChanged: number; daysUnchanged: number };
}

const textMeta: readonly MetaField[] = ['title', 'subtitle', 'description'];

function metaValue(plan: PlanBody | null, field: MetaField): string {
  if (!plan) return '';
  if (field === 'cover') return plan.cover_media_id ?? '';
  return asText(plan[field]);
}

function statusOf(before: string, after: string): ChangeStatus {
  if (before === after) return 'unchanged';
  if (!before) return 'added';
  if (!after) return 'removed';
  return 'changed';
}

function listChange<T>(before: T[], after: T[], key: (t: T) => string): ListChange<T> {
  const old = new Set(before.map(key));
  const now = new Set(after.map(key));
  const added = after.filter((t) => !old.has(key(t)));
  const removed = before.filter((t) => !now.has(key(t)));
  const kept = after.filter((t) => old.has(key(t)));
  const status: ChangeStatus =
    added.length === 0 && removed.length === 0
      ? 'unchanged'
      : kept.length === 0 && removed.length === 0
        ? 'added'
        : kept.length === 0 && added.length === 0
          ? 'removed'
          : 'changed';
  return { status, added, removed, kept };
}

// Where each item and task id is in a revision.
function placesOf(days: DayBody[], entries: (d: DayBody) => { id: string }[]): Map<string, Place> {
  const places = new Map<string, Place>();
  for (const d of days) {
    entries(d).forEach((e, i) => places.set(e.id, { day: d.number, position: i + 1 }));
  }
  return places;
}

const itemsOf = (d: DayBody) => d.items ?? [];
const tasksOf = (d: DayBody) => d.tasks ?? [];

// Pairs each day of the new revision with the day of the published one it
// continues, as [old index, new index] pairs.
function matchDays(oldDays: DayBody[], newDays: DayBody[]): [number, number][] {
  const pairs: [number, number][] = [];
  const oldTaken = new Set<number>();
  const newTaken = new Set<number>();
  const take = (o: number, n: number) => {
    pairs.push([o, n]);
    oldTaken.add(o);
    newTaken.add(n);
  };

  // 1. The same items or tasks: most shared first, nearest number next.
  const ids = (d: DayBody) => new Set([...itemsOf(d).map((e) => e.id), ...tasksOf(d).map((e) => e.id)]);
  const oldIds = oldDays.map(ids);
  const candidates: { o: number; n: number; shared: number; distance: number }[] = [];
  newDays.forEach((nd, n) => {
    const mine = ids(nd);
    oldIds.forEach((theirs, o) => {
      let shared = 0;
      for (const id of mine) if (theirs.has(id)) shared++;
      if (shared > 0) candidates.push({ o, n, shared, distance: Math.abs(oldDays[o]!.number - nd.number) });
    });
  });
  candidates.sort((a, b) => b.shared - a.shared || a.distance - b.distance || a.n - b.n);
  for (const c of candidates) if (!oldTaken.has(c.o) && !newTaken.has(c.n)) take(c.o, c.n);

  // 2. The same title, among the days left.
  newDays.forEach((nd, n) => {
    if (newTaken.has(n) || !nd.title.trim()) return;
    const o = oldDays.findIndex((od, i) => !oldTaken.has(i) && od.title.trim() === nd.title.trim());
    if (o >= 0) take(o, n);
  });

  // 3. The same number, among the days left.
  newDays.forEach((nd, n) => {
    if (newTaken.has(n)) return;
    const o = oldDays.findIndex((od, i) => !oldTaken.has(i) && od.number === nd.number);
    if (o >= 0) take(o, n);
  });
  return pairs;
}

function entryDiffs<T extends { id: string }>(
  oldList: T[],
  newList: T[],
  spec: FieldSpec<T>,
  oldPlaces: Map<string, Place>,
  newPlaces: Map<string, Place>,
  oldById: Map<string, T>,
): EntryDiff<T>[] {
  const oldIds = oldList.map((e) => e.id);
  const newIds = newList.map((e) => e.id);
  const inOld = new Map(oldList.map((e, i) => [e.id, { entry: e, position: i + 1 }]));
  const inNew = new Set(newIds);
  const newById = new Map(newList.map((e) => [e.id, e]));
  const out: EntryDiff<T>[] = [];
  let o = 0;
  let n = 0;
  for (const change of diffArrays(oldIds, newIds)) {
    if (change.removed) {
      for (const id of change.value) {
        const before = oldList[o++]!;
        if (inNew.has(id)) continue; // moved within the day: shown where it is now
        const to = newPlaces.get(id);
        out.push(to ? { id, status: 'movedAway', before, to, changes: [] } : { id, status: 'removed', before, changes: [] });
      }
    } else if (change.added) {
      for (const id of change.value) {
        const after = newList[n++]!;
        const here = inOld.get(id);
        const elsewhere = oldById.get(id);
        const before = here?.entry ?? elsewhere;
        if (!before) {
          out.push({ id, status: 'added', after, changes: [] });
          continue;
        }
        const from = here ? { day: oldPlaces.get(id)!.day, position: here.position } : oldPlaces.get(id)!;
        out.push({ id, status: 'moved', before, after, from, changes: fieldChanges(spec, before, after) });
      }
    } else {
      for (const id of change.value) {
        const before = oldList[o++]!;
        const after = newById.get(id)!;
        n++;
        const changes = fieldChanges(spec, before, after);
        out.push({ id, status: changes.length ? 'changed' : 'unchanged', before, after, changes });
      }
    }
  }
  return out;
}

function dayDiff(
  before: DayBody | undefined,
  after: DayBody | undefined,
  moved: boolean,
  ctx: {
    oldItems: Map<string, Place>;
    newItems: Map<string, Place>;
    oldTasks: Map<string, Place>;
    newTasks: Map<string, Place>;
    oldItemById: Map<string, ItemBody>;
    oldTaskById: Map<string, TaskBody>;
  },
): DayDiff {
  const items = entryDiffs(before ? itemsOf(before) : [], after ? itemsOf(after) : [], itemFields, ctx.oldItems, ctx.newItems, ctx.oldItemById);
  const tasks = entryDiffs(before ? tasksOf(before) : [], after ? tasksOf(after) : [], taskFields, ctx.oldTasks, ctx.newTasks, ctx.oldTaskById);
  const changes: FieldChange[] = [];
  if (before && after) {
    for (const field of ['title', 'intro'] as const) {
      if (before[field] !== after[field]) {
        changes.push({ field, kind: 'text', before: before[field], after: after[field], segments: textDiff(before[field], after[field]) });
      }
    }
  }
  const status: DayStatus = !before
    ? 'added'
    : !after
      ? 'removed'
      : moved || changes.length > 0 || [...items, ...tasks].some((e) => e.status !== 'unchanged')
        ? 'changed'
        : 'unchanged';
  return { status, number: after?.number, beforeNumber: before?.number, moved, before, after, changes, items, tasks };
}

/**
 * What changed from published (null when the plan was never published) to
 * current, the revision in review.
 */
export function diffPlan(published: PlanBody | null, current: PlanBody): PlanDiff {
  const meta: MetaChange[] = (['title', 'subtitle', 'description', 'language', 'tradition', 'level', 'cover'] as const).map((field) => {
    const before = metaValue(published, field);
    const after = metaValue(current, field);
    const change: MetaChange = { field, status: statusOf(before, after), before, after };
    if (textMeta.includes(field) && before !== after) change.segments = textDiff(before, after);
    return change;
  });
  const topics = listChange(published?.topics ?? [], current.topics ?? [], (t) => t);
  const authorNames = (p: PlanBody | null) => (p?.authors ?? []).map((a) => ({ id: a.id, name: a.name }));
  const authors = listChange(authorNames(published), authorNames(current), (a) => a.id);

  const oldDays = [...(published?.days ?? [])].sort((a, b) => a.number - b.number);
  const newDays = [...(current.days ?? [])].sort((a, b) => a.number - b.number);
  const ctx = {
    oldItems: placesOf(oldDays, itemsOf),
    newItems: placesOf(newDays, itemsOf),
    oldTasks: placesOf(oldDays, tasksOf),
    newTasks: placesOf(newDays, tasksOf),
    oldItemById: new Map(oldDays.flatMap(itemsOf).map((e) => [e.id, e])),
    oldTaskById: new Map(oldDays.flatMap(tasksOf).map((e) => [e.id, e])),
  };

  const pairs = matchDays(oldDays, newDays);
  // Days whose order among the matched days changed moved; the others were
  // at most renumbered by days added or removed before them.
  const byOld = [...pairs].sort((a, b) => a[0] - b[0]).map((p) => `${p[0]}:${p[1]}`);
  const byNew = [...pairs].sort((a, b) => a[1] - b[1]).map((p) => `${p[0]}:${p[1]}`);
  const inOrder = new Set(
    diffArrays(byOld, byNew)
      .filter((c) => !c.added && !c.removed)
      .flatMap((c) => c.value),
  );
  const oldOf = new Map(pairs.map(([o, n]) => [n, o]));
  const matchedOld = new Set(pairs.map(([o]) => o));

  // New-order days, each removed day after the day that now follows its
  // published predecessor.
  const keyed: { key: number; tie: number; day: DayDiff }[] = [];
  newDays.forEach((nd, n) => {
    const o = oldOf.get(n);
    const moved = o !== undefined && !inOrder.has(`${o}:${n}`);
    keyed.push({ key: n * 2 + 1, tie: 0, day: dayDiff(o === undefined ? undefined : oldDays[o], nd, moved, ctx) });
  });
  oldDays.forEach((od, o) => {
    if (matchedOld.has(o)) return;
    let anchor = -1; // the new index of the nearest matched day before it
    for (let p = o - 1; p >= 0 && anchor < 0; p--) {
      const pair = pairs.find(([po]) => po === p);
      if (pair) anchor = pair[1];
    }
    keyed.push({ key: anchor * 2 + 2, tie: o, day: dayDiff(od, undefined, false, ctx) });
  });
  keyed.sort((a, b) => a.key - b.key || a.tie - b.tie);
  const days = keyed.map((k) => k.day);

  const count = (s: DayStatus) => days.filter((d) => d.status === s).length;
  return {
    isNew: published === null,
    meta,
    topics,
    authors,
    days,
    counts: { daysAdded: count('added'), daysRemoved: count('removed'), daysChanged: count('changed'), daysUnchanged: count('unchanged') },
  };
}

/** Whether anything at all differs. */
export function hasChanges(diff: PlanDiff): boolean {
  return (
    diff.isNew ||
    diff.meta.some((m) => m.status !== 'unchanged') ||
    diff.topics.status !== 'unchanged' ||
    diff.authors.status !== 'unchanged' ||
    diff.days.some((d) => d.status !== 'unchanged')
  );
}

/** A day to show, or a run of unchanged days shown as one line. */
export type DayBlock = { kind: 'day'; day: DayDiff } | { kind: 'unchanged'; days: DayDiff[] };

/**
 * The days as the "only changes" view shows them: every run of unchanged
 * days collapses into one block ("Days 3–5 unchanged"); with everything
 * shown, each day is its own block.
 */
export function dayBlocks(days: DayDiff[], onlyChanges: boolean): DayBlock[] {
  if (!onlyChanges) return days.map((day) => ({ kind: 'day', day }));
  const blocks: DayBlock[] = [];
  for (const day of days) {
    const last = blocks[blocks.length - 1];
    if (day.status !== 'unchanged') blocks.push({ kind: 'day', day });
    else if (last?.kind === 'unchanged') last.days.push(day);
    else blocks.push({ kind: 'unchanged', days: [day] });
  }
  return blocks;
}
