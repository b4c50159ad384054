// Types for scripts/licenses.mjs, plain JavaScript so that scripts/build.mjs runs on node alone.

export interface LicenceFile {
  readonly name: string;
  readonly text: string;
}

export interface PackageLicence {
  readonly name: string;
  readonly version: string;
  readonly licence: string;
  readonly repository: string;
  readonly files: readonly LicenceFile[];
}

export function bundledPackageDirs(metafile: { inputs: Record<string, unknown> }): string[];
export function packageLicence(root: string, dir: string): PackageLicence;
export function withLicenceFiles(packages: readonly PackageLicence[]): PackageLicence[];
export function licencesText(packages: readonly PackageLicence[]): string;
export function licencesFor(metafile: { inputs: Record<string, unknown> }, root?: string): string;
