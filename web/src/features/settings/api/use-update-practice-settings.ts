import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';
import type { components } from '../../../api/schema';
import { practiceSettingsKey } from './use-practice-settings';

/** Changes the streak settings (PATCH /v1/me/practice); what shows streaks asks again. */
export function useUpdatePracticeSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: components['schemas']['PatchSettingsInputBody']) =>
      dataOf(await api.PATCH('/v1/me/practice', { body: change })),
    onSuccess: (settings) => {
      queryClient.setQueryData(practiceSettingsKey, settings);
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
}
