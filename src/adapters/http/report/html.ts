/** Escapes text for HTML element content and attribute values. */
export function esc(v: unknown): string {
  return String(v ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** "merekKendaraan" -> "Merek Kendaraan": labels from the field names inspectors use. */
export function label(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

export function formatValue(v: unknown): string {
  if (v === true) return '<span class="yes">Ya</span>';
  if (v === false) return '<span class="no">Tidak</span>';
  if (v === null || v === undefined || v === '') return '<span class="muted">-</span>';
  if (Array.isArray(v)) return v.map(formatValue).join(', ');
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${esc(label(k))}: ${formatValue(x)}`)
      .join('; ');
  return esc(v);
}

export const rupiah = (n: number): string => `Rp ${Math.round(n).toLocaleString('id-ID')}`;

/** A two-column table of a flat-ish section; nested objects print inline. */
export function keyValueTable(section: Record<string, unknown>): string {
  const rows = Object.entries(section).map(([k, v]) => `<tr><th>${esc(label(k))}</th><td>${formatValue(v)}</td></tr>`);
  return rows.length ? `<table class="kv">${rows.join('')}</table>` : '<p class="muted">-</p>';
}
