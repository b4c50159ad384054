import type { CiContext } from '../domain/ci-context';
import { type Outcome, outcomeStatus } from '../domain/outcome';
import type { NormalStatus } from '../domain/run-status';
import { failureLine, type TestReport, testsTotals } from '../domain/test-reports';
import { formatDuration } from '../domain/verdict';
import { clip, link, md, partsText, SLACK_LIMITS } from './slack-text';

const ERROR_LOOK = { emoji: ':warning:', color: '#e01e5a' };
const LOOK: Readonly<Record<NormalStatus, { emoji: string; color: string }>> = {
  SUCCEEDED: { emoji: ':white_check_mark:', color: '#2eb67d' },
  IN_PROGRESS: { emoji: ':arrow_forward:', color: '#1d9bd1' },
  NOT_STARTED: { emoji: ':double_vertical_bar:', color: '#1d9bd1' },
  FAILED: { emoji: ':x:', color: '#e01e5a' },
  FAULT: { emoji: ':boom:', color: '#e01e5a' },
  TIMED_OUT: { emoji: ':hourglass:', color: '#e01e5a' },
  SUPERSEDED: { emoji: ':fast_forward:', color: '#e01e5a' },
  ABANDONED: { emoji: ':black_square_for_stop:', color: '#ecb22e' },
  STOPPED: { emoji: ':black_square_for_stop:', color: '#ecb22e' },
  CANCELLED: { emoji: ':no_entry_sign:', color: '#ecb22e' },
  WAIT_TIMEOUT: { emoji: ':hourglass:', color: '#ecb22e' },
  ERROR: ERROR_LOOK,
  UNKNOWN: ERROR_LOOK,
};

/** The `${NAME}` placeholders available in slack-message and slack-payload-file. */
export function slackVariables(o: Outcome, ci: CiContext): Record<string, string> {
  const s = o.subject;
  const commit = s?.resolvedSourceVersion ?? ci.commit ?? '';
  return {
    BUILD_STATUS: outcomeStatus(o).word,
    BUILD_ID: s?.id ?? '',
    BUILD_NUMBER: s?.number === undefined ? '' : String(s.number),
    BUILD_URL: o.links.console ?? '',
    LOGS_URL: o.links.logs ?? '',
    PROJECT_NAME: o.description.owner,
    DURATION: o.verdict?.durationSeconds === undefined ? '' : formatDuration(o.verdict.durationSeconds),
    FAILED_PHASE: o.verdict?.failedPhase ?? '',
    FAILURE_REASON: o.verdict && !o.verdict.ok ? (o.verdict.reason ?? '') : (o.detail ?? ''),
    SOURCE_VERSION: s?.sourceVersion ?? '',
    COMMIT: commit,
    BRANCH: ci.branch ?? '',
    REPOSITORY: ci.repository ?? '',
    CI_NAME: ci.ci,
    CI_URL: ci.runUrl ?? '',
    TRIGGERED_BY: ci.triggeredBy ?? '',
    BUILDS: partsText(o.parts?.rows ?? []),
    TESTS: o.tests.some((r) => r.kind === 'test') ? testsText(o.tests) : '',
    COVERAGE: coverageText(o.tests),
    ATTEMPTS: o.attempts.length > 1 ? o.attempts.map((a) => `${a.label ?? `#${a.number ?? '?'}`} ${a.status}`).join(' → ') : '',
  };
}

/**
 * `${NAME}` → value; unknown names stay as written so typos are visible, not blank. Values are
 * escaped for Slack: a failing command's text must not become `<!channel>` or a link.
 */
export function expand(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\$\{([A-Z0-9_]+)\}/g, (all, name: string) => (vars[name] === undefined ? all : md(vars[name])));
}

/** A user's Block Kit template: placeholders are filled inside string values, so JSON stays valid. */
export function expandPayload(template: unknown, vars: Readonly<Record<string, string>>): unknown {
  if (typeof template === 'string') return expand(template, vars);
  if (Array.isArray(template)) return template.map((t) => expandPayload(t, vars));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, expandPayload(v, vars)]));
  }
  return template;
}

function testsText(reports: readonly TestReport[]): string {
  const t = testsTotals(reports);
  return `${t.passed}/${t.total} passed${t.failed ? `, ${t.failed} failed` : ''}`;
}

/** `80.0% lines, 50.0% branches` per coverage report (named when there are several). */
function coverageText(reports: readonly TestReport[]): string {
  const coverage = reports.filter((r) => r.kind === 'coverage' && r.coverage);
  const one = (r: TestReport) => `${r.coverage!.linePercent.toFixed(1)}% lines, ${r.coverage!.branchPercent.toFixed(1)}% branches`;
  return coverage.map((r) => (coverage.length > 1 ? `${r.name}: ${one(r)}` : one(r))).join('; ');
}

