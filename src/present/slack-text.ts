import type { Part } from '../domain/outcome';

/** Slack mrkdwn: escaping, links, and cutting text to Slack's limits without breaking markup. */

/** Slack's Block Kit limits (api.slack.com/reference/block-kit/blocks): a message breaking one is rejected whole. */
export const SLACK_LIMITS = { sectionText: 3_000, fieldText: 2_000, fields: 10, blocks: 50, messageText: 3_000 } as const;

/** Slack mrkdwn needs &, < and > escaped in text it should not read as markup. */
export const md = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const link = (url: string, text: string) => (url ? `<${url}|${md(text)}>` : md(text));

/**
 * Escaped mrkdwn cut to `max` characters: never inside an entity (`&amp;`), a link (`<…|…>`) or
 * a surrogate pair; marked with "…" and, when `more` is a URL, a link to the rest.
 */
export function clip(text: string, max: number, more?: string): string {
  if (text.length <= max) return text;
  const tail = more ? `… <${more}|more in the console>` : '…';
  let cut = Math.max(0, max - tail.length);
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && !text.slice(amp, cut).includes(';') && cut - amp <= 5) cut = amp;
  const open = text.lastIndexOf('<', cut - 1);
  if (open >= 0 && text.indexOf('>', open) >= cut) cut = open;
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut--;
  return `${text.slice(0, cut)}${tail}`;
}

/** `97 succeeded, 3 failed: a, b, c` for many parts; each part by name when there are few. */
export function partsText(rows: readonly Pick<Part, 'label' | 'status'>[], listAll = 10): string {
  if (rows.length <= listAll) return rows.map((p) => `${p.label} ${p.status.word}`).join(', ');
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status.normal, (counts.get(r.status.normal) ?? 0) + 1);
  const tally = [...counts].map(([status, n]) => `${n} ${status.toLowerCase().replace(/_/g, ' ')}`).join(', ');
  const notOk = rows.filter((r) => r.status.normal !== 'SUCCEEDED').map((r) => r.label);
  return notOk.length ? `${tally}: ${notOk.join(', ')}` : tally;
}
