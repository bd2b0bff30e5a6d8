import { defineConfig } from 'vitest/config';

// Unit tests: data shaping and pure helpers next to their features (src/**/*.test.ts), in Node.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
