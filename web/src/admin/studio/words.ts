// Small pure rules of the studio's forms, kept apart so they can be tested.
import { ApiError } from '../../api/problem';
import type { components } from '../../api/schema';

type ItemFields = components['schemas']['ItemFields'];
type ItemKind = components['schemas']['ItemBody']['kind'];

/** Topics as typed ("metta, breath") and as sent. */
export function parseTopics(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The start dates to send: complete ones, in order, each once. */
export function cleanDates(rows: string[]): string[] {
  return [...new Set(rows.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)))].sort();
}

/** A name folded for matching: any case, without diacritics (Thích Nhất Hạnh matches "thich nhat"). */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}

/** The free slug a "taken" error suggests: the slug "metta" is taken; "metta-2" is free. */
export function suggestedSlug(message: string | undefined): string | undefined {
  return message ? /"([a-z0-9-]+)" is free/.exec(message)?.[1] : undefined;
}

/** The fields a change of an item's kind brings along: text and links carry no file. */
export function kindChange(kind: ItemKind): ItemFields {
  return kind === 'text' || kind === 'link' ? { kind, media_id: '' } : { kind };
}

/** A gap the server reported on submitting: about the authors, the days, or day n. */
export interface Gap {
  message: string;
  about: 'authors' | 'days' | 'day' | 'other';
  day?: number;
}

/** The gaps of a refused submission, in the server's order. */
export function gapsOf(error: unknown): Gap[] {
  if (!(error instanceof ApiError) || error.status !== 422) return [];
  return (error.problem?.errors ?? []).map((e) => {
    const message = e.message ? `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.` : '';
    const location = (e.location ?? '').replace(/^body\./, '');
    const day = /^days\[(\d+)\]/.exec(location);
    if (day) return { message, about: 'day', day: Number(day[1]) + 1 };
    if (location === 'authors' || location.startsWith('author_ids')) return { message, about: 'authors' };
    if (location === 'days') return { message, about: 'days' };
    return { message, about: 'other' };
  });
}
