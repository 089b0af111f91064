// Users and authors, as administrators look after them.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { dataOf } from '../../api/problem';
import type { components } from '../../api/schema';

export type AdminUser = components['schemas']['AdminUserBody'];
export type AdminAuthor = components['schemas']['AdminAuthorBody'];
export type AuthorFields = components['schemas']['AuthorFields'];
export type Role = AdminUser['role'];
export type Tradition = AdminAuthor['tradition'];

export const roles: readonly Role[] = ['user', 'author', 'admin'];
export const traditions: readonly Tradition[] = ['theravada', 'mahayana', 'zen', 'vajrayana', 'pure_land', 'secular', 'other'];

/** A user with how many sessions they have and when they were last seen (GET /v1/admin/users/{id}). */
export type AdminUserDetail = components['schemas']['AdminUserDetailBody'];

export const peopleKeys = {
  users: ['admin', 'users'] as const,
  userList: (q: string) => ['admin', 'users', 'list', q] as const,
  user: (id: string) => ['admin', 'users', 'one', id] as const,
  authors: ['admin', 'authors'] as const,
  authorList: (q: string) => ['admin', 'authors', 'list', q] as const,
  author: (id: string) => ['admin', 'authors', 'one', id] as const,
  audit: ['admin', 'audit'] as const,
};

/** Users whose email or name contains q, a page at a time. */
export function useUsers(q: string, limit = 50) {
  return useInfiniteQuery({
    queryKey: [...peopleKeys.userList(q), limit],
    queryFn: async ({ pageParam, signal }) =>
      dataOf(await api.GET('/v1/admin/users', { params: { query: { q: q || undefined, cursor: pageParam, limit } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor || undefined,
    placeholderData: keepPreviousData,
  });
}

/** One user, with how many sessions they have and when they were last seen. */
export function useUser(id: string | undefined) {
  return useQuery({
    queryKey: peopleKeys.user(id ?? ''),
    enabled: !!id,
    queryFn: async ({ signal }) => dataOf(await api.GET('/v1/admin/users/{id}', { params: { path: { id: id! } }, signal })),
  });
}

/** Changes a user's role or disables or enables the account. */
export function useUpdateUser(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { role?: Role; disabled?: boolean }) =>
      dataOf(await api.PATCH('/v1/admin/users/{id}', { params: { path: { id } }, body })),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: peopleKeys.users }),
        queryClient.invalidateQueries({ queryKey: peopleKeys.audit }),
      ]);
    },
  });
}

/** Signs a user out everywhere; answers how many sessions ended. */
export function useRevokeSessions(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => dataOf(await api.DELETE('/v1/admin/users/{id}/sessions', { params: { path: { id } } })),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: peopleKeys.user(id) }),
        queryClient.invalidateQueries({ queryKey: peopleKeys.audit }),
      ]);
    },
  });
}

/** Authors whose name contains q, a page at a time. */
export function useAuthors(q: string) {
  return useInfiniteQuery({
    queryKey: peopleKeys.authorList(q),
    queryFn: async ({ pageParam, signal }) =>
      dataOf(await api.GET('/v1/admin/authors', { params: { query: { q: q || undefined, cursor: pageParam, limit: 50 } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor || undefined,
    placeholderData: keepPreviousData,
  });
}

/** One author, for editing. */
export function useAuthor(id: string | undefined) {
  return useQuery({
    queryKey: peopleKeys.author(id ?? ''),
    enabled: !!id,
    queryFn: async ({ signal }) => dataOf(await api.GET('/v1/admin/authors/{id}', { params: { path: { id: id! } }, signal })),
  });
}

function useAuthorChanged() {
  const queryClient = useQueryClient();
  return async (author?: AdminAuthor) => {
    if (author) queryClient.setQueryData(peopleKeys.author(author.id), author);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: [...peopleKeys.authors, 'list'] }),
      queryClient.invalidateQueries({ queryKey: peopleKeys.audit }),
      // The studio offers authors to name on plans.
      queryClient.invalidateQueries({ queryKey: ['studio'] }),
    ]);
  };
}

/** Adds an author (id undefined) or changes one. */
export function useSaveAuthor(id: string | undefined) {
  const changed = useAuthorChanged();
  return useMutation({
    mutationFn: async (body: AuthorFields) =>
      id
        ? dataOf(await api.PATCH('/v1/admin/authors/{id}', { params: { path: { id } }, body }))
        : dataOf(await api.POST('/v1/admin/authors', { body })),
    onSuccess: (author) => changed(author),
  });
}

/**
 * Deletes an author no plan names (409 otherwise). The author's own page
 * is left to the caller, which leaves it (then forget(id)): fetching it
 * again while it is still shown would only find it gone.
 */
export function useDeleteAuthor(id: string) {
  const changed = useAuthorChanged();
  return useMutation({
    mutationFn: async () => dataOf(await api.DELETE('/v1/admin/authors/{id}', { params: { path: { id } } })),
    onSuccess: () => changed(),
  });
}

/** Forgets a deleted author's page. */
export function useForgetAuthor() {
  const queryClient = useQueryClient();
  return (id: string) => queryClient.removeQueries({ queryKey: peopleKeys.author(id) });
}
