// Makes a fresh clone ready: installs npm dependencies (including the Node 24 runtime the tests
// run on) when they are missing or stale, and with --container, podman + runc for the image test
// and rsync, which gitlab-ci-local (the GitLab end-to-end test) copies artifacts with.
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

const missing = process.argv.includes('--container') ? ['podman', 'runc', 'rsync'].filter((cmd) => !has(cmd)) : [];
if (missing.length) {
  // Best effort: the container test reports a skip (never a silent pass) when podman is missing;
  // the GitLab test fails without rsync, naming it.
  const root = process.getuid?.() === 0;
  if (root && has('apt-get')) {
    try {
      run(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')} >/dev/null`);
    } catch {
      console.warn(`ensure-deps: could not install ${missing.join(', ')}; the container test will be skipped, the GitLab test needs rsync.`);
    }
  } else {
    console.warn(`ensure-deps: ${missing.join(', ')} missing and cannot be installed here; the container test will be skipped, the GitLab test needs rsync.`);
  }
}
