// The plan's metadata: what readers see on its page and in the catalogue.
import { useTranslation } from 'react-i18next';
import { MediaPicker } from '../media/media-picker';
import { levels, traditions } from './api';
import { AuthorsField } from './authors-field';
import { useEditor } from './editor-context';
import { MarkdownField, SelectField, TextField } from './fields';
import { StartDatesField } from './start-dates-field';
import { parseTopics, suggestedSlug } from './words';

export function PlanDetails() {
  const { t } = useTranslation('studio');
  const { session, snapshot } = useEditor();
  const plan = snapshot.plan;
  const errors = session.planErrors();
  const value = <V,>(field: string, saved: V): V => session.value(`plan.${field}`, field, saved);
  const edit = (field: string) => (v: unknown) => session.editPlan(field, v);
  const commit = () => session.flush();
  // A choice (not typing) is saved at once.
  const choose = (field: string) => (v: unknown) => {
    session.editPlan(field, v);
    session.flush();
  };
  const slugFixed = !!plan.first_published_at;
  const freeSlug = suggestedSlug(errors.slug);
  const authorIds = value<string[]>('author_ids', (plan.authors ?? []).map((a) => a.id));
  const coverId = value<string>('cover_media_id', plan.cover_media_id ?? '');

  return (
    <div className="space-y-5">
      <TextField
        label={t('field.title')}
        name="title"
        value={value('title', plan.title)}
        onEdit={edit('title')}
        onCommit={commit}
        error={errors.title}
        required
        maxLength={1000}
      />
      <TextField
        label={t('field.subtitle')}
        name="subtitle"
        value={value('subtitle', plan.subtitle)}
        onEdit={edit('subtitle')}
        onCommit={commit}
        error={errors.subtitle}
        maxLength={1000}
      />
      <TextField
        label={t('field.slug')}
        name="slug"
        value={value('slug', plan.slug)}
        onEdit={edit('slug')}
        onCommit={commit}
        error={errors.slug}
        hint={slugFixed ? t('details.slugFixed') : t('details.slugHint')}
        readOnly={slugFixed}
        spellCheck={false}
        autoCapitalize="none"
      />
      {freeSlug && (
        <button type="button" onClick={() => choose('slug')(freeSlug)} className="-mt-3 text-sm text-accent underline underline-offset-4">
          {t('create.useFree', { slug: freeSlug })}
        </button>
      )}
      <MarkdownField
        label={t('field.description')}
        name="description"
        value={value('description', plan.description)}
        onEdit={edit('description')}
        onCommit={commit}
        error={errors.description}
        hint={t('details.descriptionHint')}
        rows={8}
      />
      <div className="grid gap-5 sm:grid-cols-2">
        <SelectField
          label={t('field.tradition')}
          value={value('tradition', plan.tradition)}
          options={traditions.map((x) => ({ value: x, label: t(`tradition.${x}`) }))}
          onEdit={choose('tradition')}
          error={errors.tradition}
        />
        <SelectField
          label={t('field.level')}
          value={value('level', plan.level)}
          options={levels.map((x) => ({ value: x, label: t(`level.${x}`) }))}
          onEdit={choose('level')}
          error={errors.level}
        />
      </div>
      <TextField
        label={t('field.language')}
        name="language"
        value={value('language', plan.language)}
        onEdit={edit('language')}
        onCommit={commit}
        error={errors.language}
        hint={t('details.languageHint')}
        spellCheck={false}
        autoCapitalize="none"
        className="max-w-xs"
      />
      <TextField
        label={t('field.topics')}
        name="topics"
        value={value<string[]>('topics', plan.topics ?? []).join(', ')}
        onEdit={(text) => session.editPlan('topics', parseTopics(text))}
        onCommit={commit}
        error={errors.topics}
        hint={t('details.topicsHint')}
      />
      <AuthorsField ids={authorIds} known={plan.authors ?? []} onEdit={choose('author_ids')} error={errors.author_ids} />
      <MediaPicker
        label={t('field.cover_media_id')}
        kind="image"
        value={coverId || null}
        media={coverId !== '' && coverId === plan.cover_media_id ? (plan.cover ?? null) : null}
        onChange={(id) => choose('cover_media_id')(id ?? '')}
        error={errors.cover_media_id}
        hint={t('details.coverHint')}
      />
      <StartDatesField
        dates={value<string[]>('fixed_start_dates', plan.fixed_start_dates ?? [])}
        onEdit={choose('fixed_start_dates')}
        error={errors.fixed_start_dates}
      />
    </div>
  );
}
