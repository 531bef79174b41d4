/**
 * Escaping for text that goes into HTML or SVG. Tokens, labels and class names are user input,
 * so every one passes through here, in element content and in quoted attributes alike.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeMarkup(text: string): string {
  // Characters XML 1.0 forbids (C0 controls other than tab/newline/CR) would make SVG unparseable.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '\ufffd');
}
