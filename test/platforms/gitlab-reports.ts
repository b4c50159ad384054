/**
 * What GitLab does with a job's reports, as its own code does it, for tests that must not trust
 * our writer's idea of the rules.
 *
 * The dotenv report: Ci::ParseDotenvArtifactService (app/services/ci/parse_dotenv_artifact_service.rb)
 * refuses a file not smaller than the size limit (5 KB by default), reads it line by line with
 * /^(.*?)=(.*)$/ (a line without `=` fails the whole report, "Invalid Format"), strips key and
 * value, keeps the last value of a repeated key, refuses more variables than the plan's limit;
 * Ci::HasVariable then requires each key to match /\A[a-zA-Z0-9_]+\z/ and be at most 255 long.
 * The variables are not raw, so the runner expands them (JobVariables.ExpandValue, os.Expand with
 * "$" mapping to itself): `$$` becomes `$`.
 */
export function parseGitLabDotenv(file: Buffer, limits: { bytes: number; variables: number }): Record<string, string> {
  if (!(file.length < limits.bytes)) throw new Error(`Dotenv Artifact Too Big. Maximum Allowable Size: ${limits.bytes}`);
  const variables = new Map<string, string>();
  const text = file.toString('utf8').replace(/^\uFEFF/, '');
  // Ruby's each_line keeps the separator; the last line may lack one.
  for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
    const m = /^(.*?)=(.*)$/m.exec(line);
    if (!m) throw new Error('Invalid Format');
    const [key, value] = [m[1]!.trim(), m[2]!.trim()];
    if (!/^[a-zA-Z0-9_]+$/.test(key) || key.length > 255) throw new Error(`Key can contain only letters, digits and '_': ${JSON.stringify(key)}`);
    variables.set(key, value);
  }
  if (variables.size > limits.variables) throw new Error(`Dotenv files cannot have more than ${limits.variables} variables`);
  return Object.fromEntries([...variables].map(([k, v]) => [k, expandAsTheRunnerDoes(v)]));
}

/** Go's os.Expand with the runner's mapping, for a value naming no other variable: `$$` is `$`, `$NAME` is empty. */
export function expandAsTheRunnerDoes(value: string): string {
  return value.replace(/\$(\$|\{[^}]*\}|[A-Za-z0-9_]+|[*#@!?-])?/g, (all, name?: string) => (name === '$' ? '$' : name === undefined ? all : ''));
}

/** GitLab's section marker (lib/gitlab/regex.rb, build_trace_section_regex), found anywhere in the log. */
export const GITLAB_SECTION = /section_((?:start)|(?:end)):(\d+):([a-zA-Z0-9_.-]+)(\[(?:\w+=\w+)(?:, ?(?:\w+=\w+))*\])?\r\x1b\[0K/g;

/** Every section the log opens and closes, as GitLab's parser would see them. */
export function gitlabSections(log: string): { marker: 'start' | 'end'; name: string; options?: string; at: number }[] {
  return [...log.matchAll(GITLAB_SECTION)].map((m) => ({
    marker: m[1] as 'start' | 'end',
    name: m[3]!,
    ...(m[4] && { options: m[4] }),
    at: Number(m[2]),
  }));
}
