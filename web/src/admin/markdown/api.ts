import { api } from '../../api/client';
import { dataOf } from '../../api/problem';

/** Markdown rendered by the server exactly as readers will get it, sanitised (POST /v1/studio/markdown). */
export async function renderMarkdown(markdown: string, signal?: AbortSignal): Promise<string> {
  return dataOf(await api.POST('/v1/studio/markdown', { body: { markdown }, signal })).html;
}

/** The query key of a preview: the same text is rendered once. */
export function previewKey(markdown: string) {
  return ['markdown-preview', markdown] as const;
}
