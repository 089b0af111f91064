// The IANA time zones to choose from, grouped by region, each with its
// current offset from UTC so that people find theirs by either.

export interface ZoneGroup {
  region: string;
  zones: { id: string; label: string }[];
}

function offsetOf(zone: string, at: Date): string {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(at);
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

/**
 * Every zone the browser knows (and `current`, even if it does not), grouped
 * by the region its name starts with: "Asia/Ho_Chi_Minh" is listed under Asia
 * as "Ho Chi Minh (GMT+7)".
 */
export function zoneGroups(current: string, at = new Date()): ZoneGroup[] {
  const ids = new Set(Intl.supportedValuesOf('timeZone'));
  ids.add(current);
  ids.add('UTC');
  const groups = new Map<string, ZoneGroup['zones']>();
  for (const id of [...ids].sort()) {
    const slash = id.indexOf('/');
    const region = slash < 0 ? 'UTC' : id.slice(0, slash);
    const place = (slash < 0 ? id : id.slice(slash + 1)).replaceAll('_', ' ').replaceAll('/', ' / ');
    const offset = offsetOf(id, at);
    const zones = groups.get(region) ?? [];
    zones.push({ id, label: offset && offset !== place ? `${place} (${offset})` : place });
    groups.set(region, zones);
  }
  return [...groups].map(([region, zones]) => ({ region, zones }));
}
