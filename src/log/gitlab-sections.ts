/**
 * GitLab's collapsible sections, as its log parser reads them (lib/gitlab/regex.rb,
 * build_trace_section_regex; the runner writes its own sections the same way):
 *
 *   \e[0Ksection_start:<unix seconds>:<name>[collapsed=true]\r\e[0K<title>
 *   \e[0Ksection_end:<unix seconds>:<name>\r\e[0K
 *
 * The parser finds `section_start:<digits>:<name>[options]\r\e[0K` anywhere in the log, so build
 * output could open and close sections of its own: `neutralise` breaks such text.
 */
const ESC = '\x1b';

/** Letters, digits, `_`, `.` and `-`: what GitLab accepts in a section name. */
export function sectionName(index: number, phase: string): string {
  const slug = phase
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `codebuild_${index}_${slug || 'phase'}`;
}

export function sectionStart(name: string, title: string, at: number, collapsed: boolean): string {
  const options = collapsed ? '[collapsed=true]' : '';
  return `${ESC}[0Ksection_start:${seconds(at)}:${name}${options}\r${ESC}[0K${plain(title)}\n`;
}

export function sectionEnd(name: string, at: number): string {
  return `${ESC}[0Ksection_end:${seconds(at)}:${name}\r${ESC}[0K\n`;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** A title is one line without control characters (a stage name comes from the pipeline's definition). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is taken out
const plain = (title: string) => title.replace(/[\x00-\x1f\x7f]+/g, ' ');

const MARKER = /section_(?:start|end):/;

/**
 * Text from the build (its log, phase reasons, test names) that holds a section marker: its
 * escape characters become a visible ␛, so `\r\e[0K` can no longer complete the marker and the
 * build can neither open nor close a section. Lines without a marker are left as they are.
 */
export function neutralise(text: string): string {
  return MARKER.test(text) ? text.replaceAll(ESC, '\u241b') : text;
}
