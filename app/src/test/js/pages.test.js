// The pages load their code only from script files, which ESLint checks (eslint.config.js): an inline
// <script> would escape the rule that only js/switchboard-client.js opens WebSockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../main/resources/META-INF/resources/', import.meta.url).pathname;

function pages(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return pages(path);
    return entry.name.endsWith('.html') ? [path] : [];
  });
}

test('every page loads its scripts from files, none inline', () => {
  const found = pages(ROOT);
  assert.ok(found.length >= 2, 'the chat page and the dashboard');
  for (const page of found) {
    const html = readFileSync(page, 'utf8');
    for (const [tag, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      assert.equal(body.trim(), '', `${page}: inline script in ${tag.slice(0, 60)}`);
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${page}: inline event handler attribute`);
      const src = /\ssrc="([^"]+)"/.exec(attributes);
      assert.ok(src, `${page}: a script without src`);
      if (src[1].startsWith('/') && !src[1].startsWith('/webjars/')) {
        assert.ok(existsSync(join(ROOT, src[1])), `${page}: ${src[1]} is not served`);
      }
    }
  }
});
