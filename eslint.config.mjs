// ESLint flat config: typescript-eslint's type-checked recommended rules over every TypeScript
// source (the program is tsconfig.json's, through the project service), with promise misuse
// (floating promises, promises where a void callback is expected) as errors.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // sdk/nodejs is generated, and the overlay is compiled (strict) by sdk/nodejs's own tsc.
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "**/*.js",
      "**/*.mjs",
      "bin/**",
      "sdk/nodejs/**",
      "scripts/sdk-overlays/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // Passing on what was caught (typed unknown) is fine; creating a non-Error is not.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      "no-console": "off",
      // `async` without `await` is how fakes and handlers meet Promise-returning interfaces here;
      // what matters about promises (none dropped, none where a void callback goes) is checked above.
      "@typescript-eslint/require-await": "off",
      // A list in a message reads as "a,b": allowed, like numbers and booleans.
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allowBoolean: true, allowArray: true, allowNullish: true },
      ],
    },
  },
  {
    // Tests read JSON (JSON.parse gives `any`) and assert on it with chai, which is the check
    // there: the unsafe-any rules stay on for everything that ships.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
    },
  },
);
