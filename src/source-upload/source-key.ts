/** `prefix/codebuild-run/<commit or time>-<random>.zip`: unique per run, findable by commit. */
export function sourceKey(prefix: string, commit: string | undefined, now: Date, random: string): string {
  const stamp = commit?.slice(0, 12) ?? now.toISOString().replace(/[-:.]/g, '');
  return [prefix, 'codebuild-run', `${stamp}-${random}.zip`].filter(Boolean).join('/');
}
