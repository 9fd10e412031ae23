// A rehearsal of the page's hydration, run by the compile worker (compile.js) on a copy of
// the page, so that the wasm functions hydration calls are compiled on the worker's thread.
// The browser compiles a function of the bundle the first time it runs, and shares the code
// between the page and its workers: once rehearsed, hydrating the page itself compiles almost
// nothing. Nothing here touches the real page, the network or storage: the rehearsal runs
// against a small model of the DOM built from the page's HTML, and what it cannot model it
// leaves out (the rehearsal then stops early, and the page compiles the rest itself).
"use strict";

const VOID = new Set(
  "area base br col embed hr img input link meta source track wbr".split(" "),
);
const RAW_TEXT = new Set(["script", "style", "textarea", "title"]);
const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
const SVG = "http://www.w3.org/2000/svg";

const decode = (text) =>
  text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : +name.slice(1);
      return String.fromCodePoint(code);
    }
    return ENTITIES[name] ?? whole;
  });

class ModelNode {
  constructor(document, nodeType, nodeName) {
    this.ownerDocument = document;
    this.nodeType = nodeType;
    this.nodeName = nodeName;
    this.parentNode = null;
    this.childNodes = [];
  }
  get firstChild() {
    return this.childNodes[0] ?? null;
  }
  get lastChild() {
    return this.childNodes[this.childNodes.length - 1] ?? null;
  }
  get nextSibling() {
    const siblings = this.parentNode?.childNodes;
    return siblings ? (siblings[siblings.indexOf(this) + 1] ?? null) : null;
  }
  get previousSibling() {
    const siblings = this.parentNode?.childNodes;
    return siblings ? (siblings[siblings.indexOf(this) - 1] ?? null) : null;
  }
  get parentElement() {
    return this.parentNode?.nodeType === 1 ? this.parentNode : null;
  }
  get firstElementChild() {
    return this.childNodes.find((n) => n.nodeType === 1) ?? null;
  }
  get isConnected() {
    let node = this;
    while (node.parentNode) node = node.parentNode;
    return node.nodeType === 9;
  }
  get textContent() {
    return this.childNodes.map((n) => n.textContent).join("");
  }
  set textContent(text) {
    for (const child of this.childNodes) child.parentNode = null;
    this.childNodes = [];
    if (text !== "" && text != null) this.append(this.ownerDocument.createTextNode(String(text)));
  }
  insertBefore(node, reference) {
    if (node.nodeType === 11) {
      for (const child of [...node.childNodes]) this.insertBefore(child, reference);
      return node;
    }
    node.remove();
    const at = reference ? this.childNodes.indexOf(reference) : -1;
    if (at < 0) this.childNodes.push(node);
    else this.childNodes.splice(at, 0, node);
    node.parentNode = this;
    return node;
  }
  appendChild(node) {
    return this.insertBefore(node, null);
  }
  append(...nodes) {
    for (const node of nodes) {
      this.appendChild(typeof node === "string" ? this.ownerDocument.createTextNode(node) : node);
    }
  }
  removeChild(node) {
    node.remove();
    return node;
  }
  replaceChild(node, old) {
    this.insertBefore(node, old);
    old.remove();
    return old;
  }
  remove() {
    const parent = this.parentNode;
    if (parent) {
      parent.childNodes.splice(parent.childNodes.indexOf(this), 1);
      this.parentNode = null;
    }
  }
  before(...nodes) {
    for (const node of nodes) this.parentNode?.insertBefore(node, this);
  }
  after(...nodes) {
    const next = this.nextSibling;
    for (const node of nodes) this.parentNode?.insertBefore(node, next);
  }
  replaceWith(...nodes) {
    this.before(...nodes);
    this.remove();
  }
  contains(node) {
    for (; node; node = node.parentNode) if (node === this) return true;
    return false;
  }
  cloneNode(deep) {
    const copy = this.shallowCopy();
    if (deep) for (const child of this.childNodes) copy.appendChild(child.cloneNode(true));
    return copy;
  }
  addEventListener() {}
  removeEventListener() {}
  dispatchEvent() {
    return true;
  }
}

