// The dashboard's numbers: GET /v1/admin/stats.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Client } from 'openapi-fetch';
import { api } from '../../api/client';
import { dataOf } from '../../api/problem';

// TODO(schema): written by hand from internal/httpapi/admin_stats.go until
// the generated client has the endpoint; then use
// components['schemas']['DashboardBody'] and the plain `api` client.

/** What happened on one UTC day. */
export interface DashboardDay {
  date: string;
  enrollments: number;
  completions: number;
  ticks: number;
  practice_minutes: number;
  new_users: number;
}

/** A published plan among the most enrolled in. */
export interface DashboardPlan {
  id: string;
  slug: string;
  title: string;
  /** Enrolments started in the window. */
  enrollments_in_window: number;
  /** Enrolments ever started. */
  enrollments: number;
  /** Enrolments ever finished. */
  completions: number;
  /** Enrolments being followed now. */
  active_readers: number;
}

/** The dashboard, counted at generated_at over the last `days` UTC days. */
export interface Dashboard {
  generated_at: string;
  days: number;
  from: string;
  to: string;
  users: { total: number; new: number; by_role: { user: number; author: number; admin: number }; disabled: number };
  active: { today: number; week: number; month: number };
  series: DashboardDay[];
  top_plans: DashboardPlan[];
  plans: { draft: number; in_review: number; published: number; archived: number; review_queue: number };
}

interface StatsPaths {
  '/v1/admin/stats': {
    get: {
      parameters: { query?: { days?: number }; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { 'application/json': Dashboard } } };
    };
  };
}

// The app's client (bearer token, renewal of an expired one) seen with the
// types above.
const statsApi = api as unknown as Client<StatsPaths>;

/** The dashboard over the last days UTC days; the last period's numbers stay shown while another loads. */
export function useDashboard(days: number) {
  return useQuery({
    queryKey: ['admin', 'stats', days],
    queryFn: async ({ signal }) => dataOf(await statsApi.GET('/v1/admin/stats', { params: { query: { days } }, signal })),
    placeholderData: keepPreviousData,
    // Counted fresh for each request: a minute old is fresh enough.
    staleTime: 60_000,
  });
}
