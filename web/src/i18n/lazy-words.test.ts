import { describe, expect, it } from 'vitest';
import i18n from './index';

describe('words loaded as they are needed', () => {
  it('has the words of every page, and of the first one, at once', () => {
    expect(i18n.isInitialized).toBe(true);
    expect(i18n.hasLoadedNamespace('common')).toBe(true);
    expect(i18n.hasLoadedNamespace('discover')).toBe(true);
    expect(i18n.t('common:appName')).toBe('Dharma Plans');
  });

  it("loads a feature's words when a page first asks for them", async () => {
    expect(i18n.hasLoadedNamespace('settings')).toBe(false);
    await i18n.loadNamespaces('settings');
    expect(i18n.t('settings:title')).toBe('Settings');
  });

  it('switches language with the words already loaded, in the new language', async () => {
    await i18n.loadNamespaces('auth');
    await i18n.changeLanguage('vi');
    expect(i18n.t('auth:signIn.title')).toBe('Đăng nhập');
    expect(i18n.t('settings:title')).toBe('Cài đặt');
    await i18n.changeLanguage('en');
  });
});
