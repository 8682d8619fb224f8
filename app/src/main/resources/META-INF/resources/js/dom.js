// DOM helpers shared by the chat page and the dashboard. Text goes in with textContent, never as HTML.

/** The element with that id. */
export const $ = (id) => document.getElementById(id);

/** A new element with an optional class list and text. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
