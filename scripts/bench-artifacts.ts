// `npm run bench -- artifacts`: download-artifacts of a 100 MB and a 500 MB ZIP (one large entry
// and 2,000 small files), served from a file by the fake S3, extracted by the bundle. Prints the time, the
// throughput and the bundle's peak RSS: memory must not grow with the artifact's size.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { successScript } from '../test/fake/build-script';
import { FakeAws } from '../test/fake/fake-aws';
import { measureRun } from './bench-support';

/** Bytes that look incompressible, generated a megabyte at a time (never held whole). */
function bigEntry(megabytes: number): Readable {
  let left = megabytes;
  const block = Buffer.alloc(1 << 20);
  return new Readable({
    read() {
      if (left-- <= 0) return this.push(null);
      for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((Math.imul(i + left, 2654435761) ^ left) >>> 0, i);
      this.push(Buffer.from(block));
    },
  });
}

async function makeZip(path: string, megabytes: number): Promise<void> {
  const zip = new ZipFile();
  zip.addReadStream(bigEntry(megabytes), 'image/rootfs.tar', { compress: false });
  for (let i = 0; i < 2_000; i++) zip.addBuffer(Buffer.alloc(10_000, i % 256), `assets/file-${i}.bin`, { compress: false });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

/** Two sizes: the same peak memory for both shows it does not grow with the artifact. */
export async function artifactsBench(): Promise<void> {
  console.log('\n== download-artifacts: one ZIP artifact (a large entry and 2,000 small files) ==');
  for (const megabytes of [80, 480]) await artifactRow(megabytes);
}

async function artifactRow(megabytes: number): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'cbr-bench-art-'));
  const zipPath = join(work, 'artifact.zip');
  await makeZip(zipPath, megabytes);
  const mb = statSync(zipPath).size / 1_048_576;
  const fake = new FakeAws().addProject('big-artifact', { ...successScript(), artifacts: [{ bucket: 'out', key: 'big/artifact.zip', zipFile: zipPath }] });
  const endpoint = await fake.start();
  const workspace = join(work, 'ws');
  const started = Date.now();
  const f = await measureRun(fake, endpoint, 'big-artifact', { DOWNLOAD_ARTIFACTS: join(workspace, 'out') });
  const afterEnd = (Date.now() - started - f.build.endMs) / 1000;
  await fake.stop();
  console.log(
    `${mb.toFixed(0)} MB ZIP: exit ${f.code}, downloaded and extracted in ${afterEnd.toFixed(1)} s after the build ended ` +
      `(${(mb / afterEnd).toFixed(0)} MB/s through the fake), peak RSS ${f.peakRssMb.toFixed(0)} MB`,
  );
  rmSync(work, { recursive: true, force: true });
}
