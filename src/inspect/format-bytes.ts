// Byte counts for people: binary units with one decimal, exact below 1 KiB.

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = -1;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** A signed change: `+1.5 KiB`, `-3 B`, `0 B`. */
export function formatBytesDelta(delta: number): string {
  return `${delta > 0 ? '+' : ''}${formatBytes(delta)}`;
}
