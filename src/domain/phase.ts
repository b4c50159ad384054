/** A build phase as the user is shown it: from the agent's log markers, or from BatchGetBuilds. */
export interface PhaseEnd {
  readonly phase: string;
  readonly status: string;
  readonly durationMs?: number;
  readonly message?: string;
}

/** CodeBuild's reason for a phase's end: `statusCode: message` of each context, joined. */
export function phaseContext(phase: { readonly contexts?: readonly { statusCode?: string; message?: string }[] }): string | undefined {
  const messages = (phase.contexts ?? []).map((c) => [c.statusCode, c.message].filter(Boolean).join(': ')).filter(Boolean);
  return messages.length ? messages.join('; ') : undefined;
}
