// The review queue's requests: the plans in review, the revision in review
// and the published one it would replace, and the reviewer's decisions.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError, dataOf } from '../../api/problem';
import type { components } from '../../api/schema';
import type { PlanBody } from './plan-diff';

export type PlanCard = components['schemas']['StudioPlanCard'];

export const reviewKeys = {
  all: ['review'] as const,
  queue: () => ['review', 'queue'] as const,
  plan: (id: string) => ['review', 'plan', id] as const,
  published: (id: string) => ['review', 'published', id] as const,
};

/** When a plan was sent for review (its last change, if the server does not say). */
export function submittedAt(card: PlanCard): string {
  return card.submitted_at ?? card.updated_at;
}

/** Whether the plan has been published before: the review is of an update. */
export function isUpdate(card: PlanCard): boolean {
  return !!card.published_at || card.status === 'published' || card.status === 'archived';
}

/**
 * Every plan in review, oldest submission first: the one waiting longest
 * comes first. The queue is short, so all its pages are read.
 */
export function useReviewQueue() {
  return useQuery({
    queryKey: reviewKeys.queue(),
    queryFn: async ({ signal }) => {
      const cards: PlanCard[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const data = dataOf(await api.GET('/v1/studio/plans', { params: { query: { status: 'in_review', limit: 100, cursor } }, signal }));
        cards.push(...(data.items ?? []));
        cursor = data.next_cursor || undefined;
        if (!cursor) break;
      }
      return cards
        .filter((c) => c.revision_state === 'in_review' || c.status === 'in_review')
        .sort((a, b) => submittedAt(a).localeCompare(submittedAt(b)));
    },
  });
}

/** The plan with the revision in review, whole. */
export function useReviewPlan(id: string) {
  return useQuery({
    queryKey: reviewKeys.plan(id),
    queryFn: async ({ signal }) => dataOf(await api.GET('/v1/studio/plans/{id}', { params: { path: { id } }, signal })),
  });
}

/** The published revision the one in review would replace; null when the plan was never published. */
export function usePublishedRevision(id: string, enabled: boolean) {
  return useQuery({
    queryKey: reviewKeys.published(id),
    enabled,
    queryFn: async ({ signal }): Promise<PlanBody | null> => {
      try {
        return dataOf(await api.GET('/v1/studio/plans/{id}/published', { params: { path: { id } }, signal }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

function useAfterDecision() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      // Stale, not fetched again now: the reviewer is leaving this plan for
      // the queue, which fetches itself afresh; fetching the plan now would
      // take the decision form away under the reviewer's feet.
      queryClient.invalidateQueries({ queryKey: reviewKeys.all, refetchType: 'none' }),
      // The studio's lists and pages, and the dashboard's counts.
      queryClient.invalidateQueries({ queryKey: ['studio'] }),
      queryClient.invalidateQueries({ queryKey: ['admin'] }),
    ]);
  };
}

/** Publishes the revision in review. */
export function usePublish(id: string) {
  const after = useAfterDecision();
  return useMutation({
    mutationFn: async () => dataOf(await api.POST('/v1/admin/plans/{id}/publish', { params: { path: { id } } })),
    onSuccess: after,
  });
}

/** Sends the revision in review back to its authors with a note. */
export function useReject(id: string) {
  const after = useAfterDecision();
  return useMutation({
    mutationFn: async (note: string) => dataOf(await api.POST('/v1/admin/plans/{id}/reject', { params: { path: { id } }, body: { note } })),
    onSuccess: after,
  });
}
