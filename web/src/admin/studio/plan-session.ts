// One plan open in the studio: the plan as the server last answered it, the
// save queue its changes go through, the keys that name its days, and the
// changes shown before the server confirmed them (a new order). Kept per
// plan for the whole visit, outside React, so that unsaved changes survive
// going to the day preview and back, and are saved meanwhile.
import type { QueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError, dataOf } from '../../api/problem';
import { fetchPlan, studioKeys, type Day, type Item, type ItemFields, type StudioPlan, type Task, type TaskFields } from './api';
import { dayNumber, keysAfter, newDayKey, orderNumbers, reconcileKeys } from './day-keys';
import { classify, createSaveQueue, DiscardedError, type Edit, type QueueState, type SaveQueue, type Write } from './save-queue';

/** What an edit changes: the plan's metadata, or a day, item or task (days by key). */
export type Target =
  | { type: 'plan' }
  | { type: 'day'; day: string }
  | { type: 'item'; day: string; id: string }
  | { type: 'task'; day: string; id: string };

/** The structural changes. */
export type StudioOp =
  | { type: 'addDay'; key: string; title: string }
  | { type: 'deleteDay'; day: string }
  | { type: 'reorderDays'; order: string[] }
  | { type: 'addItem'; day: string; fields: ItemFields }
  | { type: 'deleteItem'; day: string; id: string }
  | { type: 'reorderItems'; day: string; ids: string[] }
  | { type: 'addTask'; day: string; fields: TaskFields }
  | { type: 'deleteTask'; day: string; id: string }
  | { type: 'reorderTasks'; day: string; ids: string[] }
  | { type: 'submit' };

/** A write whose day or item is no longer in the plan: nothing to send. */
class Unresolvable extends Error {
  constructor() {
    super('gone');
    this.name = 'Unresolvable';
  }
}

/** The conflict being settled: the plan as it is on the server now, once loaded. */
export interface Conflict {
  fresh?: StudioPlan;
  /** The plan could not be loaded again (gone, or no longer this person's). */
  error?: unknown;
}

/** What a component reads: changes identity whenever anything shown changes. */
export interface SessionSnapshot {
  plan: StudioPlan;
  queue: QueueState;
  busy: boolean;
  conflict?: Conflict;
  /** A structural change the server refused, put back as it was. */
  opError?: unknown;
}

interface Optimistic {
  days?: string[];
  items?: { day: string; ids: string[] };
  tasks?: { day: string; ids: string[] };
}

const ifMatch = (version: number | null) => (version ? { 'If-Match': `"${version}"` } : {});

export class PlanSession {
  readonly id: string;
  readonly queue: SaveQueue<Target, StudioOp, StudioPlan>;
  private plan: StudioPlan;
  private keys: string[];
  private optimistic: Optimistic = {};
  private busy = false;
  private conflict?: Conflict;
  private opError?: unknown;
  private snapshot: SessionSnapshot;
  private readonly listeners = new Set<() => void>();

  constructor(
    plan: StudioPlan,
    private readonly queryClient: QueryClient,
  ) {
    this.id = plan.id;
    this.plan = plan;
    this.keys = reconcileKeys([], plan.days?.length ?? 0);
    this.queue = createSaveQueue<Target, StudioOp, StudioPlan>({
      version: plan.revision.version,
      send: (write, version) => this.send(write, version),
      versionOf: (p) => p.revision.version,
      onSaved: (write, answer) => this.saved(write, answer),
      classify: (error) => (error instanceof Unresolvable ? { type: 'drop' } : classify(error)),
      isOnline: () => typeof navigator === 'undefined' || navigator.onLine,
    });
    this.queue.subscribe(() => this.queueChanged());
    this.snapshot = this.makeSnapshot();
  }

  // --- reading ---

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = () => this.snapshot;

  /** The days as shown, in order (a new order before the server confirms it), each with its key. */
  days(): { key: string; day: Day }[] {
    const days = this.plan.days ?? [];
    const order = this.optimistic.days ?? this.keys;
    return order.flatMap((key) => {
      const day = days[this.keys.indexOf(key)];
      return day ? [{ key, day }] : [];
    });
  }

  /** The number day key has on the server now. */
  numberOf(key: string): number | undefined {
    return dayNumber(this.keys, key);
  }

