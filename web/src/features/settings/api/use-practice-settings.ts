import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** The query key of the streak settings, shared with the pages that show streaks. */
export const practiceSettingsKey = ['me', 'practice'] as const;

/** Whether streaks are shown, and the grace days (GET /v1/me/practice). */
export function usePracticeSettings() {
  return useQuery({
    queryKey: practiceSettingsKey,
    queryFn: async ({ signal }) => dataOf(await api.GET('/v1/me/practice', { signal })),
  });
}