class CharacterData extends ModelNode {
  constructor(document, nodeType, nodeName, data) {
    super(document, nodeType, nodeName);
    this.data = data;
  }
  get nodeValue() {
    return this.data;
  }
  set nodeValue(data) {
    this.data = data;
  }
  get textContent() {
    return this.data;
  }
  set textContent(data) {
    this.data = String(data);
  }
}

class Text extends CharacterData {
  constructor(document, data) {
    super(document, 3, "#text", data);
  }
  shallowCopy() {
    return new Text(this.ownerDocument, this.data);
  }
}

class Comment extends CharacterData {
  constructor(document, data) {
    super(document, 8, "#comment", data);
  }
  shallowCopy() {
    return new Comment(this.ownerDocument, this.data);
  }
}

class ClassList {
  constructor(element) {
    this.element = element;
  }
  names() {
    return (this.element.getAttribute("class") ?? "").split(/\s+/).filter(Boolean);
  }
  contains(name) {
    return this.names().includes(name);
  }
  add(...names) {
    const set = new Set(this.names());
    for (const name of names) set.add(name);
    this.element.setAttribute("class", [...set].join(" "));
  }
  remove(...names) {
    this.element.setAttribute(
      "class",
      this.names()
        .filter((n) => !names.includes(n))
        .join(" "),
    );
  }
  toggle(name, force) {
    const on = force ?? !this.contains(name);
    if (on) this.add(name);
    else this.remove(name);
    return on;
  }
}

class Style {
  constructor() {
    this.properties = new Map();
  }
  setProperty(name, value) {
    this.properties.set(name, value);
  }
  removeProperty(name) {
    const value = this.properties.get(name) ?? "";
    this.properties.delete(name);
    return value;
  }
  getPropertyValue(name) {
    return this.properties.get(name) ?? "";
  }
}

class Element extends ModelNode {
  constructor(document, localName, namespaceURI) {
    super(document, 1, namespaceURI === SVG ? localName : localName.toUpperCase());
    this.localName = localName;
    this.namespaceURI = namespaceURI;
    this.attributes = new Map();
    this.classList = new ClassList(this);
    this.style = new Style();
    this.dataset = {};
  }
  get tagName() {
    return this.nodeName;
  }
  get id() {
    return this.getAttribute("id") ?? "";
  }
  get className() {
    return this.getAttribute("class") ?? "";
  }
  set className(value) {
    this.setAttribute("class", value);
  }
  getAttribute(name) {
    return this.attributes.get(name.toLowerCase()) ?? null;
  }
  hasAttribute(name) {
    return this.attributes.has(name.toLowerCase());
  }
  setAttribute(name, value) {
    this.attributes.set(name.toLowerCase(), String(value));
  }
  removeAttribute(name) {
    this.attributes.delete(name.toLowerCase());
  }
  toggleAttribute(name, force) {
    const on = force ?? !this.hasAttribute(name);
    if (on) this.setAttribute(name, "");
    else this.removeAttribute(name);
    return on;
  }
  get children() {
    return this.childNodes.filter((n) => n.nodeType === 1);
  }
  shallowCopy() {
    const copy = this.ownerDocument.createElementNS(this.namespaceURI, this.localName);
    for (const [name, value] of this.attributes) copy.attributes.set(name, value);
    return copy;
  }
  getBoundingClientRect() {
    return { x: 0, y: 0, top: 0, left: 0, right: 0, bottom: 0, width: 0, height: 0 };
  }
  focus() {}
  blur() {}
  click() {}
  scrollIntoView() {}
}