  /** The key of the day numbered n. */
  keyOf(n: number): string | undefined {
    return this.keys[n - 1];
  }

  items(key: string, day: Day): Item[] {
    return ordered(day.items ?? [], this.optimistic.items?.day === key ? this.optimistic.items.ids : undefined);
  }

  tasks(key: string, day: Day): Task[] {
    return ordered(day.tasks ?? [], this.optimistic.tasks?.day === key ? this.optimistic.tasks.ids : undefined);
  }

  /** A field's value as shown: the unsaved one, else the server's. */
  value<V>(key: string, field: string, saved: V): V {
    const fields = this.queue.unsaved(key);
    return fields && field in fields ? (fields[field] as V) : saved;
  }

  errors(key: string): Record<string, string> {
    return this.queue.errors(key) ?? {};
  }

  /** Every field error of the plan's metadata, by field. */
  planErrors(): Record<string, string> {
    const all: Record<string, string> = {};
    for (const w of this.queue.writes()) {
      if (w.kind === 'edit' && w.target.type === 'plan') Object.assign(all, this.queue.errors(w.key));
    }
    return all;
  }

  // --- editing ---

  editPlan(field: string, value: unknown) {
    this.queue.edit(`plan.${field}`, { type: 'plan' }, { [field]: value });
  }

  editDay(day: string, field: 'title' | 'intro', value: string) {
    this.queue.edit(`day:${day}.${field}`, { type: 'day', day }, { [field]: value });
  }

  editItem(day: string, id: string, fields: ItemFields) {
    this.queue.edit(`item:${id}`, { type: 'item', day, id }, fields);
  }

  editTask(day: string, id: string, fields: TaskFields) {
    this.queue.edit(`task:${id}`, { type: 'task', day, id }, fields);
  }

  flush() {
    this.queue.flush();
  }

  addDay(title: string): Promise<number> {
    const key = newDayKey();
    return this.structural({ type: 'addDay', key, title }).then(() => this.numberOf(key) ?? this.keys.length);
  }

  deleteDay(day: string) {
    this.queue.forget((e) => e.target.type !== 'plan' && e.target.day === day);
    return this.structural({ type: 'deleteDay', day });
  }

  reorderDays(order: string[]) {
    return this.structural({ type: 'reorderDays', order }, { days: order });
  }

  addItem(day: string, fields: ItemFields) {
    return this.structural({ type: 'addItem', day, fields }, {}, true);
  }

  deleteItem(day: string, id: string) {
    this.queue.forget((e) => e.key === `item:${id}`);
    return this.structural({ type: 'deleteItem', day, id });
  }

  reorderItems(day: string, ids: string[]) {
    return this.structural({ type: 'reorderItems', day, ids }, { items: { day, ids } });
  }

  addTask(day: string, fields: TaskFields) {
    return this.structural({ type: 'addTask', day, fields }, {}, true);
  }

  deleteTask(day: string, id: string) {
    this.queue.forget((e) => e.key === `task:${id}`);
    return this.structural({ type: 'deleteTask', day, id });
  }

  reorderTasks(day: string, ids: string[]) {
    return this.structural({ type: 'reorderTasks', day, ids }, { tasks: { day, ids } });
  }

  /** Sends the plan to review once everything before is saved; rejects with the server's gaps. */
  submit() {
    return this.structural({ type: 'submit' }, {}, true);
  }

  dismissOpError() {
    this.opError = undefined;
    this.changed();
  }

  // --- conflicts ---

  /** Drops the unsaved changes and shows the plan as it is on the server. */
  async reload() {
    const fresh = this.conflict?.fresh ?? (await fetchPlan(this.id));
    this.queue.discard(fresh.revision.version);
    this.optimistic = {};
    this.conflict = undefined;
    this.take(fresh);
  }

  /** Sends the unsaved changes again over the plan as it is now on the server. */
  overwrite() {
    const fresh = this.conflict?.fresh;
    if (!fresh) return;
    this.conflict = undefined;
    this.take(fresh);
    this.queue.resume(fresh.revision.version);
  }

