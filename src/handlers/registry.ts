import { echo } from "./builtin/echo";
import { fail } from "./builtin/fail";
import { http } from "./builtin/http";
import { simulate } from "./builtin/simulate";
import { sleep } from "./builtin/sleep";
import { HandlerRegistry } from "./handler-registry";

/**
 * In-Worker handlers by job type. Add your own here: `registry.set("send-email", sendEmail)`, and
 * middleware from ./middleware: `registry.use("*", logging())`, `registry.use("send-email", timeout(5000))`.
 */
export const registry = new HandlerRegistry().set("echo", echo).set("sleep", sleep).set("fail", fail).set("http", http).set("simulate", simulate);
