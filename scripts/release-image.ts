// Building the image here, with podman, where no Docker engine and no registry are reachable: a
// base image imported from this machine's Node binary and its shared libraries, then the repo's
// Dockerfile built on it. The container test (test/e2e/container.e2e.test.ts) and the release dry
// run (scripts/release-dry-run.ts) both build this way, so the dry run builds what the test tests.
import { execFileSync, execSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');

/** Why podman cannot run here (undefined when it can): it needs runc (crun fails on cgroups here). */
export function podmanMissing(): string | undefined {
  for (const tool of ['podman', 'runc']) {
    try {
      execSync(`command -v ${tool}`, { stdio: 'ignore', shell: '/bin/sh' });
    } catch {
      return `${tool} is not installed`;
    }
  }
  return undefined;
}

export const podman = (...args: string[]) =>
  execFileSync('podman', ['--runtime', 'runc', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A rootfs holding this Node binary and its shared libraries, imported as the image `tag`. */
export function importNodeBase(tag: string): void {
  const rootfs = mkdtempSync(join(tmpdir(), 'cbr-rootfs-'));
  const put = (file: string, at = file) => {
    mkdirSync(join(rootfs, dirname(at)), { recursive: true });
    copyFileSync(file, join(rootfs, at));
  };
  put(process.execPath, '/usr/local/bin/node');
  const libs = execFileSync('ldd', [process.execPath], { encoding: 'utf8' }).match(/\/\S+/g) ?? [];
  for (const lib of libs) put(lib);
  mkdirSync(join(rootfs, 'tmp'), { recursive: true });
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  execSync(`tar -C ${rootfs} -c . | podman import - ${tag}`, { stdio: 'ignore' });
  rmSync(rootfs, { recursive: true, force: true });
}

/** The repo's Dockerfile built on `base` (a local Node base from importNodeBase), tagged `tag`. */
export function buildImage(options: { tag: string; base: string; version: string }): void {
  podman('build', '--build-arg', `BASE_IMAGE=${options.base}`, '--build-arg', `VERSION=${options.version}`, '-t', options.tag, '.');
}

/** This machine's architecture as an OCI platform: `linux/amd64`, `linux/arm64`. */
export function localPlatform(): string {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };
  return `linux/${arch[process.arch] ?? process.arch}`;
}
