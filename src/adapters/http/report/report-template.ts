import type { ReportModel } from '../../../application/reports/get-report-model.js';
import { esc, formatValue, keyValueTable, label, rupiah } from './html.js';

export interface TemplateOptions {
  /** URL of a photo of this report (same origin, render token included). */
  photoUrl: (photoId: string) => string;
}

const CSS = `
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; color: #1d2433; margin: 0; }
header { display: flex; justify-content: space-between; align-items: flex-end; border-bottom: 3px solid #0b5cab; padding-bottom: 6px; margin-bottom: 10px; }
header .brand { font-size: 18pt; font-weight: bold; color: #0b5cab; }
header .id { text-align: right; }
header .id .pretty { font-size: 14pt; font-weight: bold; }
h2 { font-size: 12pt; color: #0b5cab; border-bottom: 1px solid #c9d3e3; margin: 14px 0 6px; padding-bottom: 2px; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 8px 0 4px; break-after: avoid; }
table { width: 100%; border-collapse: collapse; break-inside: auto; }
tr { break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 3px 6px; border-bottom: 1px solid #e4e9f2; }
table.kv th { width: 38%; font-weight: normal; color: #4a5568; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 16px; }
.scores { display: grid; grid-template-columns: repeat(5, 1fr); gap: 6px; }
.score { border: 1px solid #c9d3e3; border-radius: 4px; padding: 6px; text-align: center; }
.score b { display: block; font-size: 16pt; color: #0b5cab; }
.rating { font-size: 22pt; font-weight: bold; color: #0b5cab; }
.yes { color: #1f7a3a; } .no { color: #b42318; } .muted { color: #8a94a6; }
.notes { white-space: pre-wrap; }
.photos { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; }
figure { margin: 0; break-inside: avoid; }
/* Cropping by an overflow:hidden wrapper: fitting photos with object-fit makes Chromium print ~13x slower. */
.frame { width: 100%; height: 52mm; overflow: hidden; display: flex; align-items: center; justify-content: center; background: #f1f4f9; border-radius: 3px; }
.frame img { width: 100%; height: auto; min-height: 100%; display: block; }
figcaption { font-size: 8.5pt; padding: 2px 0; }
.attention { color: #b42318; font-weight: bold; }
.total td { font-weight: bold; }
footer { margin-top: 16px; font-size: 8pt; color: #8a94a6; border-top: 1px solid #e4e9f2; padding-top: 4px; }
`;

function scoresBlock(summary: Record<string, unknown>): string {
  const scores = Object.entries(summary).filter(([k, v]) => /Score$/.test(k) && typeof v === 'number');
  if (!scores.length) return '';
  return `<div class="scores">${scores.map(([k, v]) => `<div class="score">${esc(label(k.replace(/Score$/, '')))}<b>${esc(v)}</b></div>`).join('')}</div>`;
}

function repairs(summary: Record<string, unknown>): string {
  const items = Array.isArray(summary.estimasiPerbaikan)
    ? (summary.estimasiPerbaikan as Array<{ namaPart?: string; harga?: number }>)
    : [];
  if (!items.length) return '<p class="muted">Tidak ada estimasi perbaikan.</p>';
  const total = items.reduce((s, i) => s + (Number(i.harga) || 0), 0);
  return `<table><tr><th>Part</th><th>Estimasi biaya</th></tr>${items.map((i) => `<tr><td>${esc(i.namaPart)}</td><td>${rupiah(Number(i.harga) || 0)}</td></tr>`).join('')}<tr class="total"><td>Total</td><td>${rupiah(total)}</td></tr></table>`;
}

