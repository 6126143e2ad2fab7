/**
 * Every relative link in README.md and docs/*.md points to a file that exists, and a link with a
 * `#fragment` to a heading of that file (GitHub's anchors: lower case, punctuation dropped, spaces
 * to hyphens). Links to the web (http, https, mailto) are not followed.
 */
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const docsDir = path.join(root, 'docs');
const pages = ['README.md', ...fs.readdirSync(docsDir).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];

/** The text outside fenced code blocks and inline code, where links are links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation other than - and _ dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of prose(fs.readFileSync(file, 'utf8')).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = anchorOf(match[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    found.add(n === 0 ? base : `${base}-${n}`);
  }
  return found;
}

/** [text](target) and <img src="target"> links of a page. */
function links(markdown: string): string[] {
  const text = prose(markdown);
  const targets = [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
  const sources = [...text.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
  return [...targets, ...sources].filter((t) => !/^[a-z]+:/i.test(t));
}

test('the anchor rule matches GitHub on headings with punctuation', () => {
  expect(anchorOf("GPU: keras-ts's own CUDA backend")).toBe('gpu-keras-tss-own-cuda-backend');
  expect(anchorOf('The first hour, as a Keras user meets it')).toBe('the-first-hour-as-a-keras-user-meets-it');
  expect(anchorOf('Time per step, 1 and 2 processes here')).toBe('time-per-step-1-and-2-processes-here');
});

test('README.md and every guide link only to files and headings that exist', () => {
  const broken: string[] = [];
  for (const page of pages) {
    const file = path.join(root, page);
    for (const link of links(fs.readFileSync(file, 'utf8'))) {
      const [target, fragment] = link.split('#');
      const resolved = target === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(target));
      if (!resolved.startsWith(root + path.sep)) broken.push(`${page}: ${link} leaves the repository`);
      else if (!fs.existsSync(resolved)) broken.push(`${page}: ${link} (no such file)`);
      else if (fragment !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(fragment)) {
        broken.push(`${page}: ${link} (no heading #${fragment} in ${path.relative(root, resolved)})`);
      }
    }
  }
  expect(broken).toEqual([]);
});

test('every guide links back to the README, and the README links every guide', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const guides = pages.filter((p) => p !== 'README.md');
  expect(guides.filter((g) => !fs.readFileSync(path.join(root, g), 'utf8').includes('](../README.md'))).toEqual([]);
  expect(guides.filter((g) => !readme.includes(`](${g.split(path.sep).join('/')})`))).toEqual([]);
});
