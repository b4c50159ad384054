import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { coverageReportOf, testReportOf } from '../../../src/domain/test-reports';
import { junitFileSink, junitXml } from '../../../src/present/junit';

const parse = (xml: string) => {
  expect(XMLValidator.validate(xml)).toBe(true);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml);
};

const reports = [
  testReportOf('app-unit', { SUCCEEDED: 118, FAILED: 1, ERROR: 1 }, 120, [
    { name: 'checkout › applies discount', prefix: 'checkout', message: 'expected 90 to equal 81\n  at cart.test.ts:12' },
    { name: 'db connects', message: 'ECONNREFUSED <127.0.0.1:5432> & "retries"', error: true },
  ]),
  testReportOf('app-e2e', { SUCCEEDED: 12 }, 12, []),
  coverageReportOf('app-coverage', { linePercent: 80, linesCovered: 800, linesMissed: 200, branchPercent: 50, branchesCovered: 10, branchesMissed: 10 }),
];

describe('JUnit XML for the merge request widget', () => {
  test('a testsuite per test report with its totals, a testcase per failed or errored case with its message', () => {
    const xml = parse(junitXml(reports));
    expect(xml.testsuites).toMatchObject({ name: 'CodeBuild', tests: '132', failures: '1', errors: '1' });
    const [unit, e2e] = xml.testsuites.testsuite;
    expect(xml.testsuites.testsuite).toHaveLength(2); // coverage is not a test suite
    expect(unit).toMatchObject({ name: 'app-unit', tests: '120', failures: '1', errors: '1', skipped: '0' });
    expect(unit.testcase[0]).toMatchObject({
      classname: 'checkout',
      name: 'applies discount',
      failure: { message: 'expected 90 to equal 81', type: 'FAILED', '#text': 'expected 90 to equal 81\n  at cart.test.ts:12' },
    });
    expect(unit.testcase[1]).toMatchObject({
      classname: 'app-unit',
      name: 'db connects',
      error: { type: 'ERROR', '#text': 'ECONNREFUSED <127.0.0.1:5432> & "retries"' },
    });
    expect(e2e).toMatchObject({ name: 'app-e2e', tests: '12', failures: '0' });
    expect(e2e.testcase).toBeUndefined();
  });

  test('names and messages are untrusted: escaped, and what XML 1.0 forbids is taken out', () => {
    const nasty = testReportOf('r', { FAILED: 1 }, 1, [{ name: 'a"b<c>&\'d', message: `\x1b[31mred\x1b[0m \x00nul \x07bell \ud800lone ]]> </failure><x/>` }]);
    const text = junitXml([nasty]);
    expect(text).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
    const xml = parse(text);
    const testcase = xml.testsuites.testsuite[0].testcase[0];
    expect(text).toContain('name="a&quot;b&lt;c&gt;&amp;&apos;d"');
    expect(testcase.name).toBe('a"b<c>&\'d');
    expect(testcase.failure['#text']).toBe('red nul bell lone ]]> </failure><x/>');
  });

  test("a case without a message still has text: GitLab would show an empty element's attributes as a Ruby hash", () => {
    const xml = parse(junitXml([testReportOf('r', { FAILED: 1, ERROR: 1 }, 2, [{ name: 'quiet' }, { name: 'crashed', message: '  ', error: true }])]));
    const [quiet, crashed] = xml.testsuites.testsuite[0].testcase;
    expect(quiet.failure['#text']).toBe('FAILED: the report gives no message');
    expect(crashed.error['#text']).toBe('ERROR: the report gives no message');
  });

  test('failed cases CodeBuild did not list are counted in the suite, not invented', () => {
    const xml = parse(junitXml([testReportOf('big', { SUCCEEDED: 10, FAILED: 150 }, 160, [{ name: 'first', message: 'm' }])]));
    const suite = xml.testsuites.testsuite[0];
    expect(suite).toMatchObject({ tests: '160', failures: '150' });
    expect(suite.testcase).toHaveLength(1);
    expect(suite.properties.property).toMatchObject({ name: 'codebuild.failures-not-listed', value: '149' });
  });

  test('the file is written once the reports are read, and not at all for a run without test reports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbr-junit-'));
    junitFileSink(join(dir, 'none.xml')).tests?.([reports[2]!]);
    expect(existsSync(join(dir, 'none.xml'))).toBe(false);
    junitFileSink(join(dir, 'junit.xml')).tests?.(reports);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toBe(junitXml(reports));
  });
});
