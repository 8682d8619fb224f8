// Deliberate violation: a page script that opens its own WebSocket beside the client.
// The build lints this file and requires ESLint to refuse it (app/pom.xml, execution lint-refuses-fixture).
export function connect(url) {
  const direct = new WebSocket(url);
  const viaWindow = new window.WebSocket(url);
  return [direct, viaWindow];
}
