// Building elements without innerHTML: text from the server is never parsed as markup.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// A labelled field: <label>text <input></label>; `name` is its stable accessible name.
export function field(labelText, input, name) {
  if (name) input.setAttribute('aria-label', name);
  return h('label', { class: 'field' }, h('span', {}, labelText), input);
}

// A link that saves `content` (text or bytes) as the file `name`.
export function downloadLink(content, name, type, label) {
  const url = URL.createObjectURL(new Blob(Array.isArray(content) ? content : [content], { type }));
  return h('a', { href: url, download: name }, label);
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

// Reads a File as base64 (for bytes fields in protobuf's JSON mapping).
export function fileToBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export function fileToText(file) {
  return file.text();
}

// "SAMPLE_STATUS_STORED" → "stored"
export function enumWord(value, prefix) {
  return String(value || '').replace(prefix, '').toLowerCase().replace(/_/g, ' ');
}
