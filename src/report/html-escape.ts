/**
 * Text from result files put into an HTML page: every name in a CSV file is user input (a
 * scenario's node and workload names), so nothing read from a file reaches the page unescaped.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML element content or a quoted attribute value: `& < > " '` escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * A value as JSON inside `<script type="application/json">`: `<`, `>` and `&` written as
 * \u escapes, so no `</script>` or `<!--` in a string can end or bend the element (JSON.parse
 * reads them back unchanged), and U+2028/U+2029 escaped for older parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A library's JavaScript as the body of an inline `<script>`: the HTML parser ends the element at
 * the first `</script` whatever the JavaScript around it, so each is written `<\/script` (the
 * same text inside a string or regular expression, where alone it can occur in minified code).
 * `<!--` is refused instead: rewriting it could change the code's meaning.
 */
export function inlineScript(source: string, name: string): string {
  if (source.includes('<!--')) throw new Error(`${name}: holds "<!--", which cannot be inlined safely in a <script> element`);
  return source.replace(/<\/(script)/gi, '<\\/$1');
}