class HTMLElement extends Element {}
class HTMLAnchorElement extends HTMLElement {
  get href() {
    return this.getAttribute("href") ?? "";
  }
}
class HTMLButtonElement extends HTMLElement {}
class HTMLTemplateElement extends HTMLElement {
  constructor(document, localName, namespaceURI) {
    super(document, localName, namespaceURI);
    this.content = document.createDocumentFragment();
  }
}
class HTMLFormElement extends HTMLElement {
  submit() {}
  requestSubmit() {}
  reset() {}
}
class FormControl extends HTMLElement {
  get value() {
    return this.currentValue ?? this.getAttribute("value") ?? "";
  }
  set value(value) {
    this.currentValue = String(value);
  }
  get checked() {
    return this.currentChecked ?? this.hasAttribute("checked");
  }
  set checked(on) {
    this.currentChecked = !!on;
  }
  get form() {
    let node = this.parentNode;
    while (node && node.localName !== "form") node = node.parentNode;
    return node ?? null;
  }
}
class HTMLInputElement extends FormControl {
  constructor(document, localName, namespaceURI) {
    super(document, localName, namespaceURI);
    this.files = null;
    this.selectionStart = 0;
    this.selectionEnd = 0;
  }
}
class HTMLSelectElement extends FormControl {}
class HTMLTextAreaElement extends FormControl {
  get value() {
    return this.currentValue ?? this.textContent;
  }
  set value(value) {
    this.currentValue = String(value);
  }
}

const CLASSES = {
  a: HTMLAnchorElement,
  button: HTMLButtonElement,
  form: HTMLFormElement,
  input: HTMLInputElement,
  select: HTMLSelectElement,
  template: HTMLTemplateElement,
  textarea: HTMLTextAreaElement,
};

class DocumentFragment extends ModelNode {
  constructor(document) {
    super(document, 11, "#document-fragment");
  }
  shallowCopy() {
    return new DocumentFragment(this.ownerDocument);
  }
}

class ShadowRoot extends DocumentFragment {}

class HTMLDocument extends ModelNode {
  constructor() {
    super(null, 9, "#document");
    this.ownerDocument = null;
    this.readyState = "complete";
  }
  get documentElement() {
    return this.firstElementChild;
  }
  get head() {
    return this.documentElement?.children.find((n) => n.localName === "head") ?? null;
  }
  get body() {
    return this.documentElement?.children.find((n) => n.localName === "body") ?? null;
  }
  createElement(name) {
    const localName = name.toLowerCase();
    const Class = CLASSES[localName] ?? HTMLElement;
    const element = new Class(this, localName, "http://www.w3.org/1999/xhtml");
    return element;
  }
  createElementNS(namespaceURI, name) {
    if (namespaceURI === SVG) return new Element(this, name, SVG);
    return this.createElement(name);
  }
  createTextNode(data) {
    return new Text(this, data);
  }
  createComment(data) {
    return new Comment(this, data);
  }
  createDocumentFragment() {
    return new DocumentFragment(this);
  }
  getElementById(id) {
    const search = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType !== 1) continue;
        if (child.getAttribute("id") === id) return child;
        const found = search(child);
        if (found) return found;
      }
      return null;
    };
    return search(this);
  }
}

