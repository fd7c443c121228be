export * from "../../examples/harness"; // moved there (test tooling, not shipped); kept only for bench/
