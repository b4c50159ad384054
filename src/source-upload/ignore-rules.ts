import ignore, { type Ignore } from 'ignore';

/**
 * .gitignore semantics over a tree: each file's patterns apply to paths relative to its own
 * directory, deeper files override shallower ones (a `!` can re-include), and the user's
 * explicit excludes, applied at the root, have the last word.
 */
export class IgnoreRules {
  private constructor(
    /** Root first: each .gitignore with the directory it sits in ('' for the root). */
    private readonly levels: readonly { readonly base: string; readonly rules: Ignore }[],
    private readonly excludes: Ignore,
  ) {}

  static root(exclude: readonly string[]): IgnoreRules {
    return new IgnoreRules([], ignore().add([...exclude]));
  }

  /** These rules plus the .gitignore found in `base` (relative to the root). */
  nested(base: string, gitignore: string): IgnoreRules {
    return new IgnoreRules([...this.levels, { base, rules: ignore().add(gitignore) }], this.excludes);
  }

  /** `path` relative to the root, with a trailing '/' for a directory. */
  ignores(path: string): boolean {
    let ignored = false;
    for (const { base, rules } of this.levels) {
      const rel = base ? path.slice(base.length + 1) : path;
      const verdict = rules.test(rel);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    const explicit = this.excludes.test(path);
    if (explicit.ignored) return true;
    if (explicit.unignored) return false;
    return ignored;
  }
}
