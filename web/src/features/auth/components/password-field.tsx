import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../../components/form';

/** A password field with a "show password" switch, for typing long passwords on a phone. */
export function PasswordField(props: { label: string; name: string; autoComplete: string; error?: string; hint?: string; autoFocus?: boolean }) {
  const { t } = useTranslation('auth');
  const [shown, setShown] = useState(false);
  const id = useId();
  return (
    <div>
      <Field {...props} type={shown ? 'text' : 'password'} spellCheck={false} autoCapitalize="off" />
      <label htmlFor={id} className="mt-2 inline-flex cursor-pointer items-center gap-2 text-sm text-muted">
        <input id={id} type="checkbox" checked={shown} onChange={(e) => setShown(e.target.checked)} className="size-4 accent-accent" />
        {t('showPassword')}
      </label>
    </div>
  );
}
