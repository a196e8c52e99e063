import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Each domain's `.graphql` file gets a `.generated.ts` beside it with its typed documents,
 * so a page's documents load with that page (one shared document map would put every
 * document in the first chunk). The enums and inputs the documents use go to `gql/schema.ts`.
 */
const shared = {
  useTypeImports: true,
  enumType: "string-literal",
  scalars: { DateTime: "string", ID: "string" },
} as const;

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.graphql"],
  errorsOnly: true,
  generates: {
    "src/gql/schema.ts": {
      plugins: ["typescript-operations"],
      config: { ...shared, generateOperationTypes: false },
    },
    "src/": {
      preset: "near-operation-file",
      presetConfig: { extension: ".generated.ts" },
      plugins: ["typescript-operations", "typed-document-node"],
      config: { ...shared, importSchemaTypesFrom: "src/gql/schema.ts" },
    },
  },
};

export default config;
