import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The app serves the build from its class path (META-INF/resources), so Vite writes straight into the
// Maven module's output folder; `npm run dev` proxies the API to a running app instead.
const appUrl = process.env.SWITCHBOARD_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'target/classes/META-INF/resources',
    emptyOutDir: true,
    // The default model's routing data is small; one chunk keeps the first view to two requests.
    chunkSizeWarningLimit: 200,
  },
  server: {
    proxy: {
      '/api': appUrl,
      '/v1': appUrl,
      '/actuator': appUrl,
      '/v3': appUrl,
    },
  },
});
