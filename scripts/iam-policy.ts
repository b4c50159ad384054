// The README's IAM policy and its table, generated from src/aws/permissions.ts by `npm run metadata`
// (between `<!-- iam-policy:start -->` and `<!-- iam-policy:end -->`).
import { actionsOf, iamPolicy, PERMISSIONS } from '../src/aws/permissions';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function iamPolicySection(): string {
  return [
    '| statement | needed for | actions |',
    '|---|---|---|',
    ...PERMISSIONS.map(
      (p) =>
        `| \`${p.sid}\` | ${cell(p.needs)} | ${actionsOf(p)
          .map((a) => `\`${a}\``)
          .join(', ')} |`,
    ),
    '',
    '```json',
    // Arrays of strings on one line each, as policies are usually written.
    JSON.stringify(iamPolicy(), null, 2).replace(/\[\n\s+("[^"]*"(?:,\n\s+"[^"]*")*)\n\s+\]/g, (_all, items: string) => `[${items.replace(/,\n\s+/g, ', ')}]`),
    '```',
  ].join('\n');
}

/** The policy JSON as the README holds it, for tests: the fenced block between the markers. */
export function readmePolicy(readme: string): unknown {
  const block = /<!-- iam-policy:start -->[\s\S]*?```json\n([\s\S]*?)\n```[\s\S]*?<!-- iam-policy:end -->/.exec(readme);
  if (!block) throw new Error('README has no iam-policy block with a ```json policy');
  return JSON.parse(block[1]!);
}
