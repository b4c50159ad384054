/** Console links every kind of run shares: the partition's console host, a CloudWatch log stream. */

/**
 * The console of a partition: its own domain for China (console.amazonaws.cn) and GovCloud
 * (console.amazonaws-us-gov.com). Without an ARN the region's name tells the partition.
 */
export function consoleHost(region: string, partition?: string): string {
  const p = partition ?? (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');
  const domain = p === 'aws-cn' ? 'console.amazonaws.cn' : p === 'aws-us-gov' ? 'console.amazonaws-us-gov.com' : 'console.aws.amazon.com';
  return `https://${region}.${domain}`;
}

/** The CloudWatch console encodes path parts twice and writes '%' as '$'. */
export function logsConsoleUrl(region: string, group: string, stream: string): string {
  const enc = (s: string) => encodeURIComponent(encodeURIComponent(s)).replace(/%/g, '$');
  return `${consoleHost(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${enc(group)}/log-events/${enc(stream)}`;
}
