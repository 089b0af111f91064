// The audit log: what administrators did, newest first, filtered.
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { dataOf } from '../../api/problem';
import type { components } from '../../api/schema';
import type { AuditQuery } from './filters';

/** One thing an administrator did (GET /v1/admin/audit). */
export type AuditEntry = components['schemas']['AuditEntryBody'];

export type AuditPage = components['schemas']['ListAuditOutputBody'];

/** The entries matching query, newest first, a page at a time. */
export function useAuditLog(query: AuditQuery, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['admin', 'audit', query],
    enabled,
    queryFn: async ({ pageParam, signal }) =>
      dataOf(await api.GET('/v1/admin/audit', { params: { query: { ...query, cursor: pageParam, limit: 50 } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor || undefined,
    placeholderData: keepPreviousData,
  });
}
