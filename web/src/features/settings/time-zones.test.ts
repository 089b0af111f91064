import { describe, expect, it } from 'vitest';
import { zoneGroups } from './time-zones';

const winter = new Date('2026-01-15T12:00:00Z');

function find(groups: ReturnType<typeof zoneGroups>, id: string) {
  for (const g of groups) {
    const zone = g.zones.find((z) => z.id === id);
    if (zone) return { region: g.region, label: zone.label };
  }
  return undefined;
}

describe('zoneGroups', () => {
  it('lists zones under their region with readable names and their offset', () => {
    const groups = zoneGroups('Asia/Ho_Chi_Minh', winter);
    expect(find(groups, 'Asia/Ho_Chi_Minh')).toEqual({ region: 'Asia', label: 'Ho Chi Minh (GMT+7)' });
    expect(find(groups, 'America/New_York')).toEqual({ region: 'America', label: 'New York (GMT-5)' });
    expect(find(groups, 'Europe/Paris')).toEqual({ region: 'Europe', label: 'Paris (GMT+1)' });
  });

  it('always offers UTC and the zone the account has now', () => {
    const groups = zoneGroups('Etc/GMT+12', winter);
    expect(find(groups, 'UTC')).toBeDefined();
    expect(find(groups, 'Etc/GMT+12')).toBeDefined();
  });
});
