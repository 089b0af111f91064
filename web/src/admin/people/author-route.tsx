import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/problem';
import { buttonStyle, Field, FormMessage, SubmitButton, useForm } from '../../components/form';
import { PageSkeleton } from '../../components/page-skeleton';
import { QueryError } from '../../components/query-error';
import { fieldErrors, problemWords } from '../../lib/problem-words';
import { MarkdownEditor } from '../markdown/markdown-editor';
import { MediaPicker } from '../media/media-picker';
import { traditions, useAuthor, useDeleteAuthor, useForgetAuthor, useSaveAuthor, type AdminAuthor, type Tradition } from './api';
import type { AuthorsState } from './authors-route';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { linkStyle } from './ui';
import { UserPicker } from './user-picker';

/** What the page says after it saved, carried across the move from /authors/new to the new author's page. */
interface AuthorState {
  message?: string;
}

/** /admin/authors/:id (and /admin/authors/new): an author's name, tradition, biography, photo and account. */
export function Component() {
  const { id = '' } = useParams();
  const isNew = id === 'new';
  const { t } = useTranslation('people');
  const { t: ta } = useTranslation('admin');
  const author = useAuthor(isNew ? undefined : id);

  const back = (
    <p>
      <Link to="/authors" className={linkStyle}>
        {t('author.back')}
      </Link>
    </p>
  );
  if (!isNew && author.isPending) return <PageSkeleton />;
  if (!isNew && author.isError) {
    const missing = author.error instanceof ApiError && author.error.status === 404;
    return (
      <section>
        <title>{`${t('authors.title')} · ${ta('name')}`}</title>
        {back}
        {missing ? (
          <>
            <h1 className="mt-4 font-serif text-3xl">{t('author.missingTitle')}</h1>
            <p className="mt-3 text-muted">{t('author.missingBody')}</p>
          </>
        ) : (
          <div className="mt-4">
            <QueryError error={author.error} onRetry={() => void author.refetch()} />
          </div>
        )}
      </section>
    );
  }
  const heading = isNew ? t('author.newTitle') : author.data!.name;
  return (
    <article aria-labelledby="author-title">
      <title>{`${heading} · ${ta('name')}`}</title>
      {back}
      <h1 id="author-title" className="mt-4 font-serif text-3xl">
        {heading}
      </h1>
      {/* A new form for each author, so that its fields start from that author. */}
      <AuthorForm key={author.data?.id ?? 'new'} author={isNew ? undefined : author.data} />
      {!isNew && author.data && <DeleteAuthor author={author.data} />}
    </article>
  );
}

