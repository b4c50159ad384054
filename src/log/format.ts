import type { PhaseEnd } from '../domain/phase';
import { formatDuration } from '../domain/verdict';

/** `BUILD SUCCEEDED (12s)` / `BUILD FAILED (3s): COMMAND_EXECUTION_ERROR: …` */
export function phaseLine(end: PhaseEnd): string {
  const took = end.durationMs === undefined ? '' : ` (${formatDuration(end.durationMs / 1000)})`;
  const why = end.status !== 'SUCCEEDED' && end.message ? `: ${end.message}` : '';
  // A pipeline's stages come as "Stage <name>"; a build's phases by their bare name.
  const name = end.phase.startsWith('Stage ') ? end.phase : `Phase ${end.phase}`;
  return `${name} ${end.status}${took}${why}`;
}

/** Replaces every registered secret; the runner does this on GitHub, we do it elsewhere. */
export class Redactor {
  private readonly secrets: string[] = [];

  add(secret: string): void {
    // Very short values would blank out ordinary words; CI runners skip them too.
    if (secret.length >= 4 && !this.secrets.includes(secret)) this.secrets.push(secret);
  }

  apply(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('***');
    return out;
  }
}
