import type { CallOptions } from '../../../../src/aws/codebuild';
import type { Clock } from '../../../../src/domain/clock';
import type { RunDescription, RunReport } from '../../../../src/domain/outcome';
import type { NormalStatus, RunStatus } from '../../../../src/domain/run-status';
import type { Verdict } from '../../../../src/domain/verdict';
import type { Log } from '../../../../src/log/log';
import type { OutputSink } from '../../../../src/present/outputs';
import type { Retry, StartedRun, Target } from '../../../../src/targets/target';

/**
 * A fourth kind of run that exists only here: a deployment to a fleet of hosts, each host a part.
 * It proves the step is closed: the step, the presenters and the outputs handle it with no change
 * outside this folder (it cannot retry, has no test reports and leaves no artifacts).
 */
export interface DeploymentScript {
  readonly hosts: readonly string[];
  /** Hosts that fail, with their reason. */
  readonly failing?: Readonly<Record<string, string>>;
  /** How long each host takes. */
  readonly perHostMs?: number;
  /** A redeploy (retry-on) heals the failing hosts. */
  readonly healsOnRetry?: boolean;
}

export interface DeploymentDeps {
  readonly clock: Clock;
  readonly log: Log;
  readonly outputs: OutputSink;
}

const WORDS: Readonly<Record<string, NormalStatus>> = { Ready: 'SUCCEEDED', Broken: 'FAILED', Deploying: 'IN_PROGRESS', Halted: 'STOPPED' };
const status = (word: string): RunStatus => ({ word, normal: WORDS[word] ?? 'UNKNOWN' });

const describe = (fleet: string, id?: string): RunDescription => ({
  noun: 'deployment',
  service: 'Fleet',
  owner: fleet,
  title: `Fleet ${fleet}${id ? ` deployment ${id}` : ''}`,
  shortName: `${fleet}${id ? ` ${id}` : ''}`,
  ownerLabel: 'Fleet',
  idLabel: 'Deployment',
  consoleLinkText: 'Deployment in the fleet console',
  logsLinkText: 'Deployment log',
  failedPartLabel: 'Failed host',
  statusOutput: 'build-status',
  partColumns: ['Host', 'Instance'],
});

export class DeploymentTarget implements Target {
  starts = 0;
  constructor(
    private readonly fleet: string,
    private readonly script: DeploymentScript,
    private readonly deps: DeploymentDeps,
  ) {}

  readonly failureHints = (name: string) => (name === 'FleetNotFound' ? `check that fleet '${this.fleet}' exists` : undefined);

  requested(): RunReport {
    return { description: describe(this.fleet), links: {}, attempts: [] };
  }

  async start(): Promise<StartedRun> {
    this.starts++;
    return new Deployment(this.fleet, `d-${this.starts}`, this.script, this.deps);
  }
}

class Deployment implements StartedRun {
  private word = 'Deploying';
  private readonly done = new Map<string, string>();
  private readonly startedAt: number;
  private readonly attempts: { id: string; number: number; status: string; label: string }[] = [];
  private healed = false;
  stops = 0;

  constructor(
    private readonly fleet: string,
    readonly id: string,
    private readonly script: DeploymentScript,
    private readonly deps: DeploymentDeps,
  ) {
    this.startedAt = deps.clock.now();
    deps.outputs.set({ 'build-id': id, 'build-url': this.url });
    deps.log.info(`Started deployment ${id} to fleet ${fleet}`);
  }

  private get url() {
    return `https://fleet.example/${this.fleet}/${this.id}`;
  }

  get name() {
    return `deployment ${this.id}`;
  }

  get status(): RunStatus {
    return status(this.word);
  }

  async watch(signal: AbortSignal): Promise<void> {
    for (const host of this.script.hosts) {
      await this.deps.clock.sleep(this.script.perHostMs ?? 1_000, signal);
      const failure = this.healed ? undefined : this.script.failing?.[host];
      this.done.set(host, failure ? 'Broken' : 'Ready');
      this.deps.log.info(`${host}: ${failure ?? 'ready'}`);
    }
    this.word = [...this.done.values()].includes('Broken') ? 'Broken' : 'Ready';
    this.attempts.push({ id: this.id, number: this.attempts.length + 1, status: this.word, label: `round ${this.attempts.length + 1}` });
  }

  /** A redeploy of the same deployment (retry-on), when the script lets it heal. */
  get retry(): Retry | undefined {
    if (!this.script.healsOnRetry) return undefined;
    return {
      refusal: () => undefined,
      start: async () => {
        this.healed = true;
        this.done.clear();
        this.word = 'Deploying';
        this.deps.log.info(`Redeploying ${this.id}`);
      },
    };
  }

  async stop(_options: CallOptions): Promise<string> {
    this.stops++;
    this.word = 'Halted';
    return `deployment ${this.id} was halted`;
  }

  verdict(): Verdict {
    const broken = this.script.hosts.find((h) => this.done.get(h) === 'Broken');
    const ok = !broken && this.word === 'Ready';
    const reason = broken && this.script.failing?.[broken];
    const seconds = Math.round((this.deps.clock.now() - this.startedAt) / 1000);
    return {
      ok,
      status: this.word,
      normal: status(this.word).normal,
      durationSeconds: seconds,
      ...(broken && { failedPhase: broken, reason }),
      summary: `Deployment ${this.id} to ${this.fleet} ${this.word}${broken ? ` on ${broken}: ${reason}` : ''}`,
    };
  }

  report(): RunReport {
    return {
      description: describe(this.fleet, this.id),
      subject: { id: this.id, status: this.status, phases: [], exportedVariables: [{ name: 'FLEET_VERSION', value: '42' }] },
      links: { console: this.url, logs: `${this.url}/log` },
      attempts: this.attempts,
      parts: {
        heading: 'Hosts',
        rows: this.script.hosts.map((h) => ({ label: h, id: `i-${h}`, status: status(this.done.get(h) ?? 'Deploying') })),
      },
    };
  }
}
