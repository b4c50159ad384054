import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readmePolicy } from '../../../scripts/iam-policy';
import { type AwsService, actionsOf, iamPolicy, PERMISSIONS } from '../../../src/aws/permissions';

// The permissions table (src/aws/permissions.ts) against the code: every AWS operation anything
// under src/ sends must be listed, and every listed one must still be sent, so the README's policy
// (generated from the table) can neither miss a permission nor grant a stale one.

const ROOT = join(__dirname, '../../..');
const CLIENTS: Record<string, AwsService> = {
  '@aws-sdk/client-codebuild': 'codebuild',
  '@aws-sdk/client-cloudwatch-logs': 'logs',
  '@aws-sdk/client-codepipeline': 'codepipeline',
  '@aws-sdk/client-s3': 's3',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Local name → [imported name, package], for every named import of a file. */
function importsOf(text: string): Map<string, [string, string]> {
  const names = new Map<string, [string, string]>();
  for (const [, list, from] of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)) {
    for (const spec of list!.split(',').map((s) => s.replace(/^\s*type\s+/, '').trim())) {
      if (!spec) continue;
      const [imported, local = imported] = spec.split(/\s+as\s+/);
      names.set(local!, [imported!, from!]);
    }
  }
  return names;
}

/**
 * What lib-storage's Upload sends, read from the installed package (a new version that sends
 * another operation fails this test). PutObjectTagging goes only with `tags`, which no Upload here
 * is given (checked below).
 */
function uploadOperations(): string[] {
  const text = readFileSync(require.resolve('@aws-sdk/lib-storage'), 'utf8');
  return [...new Set([...text.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]!))].filter((op) => op !== 'PutObjectTagging');
}

interface Sent {
  readonly service: string;
  readonly operation: string;
  readonly file: string;
  /** A lib-storage Upload given `tags` (it would send PutObjectTagging too). */
  readonly tags?: boolean;
}

/** Every operation the code sends: SDK commands, paginators and lib-storage's Upload. */
const operationsSent = (): Sent[] => sourceFiles(join(ROOT, 'src')).flatMap((path) => operationsIn(readFileSync(path, 'utf8'), relative(ROOT, path)));

