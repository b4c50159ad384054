import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// BuildKit's SBOM scans the final image only (moby/buildkit docs/attestations/sbom.md): it sees
// Alpine and Node, not the npm packages esbuild folded into one index.js. So the release also
// attests a CycloneDX SBOM of the production dependency tree, made by OWASP's npm tool from
// package-lock.json's installed tree; the bundle's packages are a subset of it.

/** The tool and version the release workflow runs (`npx --yes`), kept equal by the workflow test. */
export const SBOM_TOOL = '@cyclonedx/cyclonedx-npm@6.0.1';
export const SBOM_ARGS = ['--omit', 'dev', '--output-format', 'JSON'] as const;

interface Component {
  readonly group?: string;
  readonly name: string;
  readonly version?: string;
  readonly components?: readonly Component[];
}

/** `name@version` of every component, nested ones included. */
export function sbomPackages(sbomJson: string): Set<string> {
  const found = new Set<string>();
  const walk = (list: readonly Component[] | undefined) => {
    for (const c of list ?? []) {
      found.add(`${c.group ? `${c.group}/` : ''}${c.name}@${c.version ?? ''}`);
      walk(c.components);
    }
  };
  walk((JSON.parse(sbomJson) as { components?: Component[] }).components);
  return found;
}

/** `name@version` of every package dist/licenses.txt says is bundled (its section headers). */
export function bundledPackages(licensesTxt: string): string[] {
  const headers = licensesTxt.split(/^={20,}$/m).filter((_, i) => i % 2 === 1);
  return headers.flatMap((h) => [...h.matchAll(/^(\S+) (\S+) \(/gm)].map((m) => `${m[1]}@${m[2]}`));
}

/** The bundled packages the SBOM leaves out (it must list them all). */
export function sbomProblems(sbomJson: string, licensesTxt: string): string[] {
  const listed = sbomPackages(sbomJson);
  const bundled = bundledPackages(licensesTxt);
  if (!bundled.length) return ['dist/licenses.txt names no bundled package'];
  const missing = bundled.filter((p) => !listed.has(p));
  return missing.length ? [`the SBOM leaves out ${missing.length} bundled package(s): ${missing.join(', ')}`] : [];
}

/** Makes the SBOM here as the workflow does, and checks it against dist/licenses.txt. */
export function makeSbom(root: string): { problems: string[]; components: number } {
  const dir = mkdtempSync(join(tmpdir(), 'codebuild-run-sbom-'));
  try {
    const file = join(dir, 'npm-sbom.cdx.json');
    const r = spawnSync('npx', ['--yes', SBOM_TOOL, ...SBOM_ARGS, '--output-file', file], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) return { problems: [`${SBOM_TOOL} failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').at(-1)}`], components: 0 };
    const sbom = readFileSync(file, 'utf8');
    return { problems: sbomProblems(sbom, readFileSync(join(root, 'dist/licenses.txt'), 'utf8')), components: sbomPackages(sbom).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
