import { consoleHost, logsConsoleUrl } from '../../../src/domain/links';
import { batchConsoleUrl, buildConsoleUrl, logsLinkOf } from '../../../src/targets/codebuild/links';

describe('console links', () => {
  test('a build, with the account from its ARN, in each partition', () => {
    const id = 'app:1234';
    expect(buildConsoleUrl({ id, arn: 'arn:aws:codebuild:eu-west-1:123456789012:build/app:1234', region: 'us-east-1' })).toBe(
      'https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/app/build/app%3A1234/?region=eu-west-1',
    );
    expect(buildConsoleUrl({ id, arn: 'arn:aws-cn:codebuild:cn-north-1:123456789012:build/app:1234', region: 'x' })).toMatch(
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\//,
    );
    expect(buildConsoleUrl({ id, arn: 'arn:aws-us-gov:codebuild:us-gov-east-1:123456789012:build/app:1234', region: 'x' })).toMatch(
      /^https:\/\/us-gov-east-1\.console\.amazonaws-us-gov\.com\//,
    );
  });

  test("without an ARN: the region-level page, on the region's partition", () => {
    expect(buildConsoleUrl({ id: 'app:1', region: 'cn-northwest-1' })).toBe(
      'https://cn-northwest-1.console.amazonaws.cn/codesuite/codebuild/projects/app/build/app%3A1/?region=cn-northwest-1',
    );
    expect(batchConsoleUrl({ id: 'app:b1', projectName: 'app' }, 'eu-west-1')).toBe(
      'https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/projects/app/batch/app%3Ab1/?region=eu-west-1',
    );
    expect(consoleHost('us-gov-west-1')).toBe('https://us-gov-west-1.console.amazonaws-us-gov.com');
  });

  test('a batch and a log stream', () => {
    expect(batchConsoleUrl({ arn: 'arn:aws:codebuild:eu-west-1:123456789012:build-batch/app:b1', id: 'app:b1', projectName: 'app' }, 'us-east-1')).toBe(
      'https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/app/batch/app%3Ab1/?region=eu-west-1',
    );
    expect(logsConsoleUrl('eu-west-1', '/aws/codebuild/app', 'a/b')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252Fapp/log-events/a$252Fb',
    );
  });
});

describe('the log link published', () => {
  const stream = { group: '/aws/codebuild/app', stream: 'f00d' };
  const arn = 'arn:aws:codebuild:eu-west-1:123456789012:build/app:f00d';
  test("never CodeBuild's placeholder: the stream actually read", () => {
    const placeholder = { arn, logs: { deepLink: 'https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logEvent:group=null;stream=null' } };
    expect(logsLinkOf(placeholder, stream, 'us-east-1')).toBe(logsConsoleUrl('eu-west-1', stream.group, stream.stream));
    expect(logsLinkOf({ arn }, stream, 'us-east-1')).toBe(logsConsoleUrl('eu-west-1', stream.group, stream.stream));
  });

  test("CodeBuild's deepLink when it names the stream read", () => {
    const deepLink = 'https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logEvent:group=/aws/codebuild/app;stream=f00d';
    expect(logsLinkOf({ arn, logs: { deepLink } }, stream, 'us-east-1')).toBe(deepLink);
    expect(logsLinkOf({ arn, logs: { deepLink: deepLink.replace('f00d', 'beef') } }, stream, 'us-east-1')).toContain('log-events/f00d');
  });
});
