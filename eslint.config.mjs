// ESLint (flat config): Next.js's rules with Core Web Vitals, typescript-eslint's recommended rules
// and the React hooks rules. `npm run lint` runs it after the type check; CI runs `npm run lint`.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // `const { usage: _usage, ...rest } = o` is how a field is left out of a copy
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true, argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Playwright's fixtures take a callback named `use`, which is not React's `use` hook
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  globalIgnores([".next/**", ".next-*/**", "out/**", "build/**", "next-env.d.ts", ".data/**", "test-results/**", "playwright-report/**", "bench/tmp/**", "drizzle/**"]),
]);
