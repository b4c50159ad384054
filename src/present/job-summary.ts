import * as core from '@actions/core';
import type { Outcome, Part } from '../domain/outcome';
import { outcomeStatus } from '../domain/outcome';
import type { NormalStatus } from '../domain/run-status';
import type { TestReport } from '../domain/test-reports';
import { formatDuration } from '../domain/verdict';

const EMOJI: Partial<Record<NormalStatus, string>> = {
  SUCCEEDED: '✅',
  FAILED: '❌',
  FAULT: '💥',
  TIMED_OUT: '⏱️',
  STOPPED: '⏹️',
  SUPERSEDED: '⏭️',
  CANCELLED: '🚫',
  WAIT_TIMEOUT: '⏱️',
  ERROR: '⚠️',
};
const duration = (seconds: number | undefined) => (seconds === undefined ? '' : formatDuration(seconds));
type Summary = typeof core.summary;

/** The job summary page: status, what ran, phases and parts with durations, tests, links, source, exported variables. */
export async function writeJobSummary(outcome: Outcome): Promise<void> {
  const { subject, verdict, description } = outcome;
  const status = outcomeStatus(outcome);
  const s = core.summary.addHeading(`${EMOJI[status.normal] ?? '❔'} ${description.title}: ${status.word}`, 2);
  if (verdict && !verdict.ok) s.addRaw(`<p><b>${html(verdict.summary)}</b></p>`, true);
  if (outcome.detail) s.addRaw(`<p><b>${html(outcome.detail)}</b></p>`, true);
  const facts: [string, string][] = [
    [description.ownerLabel, description.owner],
    [description.idLabel, subject?.id ?? ''],
    ['Source version', subject?.resolvedSourceVersion ?? subject?.sourceVersion ?? ''],
    ['Uploaded source', outcome.sourceLocation ? `s3://${outcome.sourceLocation}` : ''],
    ['Duration', duration(verdict?.durationSeconds)],
  ];
  s.addTable([header('Field', 'Value'), ...facts.filter(([, v]) => v).map(([k, v]) => [k, html(v)])]);
  const phases = subject?.phases ?? [];
  if (phases.length) {
    s.addHeading('Phases', 3).addTable([
      header('Phase', 'Status', 'Duration', 'Detail'),
      ...phases.map((p) => [p.name, p.status, duration(p.durationSeconds), html(p.detail ?? '')]),
    ]);
  }
  if (outcome.parts?.rows.length) {
    const id = (p: Part) => (p.url ? `<a href="${html(p.url)}">${html(p.id ?? 'link')}</a>` : html(p.id ?? ''));
    s.addHeading(outcome.parts.heading, 3).addTable([
      header(...description.partColumns, 'Status', 'Duration'),
      ...outcome.parts.rows.map((p) => [html(p.label), id(p), `${EMOJI[p.status.normal] ?? ''} ${p.status.word}`, duration(p.durationSeconds)]),
    ]);
  }
  addTests(s, outcome.tests);
  if (outcome.attempts.length > 1) {
    s.addHeading('Attempts', 3).addTable([
      header(description.idLabel, 'Number', 'Status'),
      ...outcome.attempts.map((a) => [html(a.id), String(a.number ?? ''), a.status]),
    ]);
  }
  const links: string[] = [];
  if (outcome.links.console) links.push(`<a href="${outcome.links.console}">${html(description.consoleLinkText)}</a>`);
  if (outcome.links.logs) links.push(`<a href="${outcome.links.logs}">${html(description.logsLinkText)}</a>`);
  if (links.length) s.addRaw(`<p>${links.join(' · ')}</p>`, true);
  const exported = subject?.exportedVariables ?? [];
  if (exported.length) {
    s.addHeading('Exported variables', 3).addTable([header('Name', 'Value'), ...exported.map((v) => [html(v.name), html(v.value)])]);
  }
  await s.write();
}

/** Test totals and the first failed cases; code coverage. */
function addTests(s: Summary, reports: readonly TestReport[]): void {
  const tests = reports.filter((r) => r.kind === 'test');
  if (tests.length) {
    s.addHeading('Tests', 3).addTable([
      header('Report', 'Total', 'Passed', 'Failed', 'Note'),
      ...tests.map((r) => [html(r.name), String(r.total), String(r.passed), String(r.failed), html(r.note ?? '')]),
    ]);
    const failures = tests.flatMap((r) => r.failures).slice(0, 50);
    if (failures.length) {
      s.addTable([
        header('Failed test', 'Message'),
        ...failures.map((f) => [html(`${f.name}${f.error ? ' (error)' : ''}`), html((f.message ?? '').slice(0, 500))]),
      ]);
    }
  }
  const coverage = reports.filter((r) => r.kind === 'coverage');
  if (!coverage.length) return;
  const figure = (p: number | undefined, covered = 0, missed = 0) => (p === undefined ? '' : `${p.toFixed(1)}% (${covered} of ${covered + missed})`);
  s.addHeading('Coverage', 3).addTable([
    header('Report', 'Lines', 'Branches', 'Note'),
    ...coverage.map((r) => {
      const c = r.coverage;
      return [
        html(r.name),
        figure(c?.linePercent, c?.linesCovered, c?.linesMissed),
        figure(c?.branchPercent, c?.branchesCovered, c?.branchesMissed),
        html(r.note ?? ''),
      ];
    }),
  ]);
}

function header(...names: string[]) {
  return names.map((data) => ({ data, header: true }));
}

/** Table cells are HTML: build output must not become markup. */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