// Parses the HTML the page's own serializer gave (document.documentElement.outerHTML), which
// is well formed: quoted attributes, explicit end tags but for void elements.
function parse(html) {
  const document = new HTMLDocument();
  let parent = document;
  let at = 0;
  const text = (data) => {
    if (data) parent.appendChild(document.createTextNode(decode(data)));
  };
  while (at < html.length) {
    const open = html.indexOf("<", at);
    if (open < 0) {
      text(html.slice(at));
      break;
    }
    text(html.slice(at, open));
    if (html.startsWith("<!--", open)) {
      const close = html.indexOf("-->", open + 4);
      const end = close < 0 ? html.length : close;
      parent.appendChild(document.createComment(html.slice(open + 4, end)));
      at = end + 3;
    } else if (html[open + 1] === "/") {
      const close = html.indexOf(">", open);
      const name = html.slice(open + 2, close).trim().toLowerCase();
      for (let node = parent; node && node !== document; node = node.parentNode) {
        if (node.localName === name) {
          parent = node.parentNode;
          break;
        }
      }
      at = close + 1;
    } else if (html[open + 1] === "!" || html[open + 1] === "?") {
      at = html.indexOf(">", open) + 1;
    } else {
      const tag = /^<([^\s/>]+)/.exec(html.slice(open, open + 100));
      if (!tag) {
        text("<");
        at = open + 1;
        continue;
      }
      const name = tag[1];
      const inSvg = name === "svg" || parent.namespaceURI === SVG;
      const element = inSvg
        ? document.createElementNS(SVG, name)
        : document.createElement(name);
      const attribute = /\s*([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?|\s*(\/?>)/y;
      attribute.lastIndex = open + 1 + name.length;
      let selfClosing = false;
      for (;;) {
        const match = attribute.exec(html);
        if (!match) {
          at = html.length;
          break;
        }
        if (match[5]) {
          selfClosing = match[5] === "/>";
          at = attribute.lastIndex;
          break;
        }
        element.attributes.set(match[1].toLowerCase(), decode(match[2] ?? match[3] ?? match[4] ?? ""));
      }
      parent.appendChild(element);
      const local = element.localName;
      if (RAW_TEXT.has(local) && !inSvg) {
        const close = html.toLowerCase().indexOf(`</${local}`, at);
        const end = close < 0 ? html.length : close;
        const content = html.slice(at, end);
        if (content) {
          element.appendChild(
            document.createTextNode(local === "script" || local === "style" ? content : decode(content)),
          );
        }
        at = html.indexOf(">", end) + 1 || html.length;
      } else if (!selfClosing && !(VOID.has(local) && !inSvg)) {
        parent = element;
      }
    }
  }
  return document;
}

class Storage {
  constructor() {
    this.items = new Map();
  }
  getItem(key) {
    return this.items.get(key) ?? null;
  }
  setItem(key, value) {
    this.items.set(key, String(value));
  }
  removeItem(key) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
}

// Makes the worker's global scope stand for the page's window for the bundle's glue code
// (which looks the window up as the global object): the page's DOM, location and the data the
// server rendered into it, with every way out of the worker (network, storage, navigation,
// dialogs) closed.
function stage({ html, href, globals }) {
  const document = parse(html);
  const url = new URL(href);
  const never = () => new Promise(() => {});
  const refused = function () {
    throw new Error("not available in the rehearsal");
  };
  const window = {
    ...globals,
    window: self,
    document,
    location: {
      href: url.href,
      origin: url.origin,
      protocol: url.protocol,
      host: url.host,
      hostname: url.hostname,
      port: url.port,
      pathname: url.pathname,
      search: url.search,
      hash: url.hash,
      assign() {},
      replace() {},
      reload() {},
    },
    history: { state: null, length: 1, pushState() {}, replaceState() {}, back() {}, go() {} },
    localStorage: new Storage(),
    sessionStorage: new Storage(),
    requestAnimationFrame: (callback) => self.setTimeout(() => callback(performance.now()), 16),
    cancelAnimationFrame: (handle) => self.clearTimeout(handle),
    fetch: never,
    EventSource: refused,
    WebSocket: refused,
    XMLHttpRequest: refused,
    confirm: () => false,
    alert() {},
    print() {},
    open: () => null,
    scrollTo() {},
    matchMedia: () => ({ matches: false, addEventListener() {}, removeEventListener() {} }),
    Window: class Window {
      static [Symbol.hasInstance](object) {
        return object === self;
      }
    },
    Node: ModelNode,
    Element,
    HTMLElement,
    HTMLAnchorElement,
    HTMLButtonElement,
    HTMLDocument,
    HTMLFormElement,
    HTMLInputElement,
    HTMLSelectElement,
    HTMLTemplateElement,
    HTMLTextAreaElement,
    DocumentFragment,
    ShadowRoot,
    Text,
    Comment,
  };
  for (const [name, value] of Object.entries(window)) {
    Object.defineProperty(self, name, { value, writable: true, configurable: true });
  }
  // What the rehearsal prints (a panic where the model falls short) is not the page's.
  for (const level of ["log", "info", "warn", "error", "debug"]) console[level] = () => {};
}

self.rehearse = { stage };
