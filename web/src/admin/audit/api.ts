// The audit log: what administrators did, newest first, filtered.
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { Client } from 'openapi-fetch';
import { api } from '../../api/client';
import { dataOf } from '../../api/problem';
import type { components } from '../../api/schema';
import type { AuditQuery } from './filters';

// TODO(schema): GET /v1/admin/audit is not in the generated schema yet;
// these are its types as the server declares them
// (internal/httpapi/admin_audit.go). The lead swaps them for the generated
// ones at integration. The request goes through the app's client, so it
// carries the token and renews it.
export interface AuditEntry {
  id: string;
  /** RFC 3339. */
  at: string;
  /** id is absent for the operator at the command line; label is the email address then ("deleted account" since). */
  actor: { id?: string; label: string };
  /** <target type>.<verb>, e.g. plan.published. */
  action: string;
  target: { type: string; id: string; label: string };
  /** What changed, by action; empty when there is nothing to add. */
  details: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditEntry[];
  next_cursor?: string;
}

interface AuditPaths {
  '/v1/admin/audit': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: AuditQuery & { cursor?: string; limit?: number }; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { 'application/json': AuditPage } };
        422: { headers: { [name: string]: unknown }; content: { 'application/problem+json': components['schemas']['Problem'] } };
      };
    };
  };
}
const auditApi = api as unknown as Client<AuditPaths>;

/** The entries matching query, newest first, a page at a time. */
export function useAuditLog(query: AuditQuery, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['admin', 'audit', query],
    enabled,
    queryFn: async ({ pageParam, signal }) =>
      dataOf(await auditApi.GET('/v1/admin/audit', { params: { query: { ...query, cursor: pageParam, limit: 50 } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor || undefined,
    placeholderData: keepPreviousData,
  });
}
