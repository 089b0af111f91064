import { useMutation } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { dataOf } from '../../../api/problem';

/** Downloads everything the server holds about the person (GET /v1/me/export) as a JSON file. */
export function useExport() {
  return useMutation({
    mutationFn: async () => {
      const data = dataOf(await api.GET('/v1/me/export'));
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `dharmaplans-export-${data.exported_at.slice(0, 10)}.json`;
      link.click();
      // The browser has read the file once the click is handled.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    },
  });
}