function AuthorForm({ author }: { author?: AdminAuthor }) {
  const { t } = useTranslation('people');
  const { t: tc } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const save = useSaveAuthor(author?.id);
  const traditionId = useId();
  const [name, setName] = useState(author?.name ?? '');
  const [tradition, setTradition] = useState<Tradition>(author?.tradition ?? 'other');
  const [bio, setBio] = useState(author?.bio ?? '');
  const [photo, setPhoto] = useState<string | null>(author?.photo_media_id || null);
  const [userId, setUserId] = useState<string | null>(author?.user_id || null);

  // "Saved", announced; also after the move from /authors/new.
  const sent = (location.state as AuthorState | null)?.message;
  const [message, setMessage] = useState('');
  useEffect(() => setMessage(sent ?? ''), [sent]);

  const form = useForm(
    async () => {
      setMessage('');
      const saved = await save.mutateAsync({
        name: name.trim(),
        tradition,
        bio,
        photo_media_id: photo ?? '',
        user_id: userId ?? '',
      });
      if (!author) {
        await navigate(`/authors/${saved.id}`, { replace: true, state: { message: t('author.created', { name: saved.name }) } satisfies AuthorState });
      } else {
        setMessage(t('author.saved'));
      }
    },
    {
      validate: (): Record<string, string> => (name.trim() ? {} : { name: t('author.nameRequired') }),
      explain: (error) => ({ fields: fieldErrors(error), message: problemWords(error, t) }),
    },
  );
  const errors = form.errors;

  return (
    <form ref={form.ref} onSubmit={form.onSubmit} noValidate className="mt-6 max-w-3xl space-y-6">
      <p role="status" className="rounded-lg border border-accent/30 bg-accent/10 px-4 py-3 empty:hidden">
        {message}
      </p>
      <FormMessage>{form.message}</FormMessage>
      <Field label={t('author.name')} name="name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} required autoComplete="off" />
      <div>
        <label htmlFor={traditionId} className="block font-medium">
          {t('author.tradition')}
        </label>
        <select
          id={traditionId}
          name="tradition"
          value={tradition}
          onChange={(e) => setTradition(e.target.value as Tradition)}
          aria-invalid={errors.tradition ? true : undefined}
          aria-describedby={errors.tradition ? `${traditionId}-error` : undefined}
          className={`mt-1.5 block rounded-lg border bg-surface px-3 py-2.5 text-base ${errors.tradition ? 'border-danger' : 'border-ink/30'}`}
        >
          {traditions.map((tr) => (
            <option key={tr} value={tr}>
              {tc(`catalog.tradition.${tr}`)}
            </option>
          ))}
        </select>
        {errors.tradition && (
          <p id={`${traditionId}-error`} className="mt-1.5 text-sm text-danger">
            {errors.tradition}
          </p>
        )}
      </div>
      <MarkdownEditor label={t('author.bio')} name="bio" value={bio} onChange={setBio} error={errors.bio} rows={10} hint={t('author.bioHint')} />
      <div>
        <MediaPicker
          label={t('author.photo')}
          kind="image"
          value={photo}
          media={author && photo === (author.photo_media_id || null) ? (author.photo ?? null) : null}
          onChange={setPhoto}
          error={errors.photo_media_id}
          hint={t('author.photoHint')}
        />
        {/* Names the field for the form, so that the server's error about it is placed here. */}
        <input type="hidden" name="photo_media_id" value={photo ?? ''} />
      </div>
      <div>
        <UserPicker
          label={t('author.account')}
          value={userId}
          onChange={(u) => setUserId(u?.id ?? null)}
          clear={t('author.unlink')}
          error={errors.user_id}
          hint={t('author.accountHint')}
        />
        <input type="hidden" name="user_id" value={userId ?? ''} />
      </div>
      <SubmitButton pending={form.pending}>{author ? t('author.save') : t('author.create')}</SubmitButton>
    </form>
  );
}

function DeleteAuthor({ author }: { author: AdminAuthor }) {
  const { t } = useTranslation('people');
  const navigate = useNavigate();
  const remove = useDeleteAuthor(author.id);
  const forget = useForgetAuthor();
  const [confirming, setConfirming] = useState(false);
  const id = useId();
  const problem = remove.isError ? problemWords(remove.error, t, { 409: t('author.deleteConflict') }) : undefined;

  return (
    <section aria-labelledby={`${id}-title`} className="mt-12 max-w-3xl rounded-xl border border-danger/30 p-5">
      <h2 id={`${id}-title`} className="font-serif text-2xl">
        {t('author.deleteTitle')}
      </h2>
      <p className="mt-1 text-muted">{t('author.deleteHint')}</p>
      <button
        type="button"
        onClick={() => {
          remove.reset();
          setConfirming(true);
        }}
        aria-describedby={problem ? `${id}-error` : undefined}
        className={`mt-3 ${buttonStyle('danger')}`}
      >
        {t('author.delete')}
      </button>
      {problem && (
        <p id={`${id}-error`} role="alert" className="mt-2 text-danger">
          {problem}
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('author.deleteConfirmTitle', { name: author.name })}
        body={t('author.deleteConfirmBody')}
        confirm={t('author.delete')}
        cancel={t('cancel')}
        danger
        pending={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () =>
              void Promise.resolve(navigate('/authors', { state: { message: t('author.deleted', { name: author.name }) } satisfies AuthorsState })).then(() =>
                forget(author.id),
              ),
            onSettled: () => setConfirming(false),
          })
        }
      />
    </section>
  );
}
