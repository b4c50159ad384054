// Makes a fresh clone ready: installs npm dependencies (including the Node 24 runtime the tests
// run on) when they are missing or stale, and with --container, podman + runc for the image test.
// Runs on whatever Node the machine has, before Node 24 is installed.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
const has = (cmd) => {
  try {
    execSync(`command -v ${cmd}`, { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
};

const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs) {
  run('npm ci --no-audit --no-fund');
}

if (process.argv.includes('--container') && !(has('podman') && has('runc'))) {
  // Best effort: the container test reports a skip (never a silent pass) when this fails.
  const root = process.getuid?.() === 0;
  if (root && has('apt-get')) {
    try {
      run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc >/dev/null');
    } catch {
      console.warn('ensure-deps: could not install podman/runc; the container test will be skipped.');
    }
  } else {
    console.warn('ensure-deps: podman/runc missing and cannot be installed here; the container test will be skipped.');
  }
}
