import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import commonEn from '../../i18n/locales/en/common.json';
import auditEn from '../../i18n/locales/en/audit.json';
import auditVi from '../../i18n/locales/vi/audit.json';
import commonVi from '../../i18n/locales/vi/common.json';
import type { AuditEntry } from './api';
import { describeEntry, entryNote, noteLength } from './entry-words';

const i18n = i18next.createInstance();

beforeAll(async () => {
  await i18n.init({
    lng: 'en',
    fallbackLng: 'en',
    resources: { en: { audit: auditEn, common: commonEn }, vi: { audit: auditVi, common: commonVi } },
    interpolation: { escapeValue: false },
  });
});

function entry(action: string, target: Partial<AuditEntry['target']>, details: Record<string, unknown> = {}): AuditEntry {
  return {
    id: 'e1',
    at: '2026-03-03T07:05:09Z',
    actor: { id: 'u1', label: 'abbot@example.org' },
    action,
    target: { type: action.split('.')[0]!, id: 'x1', label: '', ...target },
    details,
  };
}

const en = () => i18n.getFixedT('en');

describe('describeEntry', () => {
  it('tells a role change with both roles in words', () => {
    const e = entry('user.role_changed', { label: 'a@b.org' }, { role: { from: 'user', to: 'author' } });
    expect(describeEntry(e, en())).toBe('changed the role of a@b.org from Reader to Author');
  });

  it('tells accounts disabled, enabled and signed out, counting sessions', () => {
    expect(describeEntry(entry('user.disabled', { label: 'a@b.org' }), en())).toBe('disabled the account of a@b.org');
    expect(describeEntry(entry('user.enabled', { label: 'a@b.org' }), en())).toBe('enabled the account of a@b.org');
    expect(describeEntry(entry('user.sessions_revoked', { label: 'a@b.org' }, { count: 1 }), en())).toBe('signed a@b.org out everywhere (1 session)');
    expect(describeEntry(entry('user.sessions_revoked', { label: 'a@b.org' }, { count: 3 }), en())).toBe('signed a@b.org out everywhere (3 sessions)');
  });

  it('quotes the note of a plan sent back, cut when long', () => {
    const e = entry('plan.rejected', { label: 'Metta week' }, { revision: 2, note: 'Add a day\nof rest.' });
    expect(describeEntry(e, en())).toBe('sent back “Metta week”: Add a day of rest.');
    const long = 'word '.repeat(200);
    const words = describeEntry(entry('plan.rejected', { label: 'Metta week' }, { note: long }), en());
    expect(words.endsWith('…')).toBe(true);
    expect(words.length).toBeLessThan(noteLength + 40);
    expect(entryNote(entry('plan.rejected', { label: 'Metta week' }, { note: long }))).toBe(long);
  });

  it('tells publishing with its revision, and bringing back an archived plan', () => {
    expect(describeEntry(entry('plan.published', { label: 'Metta week' }, { revision: 3 }), en())).toBe('published “Metta week” (revision 3)');
    expect(describeEntry(entry('plan.published', { label: 'Metta week' }, { revision: 3, restored: true }), en())).toBe(
      'brought “Metta week” back to the catalogue',
    );
    expect(describeEntry(entry('plan.archived', { label: 'Metta week' }), en())).toBe('archived “Metta week”');
  });

  it('lists what changed in an author: names and traditions before and after, the rest named', () => {
    const e = entry(
      'author.updated',
      { label: 'Ajahn Chah' },
      { changed: ['name', 'bio', 'tradition', 'user_id'], name: { from: 'Ajahn Cha', to: 'Ajahn Chah' }, tradition: { from: 'other', to: 'theravada' }, user_id: { from: '', to: 'u9' } },
    );
    expect(describeEntry(e, en())).toBe(
      'changed the author Ajahn Chah: name from “Ajahn Cha” to “Ajahn Chah”; biography; tradition from Other traditions to Theravāda; linked account',
    );
    expect(describeEntry(entry('author.created', { label: 'Ayya Khema' }, { changed: ['name'], name: { to: 'Ayya Khema' } }), en())).toBe('added the author Ayya Khema');
    expect(describeEntry(entry('author.deleted', { label: 'Ayya Khema' }), en())).toBe('deleted the author Ayya Khema');
  });

  it('tells settings changes field by field, switches as on and off', () => {
    const e = entry(
      'settings.changed',
      { label: 'System settings, version 4', id: 'site' },
      { site_name: { from: 'Dharma Plans', to: 'Sangha Plans' }, 'features.journal': { from: true, to: false }, 'rate_limits.login_per_ip': { from: { rate: 10, period: '1m' }, to: { rate: 5, period: '1m' } } },
    );
    expect(describeEntry(e, en())).toBe(
      'changed the system settings: site name from “Dharma Plans” to “Sangha Plans”; feature journal from on to off; rate limit login_per_ip from 10 per minute to 5 per minute',
    );
  });

  it('tells invitations with whom and until when', () => {
    const date = (iso: string) => iso.slice(0, 10);
    expect(describeEntry(entry('invite.created', { label: 'Invitation for a@b.org' }, { email: 'a@b.org', expires_at: '2026-04-01T00:00:00Z' }), en(), date)).toBe(
      'invited a@b.org (valid until 2026-04-01)',
    );
    expect(describeEntry(entry('invite.created', { label: 'Invitation for anyone' }, { expires_at: '2026-04-01T00:00:00Z' }), en(), date)).toBe(
      'created an invitation for anyone (valid until 2026-04-01)',
    );
    expect(describeEntry(entry('invite.revoked', { label: 'Invitation for a@b.org' }), en())).toBe('withdrew the Invitation for a@b.org');
  });

  it('still says something for an action it does not know, or a target without a label', () => {
    expect(describeEntry(entry('media.deleted', { label: 'bell.mp3' }), en())).toBe('media.deleted on bell.mp3');
    expect(describeEntry(entry('user.disabled', { label: '', id: 'u7' }), en())).toBe('disabled the account of u7');
  });

  it('speaks Vietnamese too', () => {
    const e = entry('user.role_changed', { label: 'a@b.org' }, { role: { from: 'user', to: 'admin' } });
    expect(describeEntry(e, i18n.getFixedT('vi'))).toBe('đổi vai trò của a@b.org từ Người đọc thành Quản trị viên');
  });
});
