import type { CiContext } from '../domain/ci-context';

/** Unset and empty values are left out, so "not known" never shows as a blank. */
export function compact(context: CiContext): CiContext {
  return Object.fromEntries(Object.entries(context).filter(([, v]) => v)) as unknown as CiContext;
}
