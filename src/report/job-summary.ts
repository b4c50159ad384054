import * as core from '@actions/core';
import { formatDuration, verdictOf } from '../core/verdict';
import type { RunReport } from './reporter';

const EMOJI: Record<string, string> = { SUCCEEDED: '✅', FAILED: '❌', FAULT: '💥', TIMED_OUT: '⏱️', STOPPED: '⏹️' };

/** The job summary page: status, project, phases with durations, links, source, exported variables. */
export async function writeJobSummary(report: RunReport): Promise<void> {
  const { build, verdict } = report;
  const status = verdict?.status ?? build?.buildStatus ?? 'UNKNOWN';
  const s = core.summary.addHeading(`${EMOJI[status] ?? '❔'} CodeBuild ${build?.projectName ?? ''} #${build?.buildNumber ?? '?'}: ${status}`, 2);
  if (verdict && !verdict.ok) s.addRaw(`<p><b>${escape(verdict.summary)}</b></p>`, true);
  if (report.error) s.addRaw(`<p><b>${escape(report.error)}</b></p>`, true);
  const facts: [string, string][] = [
    ['Project', build?.projectName ?? ''],
    ['Build', build?.id ?? ''],
    ['Source version', build?.resolvedSourceVersion ?? build?.sourceVersion ?? ''],
    ['Uploaded source', report.sourceLocation ? `s3://${report.sourceLocation}` : ''],
    ['Duration', verdict?.durationSeconds === undefined ? '' : formatDuration(verdict.durationSeconds)],
  ];
  s.addTable([
    [{ data: 'Field', header: true }, { data: 'Value', header: true }],
    ...facts.filter(([, v]) => v).map(([k, v]) => [k, escape(v)]),
  ]);
  const phases = (build?.phases ?? []).filter((p) => p.phaseType !== 'COMPLETED');
  if (phases.length) {
    s.addHeading('Phases', 3).addTable([
      [{ data: 'Phase', header: true }, { data: 'Status', header: true }, { data: 'Duration', header: true }, { data: 'Detail', header: true }],
      ...phases.map((p) => [
        p.phaseType ?? '',
        p.phaseStatus ?? 'IN_PROGRESS',
        p.durationInSeconds === undefined ? '' : formatDuration(p.durationInSeconds),
        escape((p.contexts ?? []).map((c) => [c.statusCode, c.message].filter(Boolean).join(': ')).filter(Boolean).join('; ')),
      ]),
    ]);
  }
  if (report.children?.length) {
    s.addHeading('Batch builds', 3).addTable([
      [{ data: 'Identifier', header: true }, { data: 'Build', header: true }, { data: 'Status', header: true }, { data: 'Duration', header: true }],
      ...report.children.map((c) => {
        const v = verdictOf(c.build);
        return [escape(c.identifier), escape(c.build.id ?? ''), `${EMOJI[v.status] ?? ''} ${v.status}`, v.durationSeconds === undefined ? '' : formatDuration(v.durationSeconds)];
      }),
    ]);
  }
  if (report.tests?.length) {
    s.addHeading('Tests', 3).addTable([
      [{ data: 'Report', header: true }, { data: 'Total', header: true }, { data: 'Passed', header: true }, { data: 'Failed', header: true }],
      ...report.tests.map((r) => [escape(r.name), String(r.total), String(r.passed), String(r.failed)]),
    ]);
    const failures = report.tests.flatMap((r) => r.failures).slice(0, 50);
    if (failures.length) {
      s.addTable([
        [{ data: 'Failed test', header: true }, { data: 'Message', header: true }],
        ...failures.map((f) => [escape(f.name), escape((f.message ?? '').slice(0, 500))]),
      ]);
    }
  }
  if ((report.attempts?.length ?? 0) > 1) {
    s.addHeading('Attempts', 3).addTable([
      [{ data: 'Build', header: true }, { data: 'Number', header: true }, { data: 'Status', header: true }],
      ...report.attempts!.map((a) => [escape(a.buildId), String(a.buildNumber ?? ''), a.status]),
    ]);
  }
  const links: string[] = [];
  if (report.buildUrl) links.push(`<a href="${report.buildUrl}">Build in the CodeBuild console</a>`);
  if (report.logsUrl) links.push(`<a href="${report.logsUrl}">Build log in CloudWatch</a>`);
  if (links.length) s.addRaw(`<p>${links.join(' · ')}</p>`, true);
  const exported = build?.exportedEnvironmentVariables ?? [];
  if (exported.length) {
    s.addHeading('Exported variables', 3).addTable([
      [{ data: 'Name', header: true }, { data: 'Value', header: true }],
      ...exported.map((v) => [escape(v.name ?? ''), escape(v.value ?? '')]),
    ]);
  }
  await s.write();
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
