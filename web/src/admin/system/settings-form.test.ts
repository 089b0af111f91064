import { describe, expect, it } from 'vitest';
import type { SystemSettings } from './api';
import {
  boundsOf,
  changes,
  collisions,
  fieldNames,
  formChanges,
  formOf,
  inviteBody,
  isDirty,
  patchOf,
  rebase,
  settingsOf,
  validate,
  validateInvite,
  type SettingsForm,
} from './settings-form';

/** The settings of a site nobody configured, as GET /v1/admin/settings gives them. */
function stored(): SystemSettings {
  return {
    site_name: 'Dharma Plans',
    registration: 'open',
    default_reminder_hour: 7,
    default_grace_days: 1,
    rate_limits: {
      login_per_ip: { rate: 30, period: '1m' },
      login_per_account: { rate: 10, period: '1m' },
      register_per_ip: { rate: 10, period: '1h' },
      refresh_per_ip: { rate: 300, period: '1m' },
      reset_per_ip: { rate: 10, period: '1h' },
    },
    features: { recommendations: true, search_suggestions: true, journal: true },
  };
}

function edit(f: (form: SettingsForm) => void, from = stored()): SettingsForm {
  const form = formOf(from);
  f(form);
  return form;
}

describe('validate', () => {
  it('finds nothing wrong with the stored settings', () => {
    expect(validate(formOf(stored()))).toEqual({});
  });

  it('reports every problem at once, by the field names the server uses', () => {
    const form = edit((f) => {
      f.site_name = '   ';
      f.default_reminder_hour = 24;
      f.default_grace_days = -1;
      f.rate_limits.login_per_ip!.rate = '0';
      f.rate_limits.reset_per_ip!.rate = '';
      f.rate_limits.refresh_per_ip!.rate = '2.5';
      f.rate_limits.register_per_ip!.rate = '10001';
    });
    expect(validate(form)).toEqual({
      site_name: { code: 'required' },
      default_reminder_hour: { code: 'range', min: 0, max: 23 },
      default_grace_days: { code: 'range', min: 0, max: 3 },
      'rate_limits.login_per_ip.rate': { code: 'range', min: 1, max: 10000 },
      'rate_limits.reset_per_ip.rate': { code: 'required' },
      'rate_limits.refresh_per_ip.rate': { code: 'whole' },
      'rate_limits.register_per_ip.rate': { code: 'range', min: 1, max: 10000 },
    });
  });

  it('counts a site name in characters, as the server does, and refuses line breaks', () => {
    expect(validate(edit((f) => (f.site_name = 'ā'.repeat(100))))).toEqual({});
    expect(validate(edit((f) => (f.site_name = 'ā'.repeat(101))))).toEqual({ site_name: { code: 'tooLong', max: 100 } });
    expect(validate(edit((f) => (f.site_name = 'Chùa\nTừ Hiếu'))).site_name).toEqual({ code: 'control' });
  });

  it('accepts the bounds themselves', () => {
    const form = edit((f) => {
      f.default_reminder_hour = 0;
      f.default_grace_days = 3;
      f.rate_limits.login_per_ip!.rate = '10000';
      f.rate_limits.login_per_account!.rate = ' 1 ';
    });
    expect(validate(form)).toEqual({});
  });
});

describe('changes and the PATCH body', () => {
  it('are empty when nothing changed, even with a space typed after the name', () => {
    const form = edit((f) => (f.site_name = 'Dharma Plans  '));
    expect(formChanges(stored(), form)).toEqual([]);
    expect(patchOf(stored(), form)).toEqual({});
    expect(isDirty(stored(), form)).toBe(false);
  });

  it('name each change with its old and new value, in the order of the page', () => {
    const form = edit((f) => {
      f.features.journal = false;
      f.rate_limits.login_per_ip!.rate = '20';
      f.registration = 'invite_only';
      f.site_name = ' Chùa Từ Hiếu ';
    });
    expect(formChanges(stored(), form)).toEqual([
      { field: 'site_name', from: 'Dharma Plans', to: 'Chùa Từ Hiếu' },
      { field: 'registration', from: 'open', to: 'invite_only' },
      { field: 'rate_limits.login_per_ip', name: 'login_per_ip', from: { rate: 30, period: '1m' }, to: { rate: 20, period: '1m' } },
      { field: 'features.journal', name: 'journal', from: true, to: false },
    ]);
  });

  it('sends only the changed fields, and within a rate limit only the part that changed', () => {
    const form = edit((f) => {
      f.default_reminder_hour = 6;
      f.rate_limits.login_per_ip!.rate = '20';
      f.rate_limits.reset_per_ip!.period = '1d';
      f.features.recommendations = false;
    });
    expect(patchOf(stored(), form)).toEqual({
      default_reminder_hour: 6,
      rate_limits: { login_per_ip: { rate: 20 }, reset_per_ip: { period: '1d' } },
      features: { recommendations: false },
    });
  });

  it('sends a changed number as a number and the site name trimmed', () => {
    const patch = patchOf(stored(), edit((f) => {
      f.site_name = '  Sangha  ';
      f.rate_limits.refresh_per_ip!.rate = ' 600 ';
    }));
    expect(patch).toEqual({ site_name: 'Sangha', rate_limits: { refresh_per_ip: { rate: 600 } } });
  });

  it('turning something back to how it was stored is no change', () => {
    const form = edit((f) => {
      f.default_grace_days = 2;
      f.default_grace_days = 1;
      f.rate_limits.login_per_ip!.rate = '030';
    });
    expect(patchOf(stored(), form)).toEqual({});
  });
});

