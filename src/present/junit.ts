import type { FailedTest, TestReport } from '../domain/test-reports';
import { type OutputSink, writeWhole } from './outputs';

/**
 * CodeBuild's test reports as JUnit XML, the format GitLab's merge request widget reads
 * (artifacts: reports: junit) and most CIs' test views do: a <testsuite> per TEST report with its
 * totals, a <testcase> per failed or errored case CodeBuild listed, with its message.
 *
 * Passed cases are not listed: CodeBuild gives test cases page by page (100 a call) per status,
 * and fetching every passed case of a large suite would spend the account's shared API quota.
 * GitLab counts the cases a file lists, so its widget shows the failures (what a merge request
 * needs: which tests broke, and which are new); the totals are in each suite's attributes.
 *
 * Names and messages are the build's output, so untrusted: escaped, with characters XML 1.0 does
 * not allow (control characters, ANSI colour codes, lone surrogates) taken out.
 */
export function junitXml(reports: readonly TestReport[]): string {
  const tests = reports.filter((r) => r.kind === 'test');
  const sum = (f: (r: TestReport) => number) => tests.reduce((n, r) => n + f(r), 0);
  const counts = (r: { tests: number; failures: number; errors: number; skipped?: number }) =>
    `tests="${r.tests}" failures="${r.failures}" errors="${r.errors}"${r.skipped === undefined ? '' : ` skipped="${r.skipped}"`}`;
  const totals = { tests: sum((r) => r.total), failures: sum((r) => r.failed - (r.errors ?? 0)), errors: sum((r) => r.errors ?? 0) };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="CodeBuild" ${counts(totals)}>`,
    ...tests.flatMap((r) => suite(r, counts)),
    '</testsuites>',
    '',
  ].join('\n');
}

function suite(r: TestReport, counts: (c: { tests: number; failures: number; errors: number; skipped: number }) => string): string[] {
  const errors = r.errors ?? r.failures.filter((f) => f.error).length;
  const unlisted = r.failed - r.failures.length;
  return [
    `  <testsuite name="${attr(r.name)}" ${counts({ tests: r.total, failures: r.failed - errors, errors, skipped: r.other })}>`,
    ...(unlisted > 0 ? [`    <properties><property name="codebuild.failures-not-listed" value="${unlisted}"/></properties>`] : []),
    ...r.failures.map((f) => testcase(r.name, f)),
    '  </testsuite>',
  ];
}

function testcase(report: string, f: FailedTest): string {
  const prefixed = f.prefix && f.name.startsWith(`${f.prefix} › `);
  const name = prefixed ? f.name.slice(f.prefix!.length + 3) : f.name;
  const kind = f.error ? 'error' : 'failure';
  const message = f.message ?? '';
  const summary = message.split('\n', 1)[0]!.slice(0, 300);
  // GitLab shows an empty element's attributes as a Ruby hash (its parser reads Hash.from_xml), so an empty one says why.
  const body = message.trim() ? message : `${f.error ? 'ERROR' : 'FAILED'}: the report gives no message`;
  return `    <testcase classname="${attr(f.prefix ?? report)}" name="${attr(name)}"><${kind} message="${attr(summary)}" type="${f.error ? 'ERROR' : 'FAILED'}">${text(body)}</${kind}></testcase>`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes (ESC [ … m) are what is taken out
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
/** Everything outside XML 1.0's Char production (§2.2); with the u flag a lone surrogate is one. */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const clean = (s: string) => s.replace(ANSI, '').replace(NOT_XML, '');
const text = (s: string) => clean(s).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
/** In an attribute, line breaks and tabs are kept as character references (a parser would turn them into spaces). */
const attr = (s: string) =>
  text(s).replaceAll('"', '&quot;').replaceAll("'", '&apos;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;');

/** The JUnit file, written once the run's test reports are read; nothing when the run published none. */
export function junitFileSink(path: string): OutputSink {
  return {
    set() {},
    tests(reports) {
      if (reports.some((r) => r.kind === 'test')) writeWhole(path, junitXml(reports));
    },
  };
}
