/** Small DOM helpers shared by the explorer's pages and playgrounds. */
import katex from 'katex';

export type Child = Node | string | null | undefined | false;

/** `h('p', { class: 'x' }, 'text', child)`: an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** A KaTeX-rendered formula. */
export function tex(formula: string, display = true): HTMLElement {
  const span = h('div', { class: 'formula' });
  span.innerHTML = katex.renderToString(formula, { displayMode: display, throwOnError: false });
  return span;
}

/** A number for display: 4 significant digits, scientific notation outside [1e-3, 1e5). */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
}

/** A labelled number input; `onInput` gets the parsed value (NaN when empty). */
export function numberInput(
  id: string,
  label: string,
  value: number,
  attrs: Record<string, string>,
  onInput: (v: number) => void,
): HTMLElement {
  const input = h('input', { type: 'number', id, value: String(value), ...attrs });
  input.addEventListener('input', () =>
    onInput(input.value.trim() === '' ? NaN : Number(input.value)),
  );
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}
