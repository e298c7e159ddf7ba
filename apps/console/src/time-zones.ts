/** Wall-clock arithmetic in IANA zones with the browser's own Intl (no time-zone library shipped). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** How far `zone`'s wall clock is ahead of UTC at `epochMs`, in milliseconds. */
export function zoneOffsetMs(zone: string, epochMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of partsFormatter(zone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    fields.year ?? 1970,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  return wall - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/** True when the browser knows `zone` as an IANA time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `2025-08-01 09:30` (with seconds when `seconds`) on `zone`'s wall clock. */
export function formatInZone(epochMs: number, zone: string, withTime = true): string {
  const shifted = new Date(epochMs + zoneOffsetMs(zone, epochMs)).toISOString();
  return withTime ? `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}` : shifted.slice(0, 10);
}
