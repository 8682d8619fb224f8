// The browser side has one WebSocket client, js/switchboard-client.js, as the server has one manager.
// Any other served script that opens a WebSocket fails the build (./mvnw verify runs ESLint).
const ONLY_THE_CLIENT =
  'Only js/switchboard-client.js opens WebSockets: use SwitchboardClient (docs/websocket/browser_client.md).';

export default [
  {
    files: ['src/main/resources/META-INF/resources/**/*.js', 'src/test/lint/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error', noInlineConfig: true },
    rules: {
      'no-restricted-globals': ['error', { name: 'WebSocket', message: ONLY_THE_CLIENT }],
      'no-restricted-properties': ['error',
        { object: 'window', property: 'WebSocket', message: ONLY_THE_CLIENT },
        { object: 'globalThis', property: 'WebSocket', message: ONLY_THE_CLIENT },
        { object: 'self', property: 'WebSocket', message: ONLY_THE_CLIENT }],
    },
  },
  {
    files: ['src/main/resources/META-INF/resources/js/switchboard-client.js'],
    rules: { 'no-restricted-globals': 'off', 'no-restricted-properties': 'off' },
  },
];