/** The operations one file sends. */
function operationsIn(text: string, file: string): Sent[] {
  const imports = importsOf(text);
  const clientOf = (local: string) => {
    const [, from] = imports.get(local) ?? [local, 'not imported'];
    return CLIENTS[from] ?? `unknown client (${from})`;
  };
  const named = (local: string, strip: RegExp): Sent => ({ service: clientOf(local), operation: (imports.get(local)?.[0] ?? local).replace(strip, ''), file });
  // By what is imported, not by the local name: `import { HeadObjectCommand as Head }` counts too.
  const imported = (local: string) => imports.get(local)?.[0] ?? local;
  return [
    ...[...text.matchAll(/new\s+(\w+)\s*\(/g)].filter(([, local]) => imported(local!).endsWith('Command')).map(([, local]) => named(local!, /Command$/)),
    ...[...text.matchAll(/\b(\w+)\s*\(/g)].filter(([, local]) => /^paginate[A-Z]/.test(imported(local!))).map(([, local]) => named(local!, /^paginate/)),
    ...[...text.matchAll(/new\s+(\w+)\s*\(/g)]
      .filter(([, local]) => imports.get(local!)?.[1] === '@aws-sdk/lib-storage')
      .flatMap(() => uploadOperations().map((operation) => ({ service: 's3', operation, file, tags: /\btags\s*:/.test(text) }))),
  ];
}

const key = (service: string, operation: string) => `${service}.${operation}`;

describe('the permissions table matches the AWS calls in src/', () => {
  const sent = operationsSent();
  const listed = new Set(PERMISSIONS.flatMap((p) => Object.keys(p.operations).map((op) => key(p.service, op))));

  test('the scan finds the adapters (a sanity check of the scan itself)', () => {
    const ops = new Set(sent.map((s) => key(s.service, s.operation)));
    for (const op of ['codebuild.StartBuild', 'logs.GetLogEvents', 'codepipeline.GetPipeline', 's3.ListObjectsV2', 's3.UploadPart', 's3.DeleteObject'])
      expect(ops).toContain(op);
    const snippet = [
      "import { HeadObjectCommand as Head, paginateListParts } from '@aws-sdk/client-s3';",
      "import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';",
      'await s3.send(new Head({ Bucket, Key }));',
      'for await (const page of paginateListParts({ client }, input)) {}',
      'await sts.send(new GetCallerIdentityCommand({}));',
    ].join('\n');
    expect(operationsIn(snippet, 'x.ts').map((s) => key(s.service, s.operation))).toEqual([
      's3.HeadObject',
      'unknown client (@aws-sdk/client-sts).GetCallerIdentity',
      's3.ListParts',
    ]);
  });

  test("lib-storage's Upload is never given tags (PutObjectTagging is left out of what it sends)", () => {
    expect(sent.filter((s) => s.tags).map((s) => s.file)).toEqual([]);
  });

  test('every operation the code sends is in the table', () => {
    const missing = sent.filter((s) => !listed.has(key(s.service, s.operation))).map((s) => `${key(s.service, s.operation)} (sent in ${s.file})`);
    expect([...new Set(missing)]).toEqual([]);
  });

  test('every operation in the table is still sent', () => {
    const sentKeys = new Set(sent.map((s) => key(s.service, s.operation)));
    expect([...listed].filter((k) => !sentKeys.has(k))).toEqual([]);
  });

  test("each operation's action follows the Service Authorization Reference", () => {
    // CodeBuild, CloudWatch Logs and CodePipeline name their actions after the operations; S3
    // does not (Amazon S3's "API operations" table, and "Multipart upload API and permissions").
    const prefix: Record<AwsService, string> = { codebuild: 'codebuild', logs: 'logs', codepipeline: 'codepipeline', s3: 's3' };
    const s3: Record<string, string> = {
      GetObject: 's3:GetObject',
      ListObjectsV2: 's3:ListBucket',
      PutObject: 's3:PutObject',
      CreateMultipartUpload: 's3:PutObject',
      UploadPart: 's3:PutObject',
      CompleteMultipartUpload: 's3:PutObject',
      AbortMultipartUpload: 's3:AbortMultipartUpload',
      DeleteObject: 's3:DeleteObject',
    };
    for (const p of PERMISSIONS) {
      for (const [op, action] of Object.entries(p.operations)) {
        if (action.startsWith('kms:')) expect(['kms:Decrypt', 'kms:GenerateDataKey']).toContain(action);
        else if (p.service === 's3') expect([op, action]).toEqual([op, s3[op]]);
        else expect(action).toBe(`${prefix[p.service]}:${op}`);
      }
    }
  });

  test("each action has a resource of the type the action takes (the Reference's resource types)", () => {
    const type = (action: string): RegExp => {
      if (/^codebuild:(BatchGetReports|DescribeTestCases)$/.test(action)) return /^arn:aws:codebuild:REGION:ACCOUNT:report-group\/.+$/;
      if (action.startsWith('codebuild:')) return /^arn:aws:codebuild:REGION:ACCOUNT:project\/[^/]+$/;
      if (action.startsWith('logs:')) return /^arn:aws:logs:REGION:ACCOUNT:log-group:[^:]+:\*$/;
      if (action.startsWith('codepipeline:')) return /^arn:aws:codepipeline:REGION:ACCOUNT:[^:/]+$/;
      if (action === 's3:ListBucket') return /^arn:aws:s3:::[A-Z_]+$/; // the bucket
      if (action.startsWith('s3:')) return /^arn:aws:s3:::[A-Z_]+\/.+$/; // its objects
      if (action.startsWith('kms:')) return /^arn:aws:kms:REGION:ACCOUNT:key\/.+$/;
      throw new Error(`no resource type known for ${action}`);
    };
    for (const p of PERMISSIONS)
      for (const action of actionsOf(p)) expect([p.sid, action, p.resources.some((r) => type(action).test(r))]).toEqual([p.sid, action, true]);
  });

  test('one statement per feature, each with its own Sid', () => {
    expect(new Set(PERMISSIONS.map((p) => p.id)).size).toBe(PERMISSIONS.length);
    expect(new Set(PERMISSIONS.map((p) => p.sid)).size).toBe(PERMISSIONS.length);
    expect(iamPolicy().Statement.map((s) => s.Sid)).toEqual(PERMISSIONS.map((p) => p.sid));
  });

  test("the README's policy is the generated one (run `npm run metadata`)", () => {
    expect(readmePolicy(readFileSync(join(ROOT, 'README.md'), 'utf8'))).toEqual(iamPolicy());
  });
});
