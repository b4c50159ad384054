/**
 * Slack's published Block Kit limits (api.slack.com/reference/block-kit/blocks): at most 50
 * blocks a message; a section's text 1–3,000 characters, or 1–10 fields of 1–2,000 each; a
 * header 150; a context at most 10 elements. An incoming webhook rejects the whole message that
 * breaks one with HTTP 400 and the plain body `invalid_blocks` (seen in
 * sourcegraph/sourcegraph-public-snapshot#49979, bugsink/bugsink#317). A top-level `text` over
 * 40,000 characters is truncated, not rejected (Slack changelog, 2018-04).
 */
type Block = Record<string, any>;

const MAX_BLOCKS = 50;

function textLength(t: unknown): number {
  return typeof t === 'object' && t && typeof (t as Block).text === 'string' ? (t as Block).text.length : -1;
}

function blockProblems(block: Block, at: string): string[] {
  const problems: string[] = [];
  if (block.type === 'section') {
    const text = textLength(block.text);
    const fields: unknown[] | undefined = block.fields;
    if (block.text !== undefined && (text < 1 || text > 3_000)) problems.push(`${at}.text must be 1-3000 characters (has ${text})`);
    if (fields !== undefined) {
      if (fields.length < 1 || fields.length > 10) problems.push(`${at}.fields must hold 1-10 items (has ${fields.length})`);
      fields.forEach((f, i) => {
        const n = textLength(f);
        if (n < 1 || n > 2_000) problems.push(`${at}.fields[${i}] must be 1-2000 characters (has ${n})`);
      });
    }
    if (block.text === undefined && fields === undefined) problems.push(`${at} needs text or fields`);
  }
  if (block.type === 'header' && (textLength(block.text) < 1 || textLength(block.text) > 150)) problems.push(`${at}.text must be 1-150 characters`);
  if (block.type === 'context' && (!Array.isArray(block.elements) || block.elements.length < 1 || block.elements.length > 10)) {
    problems.push(`${at}.elements must hold 1-10 items`);
  }
  return problems;
}

function blocksProblems(blocks: unknown, at: string): string[] {
  if (blocks === undefined) return [];
  if (!Array.isArray(blocks)) return [`${at} must be an array`];
  if (blocks.length > MAX_BLOCKS) return [`${at} must hold at most ${MAX_BLOCKS} blocks (has ${blocks.length})`];
  return blocks.flatMap((b, i) => blockProblems(b as Block, `${at}[${i}]`));
}

/** Every limit a payload breaks; empty when Slack would accept it. */
export function slackViolations(payload: Block): string[] {
  const problems = blocksProblems(payload.blocks, 'blocks');
  for (const [i, a] of (payload.attachments ?? []).entries()) problems.push(...blocksProblems((a as Block).blocks, `attachments[${i}].blocks`));
  if (!payload.text && !payload.blocks && !payload.attachments) problems.push('no text');
  return problems;
}
