import { OUTPUTS } from '../domain/outputs';
import { INPUTS } from './inputs';

/** `--help`: the env-var contract for the pipe and `docker run`, generated from the input table. */
export function helpText(): string {
  const rows = Object.values(INPUTS).map((spec) => {
    const names = spec.env.join(' | ');
    const flags = [spec.requiredUnless ? `required unless ${spec.requiredUnless.join(' or ')}` : '', spec.default ? `default ${spec.default}` : '']
      .filter(Boolean)
      .join(', ');
    return `  ${names}${flags ? ` (${flags})` : ''}\n      ${spec.description}`;
  });
  return [
    'codebuild-run 1.0.0: start an AWS CodeBuild build, stream its logs, wait, and exit 0 only if it SUCCEEDED.',
    '',
    'Usage: docker run --rm -e PROJECT_NAME=my-project -e AWS_REGION -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY <image>',
    '',
    'Variables:',
    ...rows,
    '',
    'AWS credentials, region and endpoint come from the SDK chain: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,',
    'AWS_SESSION_TOKEN, AWS_PROFILE, AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ENDPOINT_URL.',
    '',
    `Result (written to RESULT_FILE as JSON): ${Object.keys(OUTPUTS).join(', ')}.`,
    'Exit codes: 0 build SUCCEEDED (or started, with WAIT=false); 1 build did not succeed or AWS failed; 2 invalid settings.',
    '',
  ].join('\n');
}
