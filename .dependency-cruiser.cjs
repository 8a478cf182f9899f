/**
 * The arrows of src/ (docs/architecture.md): chat adapters → delivery → conversation → services →
 * domain, and services → store. `npm run check:deps` fails on a cycle or an arrow that runs back up.
 */
const below = (from, forbidden, comment) => ({
  name: `${from}-not-${forbidden.join('-')}`,
  comment,
  severity: 'error',
  from: { path: `^src/${from}/` },
  to: { path: `^src/(${forbidden.join('|')})/` },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'Import cycles hide which part owns what.', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'domain-is-pure',
      comment: 'domain/ is pure: no I/O and nothing of the layers above it.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    below(
      'store',
      ['services', 'delivery', 'slack', 'teams', 'publishing', 'webhooks', 'http', 'jobs', 'cli'],
      'The store knows rows, not use cases.',
    ),
    below(
      'services',
      ['delivery', 'slack', 'teams', 'publishing', 'webhooks', 'http', 'jobs', 'cli', 'charts'],
      'Use cases know no transport.',
    ),
    below(
      'conversation',
      ['delivery', 'slack', 'teams', 'publishing', 'webhooks', 'http', 'jobs', 'cli', 'store'],
      'The conversation core answers with documents; platforms render them.',
    ),
    below(
      'delivery',
      ['slack', 'teams', 'publishing', 'webhooks', 'http', 'cli'],
      'The pipeline sends through ChatSender; each platform implements it in its own folder.',
    ),
    below(
      'charts',
      ['store', 'delivery', 'slack', 'teams', 'webhooks', 'jobs', 'cli'],
      'Charts draw and serve pictures through the services; they know no platform and no SQL.',
    ),
    below('slack', ['teams', 'publishing'], 'One platform never reaches into the other.'),
    below('teams', ['slack', 'publishing'], 'One platform never reaches into the other.'),
    below(
      'publishing',
      ['slack', 'teams', 'conversation', 'http', 'jobs', 'cli', 'store'],
      'The interview platform is sent spec versions through the pipeline; it knows no chat platform and no rows.',
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/store/generated/' },
    tsPreCompilationDeps: true,
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
