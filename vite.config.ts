import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

/**
 * The web console. `index.html` at the repository root loads `src/web/main.tsx`; the bundle goes
 * to dist/web, which the server serves (and builds when stale, see src/server/web-build.ts).
 * `vite` (dev server) proxies /api to the server on port 3000.
 */
const config: UserConfig = {
  root: '.',
  publicDir: 'src/web/public',
  plugins: [react()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    // antd alone is ~1 MB minified (≈320 kB gzip); it gets its own long-cacheable chunk.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 3 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[a-z-]+|dayjs|@babel[\\/]runtime)[\\/]/, priority: 2 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': { target: 'http://localhost:3000' } },
  },
};

export default defineConfig(({ command }) => {
  // A build started from the test runner inherits NODE_ENV=test, which would make Vite emit a
  // development bundle (React's dev build, jsxDEV). A build is always a production bundle.
  if (command === 'build' && process.env.NODE_ENV === 'test') process.env.NODE_ENV = 'production';
  return config;
});
