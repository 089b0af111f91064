import { useTranslation } from 'react-i18next';
import { buttonStyle } from '../../../components/form';
import { Spinner } from '../../../components/spinner';
import { problemWords } from '../../../lib/problem-words';
import { useExport } from '../api/use-export';
import { Section } from './section';

/** Downloading everything the server holds about the person. */
export function DataSection() {
  const { t } = useTranslation('settings');
  const download = useExport();
  return (
    <Section title={t('data.title')} intro={t('data.intro')}>
      <button
        type="button"
        onClick={() => !download.isPending && download.mutate()}
        aria-disabled={download.isPending || undefined}
        className={buttonStyle('quiet')}
      >
        {download.isPending && <Spinner />}
        {download.isPending ? t('data.exporting') : t('data.export')}
      </button>
      {download.isError && (
        <p role="alert" className="mt-2 text-sm text-danger">
          {problemWords(download.error, t)}
        </p>
      )}
    </Section>
  );
}
