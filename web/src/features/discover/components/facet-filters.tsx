import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../../api/schema';
import { filterNames, type FilterName, type Filters } from '../search-params';

type Facets = components['schemas']['FacetsBody'];

// The facet of each filter, by the names of the API's facets.
const facetOf: Record<FilterName, keyof Facets> = { tradition: 'tradition', level: 'level', length: 'length', language: 'language' };

interface FacetFiltersProps {
  /** The facets of the first page of the list; undefined until it has come. */
  facets: Facets | undefined;
  filters: Filters;
  onChange: (name: FilterName, value: string | undefined) => void;
  onClear: () => void;
}

/** A choice per facet, each value with how many plans choosing it shows. */
export function FacetFilters({ facets, filters, onChange, onClear }: FacetFiltersProps) {
  const { t } = useTranslation('discover');
  const label = useFacetLabel();
  const chosen = filterNames.some((name) => filters[name]);
  return (
    <fieldset className="mt-4">
      <legend className="sr-only">{t('filters.label')}</legend>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {filterNames.map((name) => {
          const values = facets?.[facetOf[name]] ?? [];
          const current = filters[name];
          const options = current && !values.some((v) => v.value === current) ? [...values, { value: current, plans: 0 }] : values;
          return (
            <FilterSelect
              key={name}
              label={t(`filters.${name}`)}
              value={current ?? ''}
              disabled={!facets}
              onChange={(value) => onChange(name, value || undefined)}
              options={options.map((v) => ({ value: v.value, text: t('filters.option', { label: label(name, v.value), count: v.plans }) }))}
            />
          );
        })}
      </div>
      {chosen && (
        <button type="button" onClick={onClear} className="mt-3 text-sm text-accent underline underline-offset-4 hover:no-underline">
          {t('filters.clear')}
        </button>
      )}
    </fieldset>
  );
}

interface FilterSelectProps {
  label: string;
  value: string;
  disabled: boolean;
  options: { value: string; text: string }[];
  onChange: (value: string) => void;
}

function FilterSelect({ label, value, disabled, options, onChange }: FilterSelectProps) {
  const { t } = useTranslation('discover');
  const id = useId();
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="block text-sm font-medium text-muted">
        {label}
      </label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        className={`mt-1 block h-11 w-full truncate rounded-lg border bg-surface px-3 text-base disabled:opacity-60 ${
          value ? 'border-accent font-medium text-ink' : 'border-ink/20'
        }`}
      >
        <option value="">{t('filters.any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The words for a filter's value: a tradition's name, a length, a language in the reader's language. */
function useFacetLabel() {
  const { t, i18n } = useTranslation('discover');
  return (name: FilterName, value: string): string => {
    switch (name) {
      case 'tradition':
        return t(`common:catalog.tradition.${value}`, { defaultValue: value });
      case 'level':
        return t(`common:catalog.level.${value}`, { defaultValue: value });
      case 'length':
        return t(`filters.lengths.${value}`, { defaultValue: t('filters.lengthDays', { value }) });
      case 'language':
        // Our own words for the usual languages: the browser's names of
        // languages cost a slow first lookup (tens of milliseconds on a
        // phone) that Discover's first paint should not wait for.
        return t(`filters.languages.${value}`, { defaultValue: '' }) || languageName(value, i18n.language);
    }
  };
}

function languageName(tag: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag; // a tag Intl cannot read
  }
}
