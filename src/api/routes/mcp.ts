import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { Hono } from "hono";
import { allows } from "../../auth/scopes";
import { EdgeqClient } from "../../client";
import { runTool, TOOLS } from "../../mcp/tools";
import type { AppEnv } from "../app-env";
import { requireScope } from "../auth";

export const MCP_PATH = "/mcp";
/** The internal origin the tools' client calls; requests never leave the Worker. */
const SELF = "http://edgeq.internal";

/**
 * The Model Context Protocol endpoint for AI assistants (Streamable HTTP, stateless: every POST
 * carries its own JSON-RPC request and gets a JSON answer). The caller's key decides which tools it
 * sees; each tool calls the API itself with that key, through `api.fetch`, so nothing is checked twice
 * differently.
 */
export function mcpRoutes(api: Pick<Hono<AppEnv>, "fetch">) {
  return new Hono<AppEnv>().on(["GET", "POST", "DELETE"], MCP_PATH, requireScope("read"), async (c) => {
    const client = new EdgeqClient({
      url: SELF,
      key: /^Bearer\s+(\S+)/i.exec(c.req.header("authorization") ?? "")?.[1] ?? "",
      // A tool that meets 429 reports it rather than waiting inside the assistant's call.
      maxRetries: 0,
      fetch: async (input, init) => api.fetch(new Request(input, init), c.env, c.executionCtx),
    });
    const server = new McpServer({ name: "edgeq", version: "1.0.0" }, { capabilities: { tools: {} } });
    for (const tool of TOOLS) {
      if (!allows(c.var.principal!.scopes, tool.scope)) continue;
      server.registerTool(
        tool.name,
        { description: tool.description, inputSchema: tool.input, annotations: { readOnlyHint: tool.scope === "read", destructiveHint: tool.name.startsWith("delete_") || tool.name.startsWith("cancel_") } },
        (args: Record<string, unknown>) => runTool(tool, client, args),
      );
    }
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    return transport.handleRequest(c.req.raw);
  });
}
