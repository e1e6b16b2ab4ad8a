/** A small typed DOM builder: h('p', { class: 'muted' }, ['text', child]). */
export type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;
export type Child = Node | string | null | undefined | false;

const EVENTS: Record<string, string> = {
  onClick: 'click',
  onSubmit: 'submit',
  onInput: 'input',
  onChange: 'change',
};

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes?: Attributes | null,
  children?: Child[],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    const event = EVENTS[name];
    if (event !== undefined && typeof value === 'function') element.addEventListener(event, value);
    else if (name === 'text') element.textContent = String(value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children ?? []) {
    if (child === null || child === undefined || child === false) continue;
    element.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** The view's title: focusable, so each view can move focus to it. */
export function heading(text: string): HTMLHeadingElement {
  return h('h1', { id: 'view-title', tabindex: '-1', text });
}

/** A padlock drawn as SVG: emoji fonts are not installed everywhere Link runs. */
export function lockIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const attributes = (element: Element, values: Record<string, string>) => {
    for (const [name, value] of Object.entries(values)) element.setAttribute(name, value);
  };
  attributes(svg, { viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' });
  const body = document.createElementNS(ns, 'rect');
  attributes(body, { x: '5', y: '11', width: '14', height: '10', rx: '2' });
  const shackle = document.createElementNS(ns, 'path');
  attributes(shackle, { d: 'M8 11V7a4 4 0 0 1 8 0v4' });
  svg.append(body, shackle);
  return svg;
}

/** An element the page must have: a missing one is a broken page, not a case to handle. */
export function required<T extends Element>(root: ParentNode, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`Link page is missing ${selector}`);
  return element;
}
