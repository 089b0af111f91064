import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState, useSyncExternalStore } from 'react';
import type { components } from '../../../api/schema';
import { CompletionSync, withAnswer, type Target } from '../completion-sync';
import { setCompletion } from './set-completion';
import { enrolledDayKey } from './use-enrolled-day';

type Day = components['schemas']['EnrolledDayBody'];

/**
 * The checkboxes of a day (today's, or day n), ticked optimistically: a
 * click shows at once, the server's answer is written into the cached day,
 * and a failed request rolls the box back and raises `failed` for a gentle
 * message.
 */
export function useCompletions(enrollmentId: string, day: number | undefined) {
  const queryClient = useQueryClient();
  const [sync] = useState(() => new CompletionSync());
  useSyncExternalStore(sync.subscribe, sync.snapshot);
  const [failed, setFailed] = useState(false);

  const set = useCallback(
    (target: Target, done: boolean) => {
      const dayKey = enrolledDayKey(enrollmentId, day);
      const click = sync.click(target, done);
      setFailed(false);
      // A refetch begun before this click would bring back the day without it.
      void queryClient.cancelQueries({ queryKey: dayKey });
      setCompletion(enrollmentId, target, done)
        .then(
          (answer) => {
            if (sync.succeeded(target, click)) {
              queryClient.setQueryData<Day>(dayKey, (cached) => cached && withAnswer(cached, target, answer));
            }
          },
          () => {
            if (sync.failed(target, click)) setFailed(true);
          },
        )
        .finally(() => {
          if (sync.busy) return;
          // Everything is answered: where the plan stands, the streak and the stats may have moved.
          void queryClient.invalidateQueries({ queryKey: ['enrollments'] });
          void queryClient.invalidateQueries({ queryKey: ['me'] });
        });
    },
    [sync, queryClient, enrollmentId, day],
  );

  return {
    /** Whether the box shows ticked, given what the server confirmed. */
    shown: (target: Target, confirmed: boolean) => sync.shown(target, confirmed),
    /** Whether a click is still on its way. */
    busy: sync.busy,
    set,
    failed,
    dismiss: () => setFailed(false),
  };
}
