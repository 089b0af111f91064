// The dashboard's numbers: GET /v1/admin/stats.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { dataOf } from '../../api/problem';
import type { components } from '../../api/schema';

/** What happened on one UTC day. */
export type DashboardDay = components['schemas']['DashboardDay'];

/** A published plan among the most enrolled in. */
export type DashboardPlan = components['schemas']['DashboardPlan'];

/** The dashboard, counted at generated_at over the last `days` UTC days. */
export type Dashboard = components['schemas']['DashboardBody'];

/** The dashboard over the last days UTC days; the last period's numbers stay shown while another loads. */
export function useDashboard(days: number) {
  return useQuery({
    queryKey: ['admin', 'stats', days],
    queryFn: async ({ signal }) => dataOf(await api.GET('/v1/admin/stats', { params: { query: { days } }, signal })),
    placeholderData: keepPreviousData,
    // Counted fresh for each request: a minute old is fresh enough.
    staleTime: 60_000,
  });
}