/** A section of mrkdwn, cut to Slack's limit (with a link to the rest). */
const section = (text: string, more?: string) => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, SLACK_LIMITS.sectionText, more) } });

/** The first failed tests by name: what a reader acts on. */
function failedTestsBlock(o: Outcome): unknown[] {
  const failures = o.tests.flatMap((r) => r.failures);
  if (!failures.length) return [];
  const shown = failures.slice(0, 5).map((f) => `• ${clip(md(failureLine(f, 150)), 400)}`);
  const more = failures.length > 5 ? `\n…and ${failures.length - 5} more` : '';
  return [section(`*Failed tests*\n${shown.join('\n')}${more}`, o.links.console)];
}

/** The run's parts (a batch's builds, a pipeline's actions): a line each, with status, duration and link. */
function partsBlock(o: Outcome): unknown[] {
  const rows = o.parts?.rows ?? [];
  if (!rows.length) return [];
  if (rows.length > 10) return [section(`*${md(o.parts?.heading ?? 'Parts')}*\n${md(partsText(rows))}`, o.links.console)];
  const lines = rows.map(
    (r) => `• ${link(r.url ?? '', r.label)} ${md(r.status.word)}${r.durationSeconds === undefined ? '' : ` (${formatDuration(r.durationSeconds)})`}`,
  );
  return [section(`*${md(o.parts?.heading ?? 'Parts')}*\n${lines.join('\n')}`, o.links.console)];
}

export interface SlackPayload {
  readonly text: string;
  readonly blocks?: unknown[];
  readonly attachments?: unknown[];
}

/** Block Kit with a colour bar, and a plain-text fallback for notifications; within Slack's limits whatever the build wrote. */
export function defaultSlackMessage(o: Outcome, ci: CiContext, extra?: string): SlackPayload {
  const v = slackVariables(o, ci);
  const look = LOOK[outcomeStatus(o).normal];
  const more = v.BUILD_URL || undefined;
  const name = o.description.shortName;
  const text = md(`${v.BUILD_STATUS}: ${name}${v.FAILED_PHASE ? ` in ${v.FAILED_PHASE}` : ''}${v.FAILURE_REASON ? ` (${v.FAILURE_REASON})` : ''}`);
  const fields = [
    ['Status', `${look.emoji} ${md(v.BUILD_STATUS!)}`],
    ['Duration', md(v.DURATION!)],
    [o.description.failedPartLabel, md(v.FAILED_PHASE!)],
    ['Commit', md(v.COMMIT!.slice(0, 12))],
    ['Branch', md(v.BRANCH!)],
    ['Repository', md(v.REPOSITORY!)],
    ['Triggered by', md(v.TRIGGERED_BY!)],
    ['Attempts', md(v.ATTEMPTS!)],
    ['Tests', md(v.TESTS!)],
    ['Coverage', md(v.COVERAGE!)],
  ].filter(([, value]) => value);
  const expanded = extra && expand(extra, v);
  const blocks: unknown[] = [
    section(`${look.emoji} *${link(v.BUILD_URL!, name)}* ${md(v.BUILD_STATUS!)}`),
    ...(expanded ? [section(expanded, more)] : []),
    // The reason can be a multi-line command: its own section, not a field.
    ...(v.FAILURE_REASON ? [section(`*Reason*\n${md(v.FAILURE_REASON)}`, more)] : []),
    ...failedTestsBlock(o),
    ...partsBlock(o),
    {
      type: 'section',
      fields: fields.slice(0, SLACK_LIMITS.fields).map(([label, value]) => ({ type: 'mrkdwn', text: clip(`*${label}*\n${value}`, SLACK_LIMITS.fieldText) })),
    },
    contextBlock(v, o.description.logsLinkText),
  ];
  const fallback = expanded ? `${text}\n${expanded}` : text;
  return { text: clip(fallback, SLACK_LIMITS.messageText, more), attachments: [{ color: look.color, blocks: blocks.slice(0, SLACK_LIMITS.blocks) }] };
}

function contextBlock(v: Readonly<Record<string, string>>, logsText: string) {
  const ciLink = v.CI_URL ? link(v.CI_URL, `${v.CI_NAME} run`) : md(v.CI_NAME!);
  const text = [ciLink, v.LOGS_URL ? link(v.LOGS_URL, logsText.toLowerCase()) : ''].filter(Boolean).join(' · ');
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}