  /** A plan loaded afresh (the page was opened again): taken when nothing is unsaved here. */
  adopt(fresh: StudioPlan): boolean {
    // An answer older than what the queue last saw (a load that crossed a save) teaches nothing.
    if (fresh.revision.version <= this.plan.revision.version) return true;
    if (this.busy || this.conflict || !this.queue.adopt(fresh.revision.version)) return false;
    this.take(fresh);
    return true;
  }

  dispose() {
    this.queue.dispose();
    this.listeners.clear();
  }

  // --- inside ---

  private structural(op: StudioOp, optimistic: Optimistic = {}, rethrow = false): Promise<StudioPlan> {
    this.busy = true;
    this.opError = undefined;
    this.optimistic = { ...this.optimistic, ...optimistic };
    this.changed();
    const done = () => {
      this.busy = false;
      this.optimistic = {};
      this.changed();
    };
    return this.queue.run(op).then(
      (plan) => {
        done();
        return plan;
      },
      (error: unknown) => {
        done();
        // A form shows its own errors; other refused changes are put back as they were, and said so.
        if (!rethrow && !(error instanceof DiscardedError)) {
          this.opError = error;
          this.changed();
        }
        throw error;
      },
    );
  }

  private day(key: string): number {
    const n = dayNumber(this.keys, key);
    if (n === undefined) throw new Unresolvable();
    return n;
  }

  private async send(write: Write<Target, StudioOp>, version: number | null): Promise<StudioPlan> {
    const header = ifMatch(version);
    const id = this.id;
    if (write.kind === 'edit') return this.sendEdit(write, header);
    const op = write.op;
    switch (op.type) {
      case 'addDay':
        return dataOf(await api.POST('/v1/studio/plans/{id}/days', { params: { path: { id }, header }, body: { title: op.title } }));
      case 'deleteDay':
        return dataOf(await api.DELETE('/v1/studio/plans/{id}/days/{n}', { params: { path: { id, n: this.day(op.day) }, header } }));
      case 'reorderDays': {
        const order = orderNumbers(this.keys, op.order);
        if (!order) throw new Unresolvable();
        return dataOf(await api.POST('/v1/studio/plans/{id}/days/reorder', { params: { path: { id }, header }, body: { order } }));
      }
      case 'addItem':
        return dataOf(
          await api.POST('/v1/studio/plans/{id}/days/{n}/items', { params: { path: { id, n: this.day(op.day) }, header }, body: op.fields }),
        );
      case 'deleteItem':
        return dataOf(
          await api.DELETE('/v1/studio/plans/{id}/days/{n}/items/{item_id}', {
            params: { path: { id, n: this.day(op.day), item_id: op.id }, header },
          }),
        );
      case 'reorderItems':
        return dataOf(
          await api.POST('/v1/studio/plans/{id}/days/{n}/items/reorder', {
            params: { path: { id, n: this.day(op.day) }, header },
            body: { ids: op.ids },
          }),
        );
      case 'addTask':
        return dataOf(
          await api.POST('/v1/studio/plans/{id}/days/{n}/tasks', { params: { path: { id, n: this.day(op.day) }, header }, body: op.fields }),
        );
      case 'deleteTask':
        return dataOf(
          await api.DELETE('/v1/studio/plans/{id}/days/{n}/tasks/{task_id}', {
            params: { path: { id, n: this.day(op.day), task_id: op.id }, header },
          }),
        );
      case 'reorderTasks':
        return dataOf(
          await api.POST('/v1/studio/plans/{id}/days/{n}/tasks/reorder', {
            params: { path: { id, n: this.day(op.day) }, header },
            body: { ids: op.ids },
          }),
        );
      case 'submit':
        return dataOf(await api.POST('/v1/studio/plans/{id}/submit', { params: { path: { id } } }));
    }
  }

  private async sendEdit(write: Edit<Target>, header: { 'If-Match'?: string }): Promise<StudioPlan> {
    const id = this.id;
    const t = write.target;
    switch (t.type) {
      case 'plan':
        return dataOf(await api.PATCH('/v1/studio/plans/{id}', { params: { path: { id }, header }, body: write.fields }));
      case 'day':
        return dataOf(
          await api.PATCH('/v1/studio/plans/{id}/days/{n}', { params: { path: { id, n: this.day(t.day) }, header }, body: write.fields }),
        );
      case 'item':
        return dataOf(
          await api.PATCH('/v1/studio/plans/{id}/days/{n}/items/{item_id}', {
            params: { path: { id, n: this.day(t.day), item_id: t.id }, header },
            body: write.fields,
          }),
        );
      case 'task':
        return dataOf(
          await api.PATCH('/v1/studio/plans/{id}/days/{n}/tasks/{task_id}', {
            params: { path: { id, n: this.day(t.day), task_id: t.id }, header },
            body: write.fields,
          }),
        );
    }
  }

