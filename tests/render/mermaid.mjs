// SPDX-License-Identifier: MIT
// Parse every ```mermaid block of Markdown files with Mermaid's own parser (the npm
// `mermaid` package, installed by scripts/setup.sh into tests/render/node_modules; it
// needs a DOM for DOMPurify, which jsdom gives).
//
//   node mermaid.mjs [--timeline-rules] [--expect-fail] FILE.md...
//
// Prints one line per block: FILE:LINE: ok (TYPE) or FILE:LINE: the parse error.
// --timeline-rules also checks each `timeline` block as regautopsy writes it: labels
// of at most 40 characters once entity codes (#58;) are decoded, no ':' or '#' lost
// (an event line has exactly one " : "), periods in time order (a window
// "between A and B" placed by B).
// Exit 0 when every block parses (and keeps the rules); 1 otherwise; with
// --expect-fail the other way round (the self-check that a broken block fails).
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

const args = process.argv.slice(2);
const rules = args.includes('--timeline-rules');
const expectFail = args.includes('--expect-fail');
const files = args.filter((a) => !a.startsWith('--'));

function blocks(text) {
  const out = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(`{3,}|~{3,})\s*mermaid\s*$/.exec(lines[i]);
    if (!m) continue;
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith(m[1])) body.push(lines[j++]);
    out.push({ line: i + 1, code: body.join('\n') + '\n' });
    i = j;
  }
  return out;
}

const decode = (s) => s.replace(/#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)));

// "2026-04-12 03.25" or "between 2026-04-12 01.00 and 03.25" -> sortable "2026-04-12 03.25"
function placed(period) {
  const w = /^between (\d{4}-\d\d-\d\d) \d\d\.\d\d and (?:(\d{4}-\d\d-\d\d) )?(\d\d\.\d\d)$/.exec(period);
  if (w) return `${w[2] || w[1]} ${w[3]}`;
  if (/^\d{4}-\d\d-\d\d \d\d\.\d\d$/.test(period)) return period;
  return null;
}

function timelineRules(code) {
  const errs = [];
  let last = '';
  for (const line of code.split('\n').slice(1)) {
    const t = line.trim();
    if (!t || t.startsWith('title ')) continue;
    const parts = t.startsWith(': ') ? ['', t.slice(2)] : t.split(' : ');
    if (parts.length !== 2) {
      errs.push(`event line without exactly one " : ": ${t}`);
      continue;
    }
    const [period, label] = parts;
    const text = decode(label);
    if ([...text].length > 40) errs.push(`label longer than 40 characters: ${text}`);
    if (/[:#;]/.test(label.replace(/#\d+;/g, ''))) errs.push(`raw ':', '#' or ';' in a label: ${label}`);
    if (period === '') continue; // another event of the period above
    const at = placed(period);
    if (!at) errs.push(`period neither a time nor "between … and …": ${period}`);
    else if (at < last) errs.push(`out of time order: ${period} after ${last}`);
    else last = at;
  }
  return errs;
}

let bad = 0;
let total = 0;
for (const f of files) {
  for (const b of blocks(readFileSync(f, 'utf8'))) {
    total++;
    try {
      const r = await mermaid.parse(b.code);
      const errs = rules && r.diagramType === 'timeline' ? timelineRules(b.code) : [];
      if (errs.length) {
        bad++;
        for (const e of errs) console.log(`${f}:${b.line}: ${e}`);
      } else {
        console.log(`${f}:${b.line}: ok (${r.diagramType})`);
      }
    } catch (e) {
      bad++;
      console.log(`${f}:${b.line}: ${String(e.message || e).split('\n').join(' | ')}`);
    }
  }
}
console.log(`${total} mermaid block(s), ${bad} failing`);
if (expectFail) process.exit(bad > 0 && bad === total ? 0 : 1);
process.exit(bad === 0 && total > 0 ? 0 : 1);
