import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthCard } from './auth-card';

/** An emailed link that cannot work: cut short, used already or expired; children offer a way on. */
export function LinkProblem({ title, problem, children }: { title: string; problem: 'incomplete' | 'expired'; children: ReactNode }) {
  const { t } = useTranslation('auth');
  return (
    <AuthCard title={title} focusTitle>
      <p role="alert" className="text-danger">
        {t(`link.${problem}`)}
      </p>
      <div className="mt-6">{children}</div>
    </AuthCard>
  );
}