  // Before the next write goes out: the days' keys follow the change the server confirmed.
  private saved(write: Write<Target, StudioOp>, answer: StudioPlan) {
    const n = answer.days?.length ?? 0;
    const op = write.kind === 'op' ? write.op : undefined;
    if (op?.type === 'addDay' || op?.type === 'deleteDay' || op?.type === 'reorderDays') {
      this.keys = keysAfter(this.keys, op, n);
    } else {
      this.keys = reconcileKeys(this.keys, n);
    }
    this.setPlan(answer);
  }

  private take(fresh: StudioPlan) {
    this.keys = reconcileKeys(this.keys, fresh.days?.length ?? 0);
    this.setPlan(fresh);
  }

  private setPlan(plan: StudioPlan) {
    this.plan = plan;
    this.queryClient.setQueryData(studioKeys.plan(this.id), plan);
    void this.queryClient.invalidateQueries({ queryKey: studioKeys.lists(), refetchType: 'none' });
    this.changed();
  }

  private queueChanged() {
    const status = this.queue.getState().status;
    if (status === 'conflict' && !this.conflict) {
      this.conflict = {};
      fetchPlan(this.id).then(
        (fresh) => {
          if (this.conflict) this.conflict = { fresh };
          this.changed();
        },
        (error: unknown) => {
          if (this.conflict) this.conflict = { error };
          this.changed();
        },
      );
    }
    this.changed();
  }

  private makeSnapshot(): SessionSnapshot {
    return { plan: this.plan, queue: this.queue.getState(), busy: this.busy, conflict: this.conflict, opError: this.opError };
  }

  private changed() {
    this.snapshot = this.makeSnapshot();
    for (const l of this.listeners) l();
  }
}

function ordered<T extends { id: string }>(list: T[], ids: string[] | undefined): T[] {
  if (!ids) return list;
  const byId = new Map(list.map((x) => [x.id, x]));
  const shown = ids.flatMap((id) => byId.get(id) ?? []);
  // Anything the order does not name (it should name all) stays at the end.
  return [...shown, ...list.filter((x) => !ids.includes(x.id))];
}

// --- the sessions of this page ---

// By the signed-in person and the plan: someone else signing in on this
// page never sees another person's unsaved changes.
const sessions = new Map<string, PlanSession>();
const sessionKey = (owner: string, id: string) => `${owner}/${id}`;

/** owner's session of plan, made from it on first use. */
export function sessionFor(owner: string, plan: StudioPlan, queryClient: QueryClient): PlanSession {
  const key = sessionKey(owner, plan.id);
  let s = sessions.get(key);
  if (!s) {
    s = new PlanSession(plan, queryClient);
    sessions.set(key, s);
    listenOnce();
  }
  return s;
}

/** owner's session of plan id, if it was opened in this visit. */
export function existingSession(owner: string, id: string): PlanSession | undefined {
  return sessions.get(sessionKey(owner, id));
}

/** Forgets a plan's session (the plan was deleted). */
export function closeSession(owner: string, id: string) {
  const key = sessionKey(owner, id);
  sessions.get(key)?.dispose();
  sessions.delete(key);
}

/** Whether any plan has unsaved changes. */
export function anyUnsaved(): boolean {
  for (const s of sessions.values()) if (s.queue.hasUnsaved()) return true;
  return false;
}

let listening = false;

// Once per page: try at once when the network is back, and ask before the
// page is left with changes unsaved.
function listenOnce() {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  window.addEventListener('online', () => {
    for (const s of sessions.values()) s.queue.online();
  });
  window.addEventListener('beforeunload', (event) => {
    for (const s of sessions.values()) s.flush();
    if (anyUnsaved()) {
      event.preventDefault();
      event.returnValue = ''; // older browsers
    }
  });
}

/** Whether error is the server refusing a plan the person may not edit, or one that is not there. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
