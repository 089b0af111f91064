// The system settings and the invitations: /v1/admin/settings and
// /v1/admin/invites.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { dataOf } from '../../api/problem';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

/** The system settings: the schema names each rate limit and feature flag (settings-form handles them by name). */
export type SystemSettings = Schemas['SystemSettingsBody'];
export type Registration = SystemSettings['registration'];

/** A rate limit: rate attempts per period. */
export type Rate = Schemas['RateBody'];
export type Period = Rate['period'];

/** The settings with their version (also the ETag). */
export type SettingsSnapshot = Schemas['SystemSettingsAdminBody'];

/** A change to the settings: absent fields stay as they are. */
export type SettingsPatch = Schemas['PatchSystemSettingsInputBody'];

/** An invitation as admins see it afterwards: never its code. */
export type Invite = Schemas['InviteBody'];
export type InviteStatus = Invite['status'];

/** An invitation just made, with its code and link: shown this once. */
export type NewInvite = Schemas['NewInviteBody'];

export type InviteRequest = Schemas['CreateInviteInputBody'];

const settingsKey = ['admin', 'settings'] as const;
const invitesKey = ['admin', 'invites'] as const;

/** Reads the settings as they are stored now. */
export function fetchSettings(signal?: AbortSignal): Promise<SettingsSnapshot> {
  return api.GET('/v1/admin/settings', { signal }).then(dataOf);
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
      dataOf(await api.PATCH('/v1/admin/settings', { params: { header: { 'If-Match': `"${version}"` } }, body: patch })),
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
      dataOf(await api.GET('/v1/admin/invites', { params: { query: { limit: 20, cursor: pageParam || undefined } }, signal })),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_cursor || undefined,
  });
}

/** Makes an invitation; its link is in the answer only. */
export function useCreateInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: InviteRequest) => dataOf(await api.POST('/v1/admin/invites', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitesKey }),
  });
}

/** Withdraws an unused invitation. */
export function useRevokeInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      dataOf(await api.DELETE('/v1/admin/invites/{id}', { params: { path: { id } } }));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: invitesKey }),
  });
}
