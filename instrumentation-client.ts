// Runs in the browser before the app's own code. zod compiles its object parsers with `new Function`
// where it may, and even its probe for that (caught) is reported as a violation of the pages'
// Content-Security-Policy, which has no 'unsafe-eval'; so the browser's zod parses without
// compiling. The server keeps the compiled parsers.
import { config } from "zod/v4/core";

config({ jitless: true });