function notes(summary: Record<string, unknown>, fontSize: number | undefined): string {
  const entries = Object.entries(summary).filter(([k, v]) => /Notes$/.test(k) && typeof v === 'string' && v.trim());
  const lines = Array.isArray(summary.deskripsiKeseluruhan) ? (summary.deskripsiKeseluruhan as string[]) : [];
  const style = fontSize ? ` style="font-size:${Number(fontSize)}pt"` : '';
  return `${entries.map(([k, v]) => `<h3>${esc(label(k.replace(/Notes$/, '')))}</h3><p class="notes"${style}>${esc(v)}</p>`).join('')}${lines.length ? `<ul${style}>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : ''}`;
}

function detailed(groups: Record<string, unknown>): string {
  const blocks = Object.entries(groups).map(
    ([g, checks]) => `<h3>${esc(label(g))}</h3>${keyValueTable((checks ?? {}) as Record<string, unknown>)}`,
  );
  return blocks.join('') || '<p class="muted">-</p>';
}

/**
 * The report as one self-contained HTML page for Chromium to print (A4). Photos load from the API's own
 * origin with the render token, lazily as a browser would (the renderer forces them eager before printing).
 */
export function renderReportHtml(m: ReportModel, o: TemplateOptions): string {
  const i = m.inspection;
  const summary = i.inspectionSummary;
  const fonts = i.notesFontSizes as Record<string, number>;
  const rest = Object.fromEntries(
    Object.entries(summary).filter(
      ([k]) => !/Score$|Notes$/.test(k) && k !== 'estimasiPerbaikan' && k !== 'deskripsiKeseluruhan',
    ),
  );
  const photos = m.photos
    .map(
      (p) =>
        `<figure data-photo-id="${esc(p.id)}"><div class="frame"><img loading="lazy" src="${esc(o.photoUrl(p.id))}" alt="${esc(p.label || p.category)}"></div>` +
        `<figcaption>${esc(p.label || label(p.category.toLowerCase()))}${p.needAttention ? ' <span class="attention">(perhatian)</span>' : ''}</figcaption></figure>`,
    )
    .join('');
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>${esc(i.prettyId)} - Laporan Inspeksi</title>
<meta name="report-variant" content="${esc(m.variant)}"><meta name="expected-images" content="${m.photos.length}">
<style>${CSS}</style></head>
<body>
<header><div><div class="brand">CAR-dano</div><div>Laporan Inspeksi Kendaraan${m.variant === 'no-docs' ? ' (tanpa dokumen)' : ''}</div></div>
<div class="id"><div class="pretty">${esc(i.prettyId)}</div><div>${esc(m.branch.name)} (${esc(m.branch.code)}) &middot; ${esc(i.inspectionDate)}</div>
<div>Inspektor: ${esc(m.inspectorName)}${m.reviewerName ? ` &middot; Reviewer: ${esc(m.reviewerName)}` : ''}</div></div></header>
<section class="grid2"><div><h2>Kendaraan</h2><table class="kv"><tr><th>Plat nomor</th><td>${esc(i.plateNumber)}</td></tr></table>${keyValueTable(i.vehicleData)}</div>
<div><h2>Penilaian keseluruhan</h2><div class="rating">${i.overallRating === null ? '-' : esc(i.overallRating)} / 10</div>${keyValueTable(i.identityDetails)}</div></section>
<h2>Ringkasan</h2>${scoresBlock(summary)}${keyValueTable(rest)}${notes(summary, fonts.inspectionSummary)}
<h2>Estimasi perbaikan</h2>${repairs(summary)}
<h2>Kelengkapan</h2>${keyValueTable(i.equipmentChecklist)}
<h2>Penilaian detail</h2>${detailed(i.detailedAssessment)}
<h2>Ketebalan cat (&micro;m)</h2>${keyValueTable(i.bodyPaintThickness)}
<h2>Foto (${m.photos.length})</h2><div class="photos">${photos || '<p class="muted">Tidak ada foto.</p>'}</div>
<footer>${esc(i.prettyId)} &middot; status ${esc(i.status)} &middot; ${formatValue(i.approvedAt ? i.approvedAt.toISOString() : null)}</footer>
</body></html>`;
}