describe('isDirty', () => {
  it('counts a half-typed number, which has no change to show yet, as unsaved work', () => {
    expect(isDirty(stored(), edit((f) => (f.rate_limits.login_per_ip!.rate = '')))).toBe(true);
    expect(isDirty(stored(), edit((f) => (f.features.journal = false)))).toBe(true);
    expect(isDirty(stored(), formOf(stored()))).toBe(false);
  });
});

describe('a conflict with another admin', () => {
  const theirs = (): SystemSettings => {
    const s = stored();
    s.site_name = 'Their name';
    s.default_grace_days = 2;
    s.features.search_suggestions = false;
    return s;
  };

  it('shows what they changed and where both changed the same setting', () => {
    const form = edit((f) => {
      f.site_name = 'My name';
      f.features.journal = false;
    });
    const mine = formChanges(stored(), form);
    const their = changes(stored(), theirs());
    expect(their.map((c) => c.field)).toEqual(['site_name', 'default_grace_days', 'features.search_suggestions']);
    expect(collisions(mine, their)).toEqual(['site_name']);
  });

  it('keeps my changes on top of theirs, so that overwriting sends mine and keeps the rest of theirs', () => {
    const form = edit((f) => {
      f.site_name = 'My name';
      f.features.journal = false;
      f.rate_limits.login_per_ip!.rate = '12';
    });
    const next = rebase(stored(), form, theirs());
    expect(settingsOf(next)).toMatchObject({
      site_name: 'My name',
      default_grace_days: 2,
      features: { recommendations: true, search_suggestions: false, journal: false },
    });
    expect(patchOf(theirs(), next)).toEqual({
      site_name: 'My name',
      rate_limits: { login_per_ip: { rate: 12 } },
      features: { journal: false },
    });
  });

  it('has nothing to overwrite when my change was the same as theirs', () => {
    const form = edit((f) => (f.default_grace_days = 2));
    expect(patchOf(theirs(), rebase(stored(), form, theirs()))).toEqual({});
  });
});

describe('fieldNames', () => {
  it('names every place a server error can be shown beside', () => {
    const names = fieldNames(formOf(stored()));
    expect(names.has('rate_limits.login_per_ip.rate')).toBe(true);
    expect(names.has('rate_limits.login_per_ip')).toBe(true);
    expect(names.has('features.journal')).toBe(true);
    expect(names.has('default_reminder_hour')).toBe(true);
    expect(names.has('features.unknown')).toBe(false);
  });
});

describe('boundsOf', () => {
  it('knows the range of every number the server checks, and only those', () => {
    expect(boundsOf('default_reminder_hour')).toEqual({ min: 0, max: 23 });
    expect(boundsOf('default_grace_days')).toEqual({ min: 0, max: 3 });
    expect(boundsOf('rate_limits.login_per_ip.rate')).toEqual({ min: 1, max: 10000 });
    expect(boundsOf('expires_in_days')).toEqual({ min: 1, max: 365 });
    expect(boundsOf('rate_limits.login_per_ip.period')).toBeNull();
    expect(boundsOf('site_name')).toBeNull();
  });
});

describe('invitations', () => {
  it('may be for anyone or for one address, for 1 to 365 days', () => {
    expect(validateInvite({ email: '', days: '14' })).toEqual({});
    expect(validateInvite({ email: ' ni.co@example.org ', days: '365' })).toEqual({});
    expect(validateInvite({ email: 'not an address', days: '0' })).toEqual({
      email: { code: 'email' },
      expires_in_days: { code: 'range', min: 1, max: 365 },
    });
    expect(validateInvite({ email: '', days: '' })).toEqual({ expires_in_days: { code: 'required' } });
    expect(validateInvite({ email: `${'a'.repeat(250)}@x.org`, days: '1' })).toEqual({ email: { code: 'tooLong', max: 254 } });
  });

  it('sends no email for an invitation anyone may use', () => {
    expect(inviteBody({ email: '  ', days: '14' })).toEqual({ expires_in_days: 14 });
    expect(inviteBody({ email: ' ni@example.org', days: ' 7 ' })).toEqual({ email: 'ni@example.org', expires_in_days: 7 });
  });
});
