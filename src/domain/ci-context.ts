/** Where the step runs, for links back and "who triggered it" (Slack, summary). Read by the front door. */
export interface CiContext {
  readonly ci: string;
  readonly runUrl?: string;
  readonly repository?: string;
  readonly commit?: string;
  readonly branch?: string;
  readonly triggeredBy?: string;
}
