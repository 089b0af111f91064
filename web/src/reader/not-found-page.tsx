import { useTranslation } from 'react-i18next';
import { MessagePage } from '../components/message-page';

/** Any path the reader has no page for. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return <MessagePage title={t('notFound.title')} body={t('notFound.body')} to="/" link={t('notFound.home')} />;
}
