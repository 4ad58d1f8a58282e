/**
 * A small XML serializer for the Open311 responses: elements and text only (no attributes, no
 * namespaces), which is all GeoReport v2 uses. Objects become child elements in key order,
 * `null` an empty element (`<status_notes/>`), lists repeat one element name
 * (`<services><service>…</service><service>…</service></services>`).
 */

/** A repeated element: `list('service', [...])` inside `<services>`. */
export interface XmlList {
  readonly kind: 'list';
  readonly itemName: string;
  readonly items: readonly XmlValue[];
}

export type XmlValue = string | number | boolean | null | undefined | XmlList | { readonly [key: string]: XmlValue };

export function list(itemName: string, items: readonly XmlValue[]): XmlList {
  return { kind: 'list', itemName, items };
}

function isList(value: XmlValue): value is XmlList {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'list' && Array.isArray((value as { items?: unknown }).items);
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Escapes text for element content. The five XML special characters become entities; characters
 * XML 1.0 cannot carry at all (control characters other than tab and newlines, lone surrogates,
 * U+FFFE/U+FFFF) are dropped, since no escaping makes them well-formed.
 */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- removing the control characters XML 1.0 forbids is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function element(name: string, value: XmlValue): string {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (value === null || value === undefined) return `<${name}/>`;
  if (typeof value === 'string') return value === '' ? `<${name}/>` : `<${name}>${escapeXml(value)}</${name}>`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number in <${name}>`);
    return `<${name}>${String(value)}</${name}>`;
  }
  if (typeof value === 'boolean') return `<${name}>${value ? 'true' : 'false'}</${name}>`;
  return `<${name}>${children(value)}</${name}>`;
}

function children(value: XmlList | { readonly [key: string]: XmlValue }): string {
  if (isList(value)) return value.items.map((item) => element(value.itemName, item)).join('');
  return Object.entries(value)
    .map(([key, child]) => element(key, child))
    .join('');
}

/** A complete document: declaration and one root element. */
export function toXml(rootName: string, value: XmlValue): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(rootName, value)}\n`;
}
