import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  readingSizes,
  setReadingSize,
  setTheme,
  storedReadingSize,
  storedTheme,
  themes,
  type ReadingSize,
  type Theme,
} from '../../../lib/device-preferences';
import { ChoiceGroup } from './choice-group';
import { Section } from './section';

/** A swatch of a theme's paper and ink; "like this device" shows light and dark side by side. */
function Swatch({ theme }: { theme: Theme }) {
  const shown = theme === 'system' ? ['light', 'dark'] : [theme];
  return (
    <span aria-hidden="true" className="flex h-12 w-full overflow-hidden rounded-lg border border-ink/15 font-serif text-lg">
      {shown.map((name) => (
        <span key={name} data-theme={name} className="flex flex-1 items-center justify-center bg-paper text-ink">
          Aa
        </span>
      ))}
    </span>
  );
}

const sampleSize: Record<ReadingSize, string> = {
  small: 'text-base',
  medium: 'text-lg',
  large: 'text-xl',
  largest: 'text-2xl',
};

/** Theme and reading size: this device's, applied at once. */
export function AppearanceSection() {
  const { t } = useTranslation('settings');
  const [theme, chooseTheme] = useState(storedTheme);
  const [size, chooseSize] = useState(storedReadingSize);

  return (
    <Section title={t('appearance.title')} intro={t('keptOnDevice')}>
      <div className="space-y-7">
        <ChoiceGroup
          legend={t('appearance.theme')}
          name="theme"
          value={theme}
          onChange={(value) => {
            chooseTheme(value);
            setTheme(value);
          }}
          choices={themes.map((value) => ({ value, label: t(`appearance.themes.${value}`), preview: <Swatch theme={value} /> }))}
        />
        <div>
          <ChoiceGroup
            legend={t('appearance.readingSize')}
            name="reading-size"
            value={size}
            onChange={(value) => {
              chooseSize(value);
              setReadingSize(value);
            }}
            choices={readingSizes.map((value) => ({
              value,
              label: t(`appearance.sizes.${value}`),
              preview: (
                <span aria-hidden="true" className={`font-serif leading-none ${sampleSize[value]}`}>
                  Aa
                </span>
              ),
            }))}
          />
          <p className="mt-4 rounded-xl bg-paper px-4 py-3 font-serif text-reading">{t('appearance.sample')}</p>
        </div>
      </div>
    </Section>
  );
}
