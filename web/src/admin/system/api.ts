// The system settings and the invitations: /v1/admin/settings and
// /v1/admin/invites.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Client } from 'openapi-fetch';
import { api } from '../../api/client';
import { dataOf } from '../../api/problem';

// TODO(schema): written by hand from internal/httpapi/admin_settings.go until
// the generated client has these endpoints; then use the generated
// components['schemas'] types (SystemSettingsAdminBody, InviteBody,
// NewInviteBody) and the plain `api` client.

export type Registration = 'open' | 'invite_only';
export type Period = '1m' | '1h' | '1d';

/** A rate limit: rate attempts per period. */
export interface Rate {
  rate: number;
  period: Period;
}

/** The system settings. Rate limits and feature flags are by name, as the server lists them. */
export interface SystemSettings {
  site_name: string;
  registration: Registration;
  default_reminder_hour: number;
  default_grace_days: number;
  rate_limits: Record<string, Rate>;
  features: Record<string, boolean>;
}

/** The settings with their version (also the ETag). */
export interface SettingsSnapshot {
  /** 0 while the defaults were never changed. */
  version: number;
  updated_at?: string;
  updated_by?: string;
  settings: SystemSettings;
  /** What each feature flag switches, in the server's words. */
  feature_descriptions: Record<string, string>;
}

/** A change to the settings: absent fields stay as they are. */
export interface SettingsPatch {
  site_name?: string;
  registration?: Registration;
  default_reminder_hour?: number;
  default_grace_days?: number;
  rate_limits?: Record<string, Partial<Rate>>;
  features?: Record<string, boolean>;
}

export type InviteStatus = 'pending' | 'used' | 'revoked' | 'expired';

/** An invitation as admins see it afterwards: never its code. */
export interface Invite {
  id: string;
  /** The only address that may sign up with it; absent: anyone with the link. */
  email?: string;
  status: InviteStatus;
  created_by?: string;
  created_at: string;
  expires_at: string;
  used_at?: string;
  used_by?: string;
  revoked_at?: string;
}

/** An invitation just made, with its code and link: shown this once. */
export interface NewInvite extends Invite {
  code: string;
  link: string;
}

export interface InviteRequest {
  email?: string;
  expires_in_days?: number;
}

interface InvitePage {
  items: Invite[];
  next_cursor?: string;
}

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };

interface SystemPaths {
  '/v1/admin/settings': {
    get: { parameters: NoParams; requestBody?: never; responses: { 200: Json<SettingsSnapshot> } };
    patch: {
      parameters: { query?: never; header: { 'If-Match': string }; path?: never; cookie?: never };
      requestBody: { content: { 'application/json': SettingsPatch } };
      responses: { 200: Json<SettingsSnapshot> };
    };
  };
  '/v1/admin/invites': {
    get: {
      parameters: { query?: { cursor?: string; limit?: number }; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: Json<InvitePage> };
    };
    post: {
      parameters: NoParams;
      requestBody?: { content: { 'application/json': InviteRequest } };
      responses: { 201: Json<NewInvite> };
    };
  };
  '/v1/admin/invites/{id}': {
    delete: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: { 204: { headers: { [name: string]: unknown }; content?: never } };
    };
  };
}

// The app's client (bearer token, renewal of an expired one) seen with the
// types above.
const systemApi = api as unknown as Client<SystemPaths>;

const settingsKey = ['admin', 'settings'] as const;
const invitesKey = ['admin', 'invites'] as const;

/** Reads the settings as they are stored now. */
export function fetchSettings(signal?: AbortSignal): Promise<SettingsSnapshot> {
  return systemApi.GET('/v1/admin/settings', { signal }).then(dataOf);
}

/** The stored settings. Read again when the admin comes back to the tab, so that another tab's change shows early. */
export function useSettings() {
  return useQuery({
    queryKey: settingsKey,
    queryFn: ({ signal }) => fetchSettings(signal),
    staleTime: 10_000,
    refetchOnWindowFocus: 'always',
  });
}

/**
 * Changes the settings made from version; a 409 ApiError when someone
 * changed them since, a 422 one naming each invalid field.
 */
export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ patch, version }: { patch: SettingsPatch; version: number }) =>
      dataOf(await systemApi.PATCH('/v1/admin/settings', { params: { header: { 'If-Match': `"${version}"` } }, body: patch })),
    onSuccess: (snapshot) => queryClient.setQueryData(settingsKey, snapshot),
  });
}

/** The settings read again now (after a conflict), also put in the cache. */
export function useRefreshSettings() {
  const queryClient = useQueryClient();
  return () => queryClient.fetchQuery({ queryKey: settingsKey, queryFn: ({ signal }) => fetchSettings(signal), staleTime: 0 });
}

/** The invitations, newest first, a page at a time. */
export function useInvites() {
  return useInfiniteQuery({
    queryKey: invitesKey,
    queryFn: async ({ pageParam, signal }) =>
      dataOf(await systemApi.GET('/v1/admin/invites', { params: { query: { limit: 20, cursor: pageParam || undefined } }, signal })),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_cursor || undefined,
  });
}

/** Makes an invitation; its link is in the answer only. */
export function useCreateInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: InviteRequest) => dataOf(await systemApi.POST('/v1/admin/invites', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitesKey }),
  });
}

/** Withdraws an unused invitation. */
export function useRevokeInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      dataOf(await systemApi.DELETE('/v1/admin/invites/{id}', { params: { path: { id } } }));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: invitesKey }),
  });
}
