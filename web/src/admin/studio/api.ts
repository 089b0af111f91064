// The studio's requests: plans to edit (/v1/studio/...), the authors to
// name on them, and the Markdown preview.
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { dataOf } from '../../api/problem';
import type { components } from '../../api/schema';

export type StudioPlan = components['schemas']['StudioPlanBody'];
export type StudioCard = components['schemas']['StudioPlanCard'];
export type Day = components['schemas']['DayBody'];
export type Item = components['schemas']['ItemBody'];
export type Task = components['schemas']['TaskBody'];
export type Author = components['schemas']['AuthorBody'];
export type PlanFields = components['schemas']['PlanFields'];
export type ItemFields = components['schemas']['ItemFields'];
export type TaskFields = components['schemas']['TaskFields'];
export type PlanStatus = StudioPlan['status'];
export type Tradition = StudioPlan['tradition'];
export type Level = StudioPlan['level'];
export type ItemKind = Item['kind'];
export type TaskKind = Task['kind'];

export const traditions: Tradition[] = ['theravada', 'mahayana', 'zen', 'vajrayana', 'pure_land', 'secular', 'other'];
export const levels: Level[] = ['beginner', 'intermediate', 'advanced'];
export const itemKinds: ItemKind[] = ['text', 'audio', 'video', 'pdf', 'image', 'link'];
export const taskKinds: TaskKind[] = ['meditate', 'reflect', 'chant', 'practice', 'memorize'];
export const statuses: PlanStatus[] = ['draft', 'in_review', 'published', 'archived'];

export const studioKeys = {
  all: ['studio'] as const,
  lists: () => ['studio', 'plans'] as const,
  list: (status: PlanStatus | undefined) => ['studio', 'plans', status ?? 'all'] as const,
  plan: (id: string) => ['studio', 'plan', id] as const,
};

/** The plans the person may edit (every plan, for admins), a page at a time. */
export function useStudioPlans(status: PlanStatus | undefined) {
  return useInfiniteQuery({
    queryKey: studioKeys.list(status),
    queryFn: async ({ pageParam, signal }) =>
      dataOf(
        await api.GET('/v1/studio/plans', {
          params: { query: { status, cursor: pageParam || undefined, limit: 20 } },
          signal,
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor || undefined,
    placeholderData: keepPreviousData,
  });
}

/** Loads a plan to edit, as it is on the server now. */
export async function fetchPlan(id: string, signal?: AbortSignal): Promise<StudioPlan> {
  return dataOf(await api.GET('/v1/studio/plans/{id}', { params: { path: { id } }, signal }));
}

/**
 * The plan being edited, loaded again each time a page of it opens (a
 * reviewer may have published it meanwhile). While it is open, the editor's
 * save queue keeps it (each write answers the whole plan), and a plan
 * loaded afresh is taken only when nothing is unsaved (see PlanSession.adopt).
 */
export function useStudioPlan(id: string) {
  return useQuery({
    queryKey: studioKeys.plan(id),
    queryFn: ({ signal }) => fetchPlan(id, signal),
    staleTime: 0,
    refetchOnWindowFocus: false,
  });
}

/** Starts a plan. */
export async function createPlan(body: PlanFields): Promise<StudioPlan> {
  return dataOf(await api.POST('/v1/studio/plans', { body }));
}

/** Deletes a plan that was never published. */
export async function deletePlan(id: string): Promise<void> {
  dataOf(await api.DELETE('/v1/studio/plans/{id}', { params: { path: { id } } }));
}

/**
 * The authors the person may name on a plan, by name: every author for
 * admins; for others their own author (published or not) first, then the
 * authors of published plans (GET /v1/studio/authors).
 */
export function useAuthorChoices(query: string) {
  const q = query.trim();
  return useQuery({
    queryKey: ['studio', 'authors', q],
    queryFn: async ({ signal }): Promise<Author[]> =>
      dataOf(await api.GET('/v1/studio/authors', { params: { query: { q: q || undefined, limit: 20 } }, signal })).items ?? [],
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
