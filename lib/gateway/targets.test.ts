import { describe, expect, it } from "vitest";
import { parseGatewayModel } from "@/lib/providers/model-route";
import { customRoute } from "./targets";

describe("customRoute", () => {
  it.each([
    ["Local vLLM", "local-vllm"],
    ["My  vLLM // box!", "my-vllm-box"],
    ["--Edge_Node.2--", "edge_node.2"],
    ["Ünïcode Box", "n-code-box"],
    ["x".repeat(80), "x".repeat(64)],
  ])("%j -> %j", (name, route) => {
    expect(customRoute(name)).toBe(route);
  });

  it("makes routes that gateway model names can carry", () => {
    for (const name of ["Local vLLM", "a", "Team A's GPU box", "0-day"]) {
      const route = customRoute(name);
      expect(parseGatewayModel(`${route}/some/model`)).toEqual({ route, model: "some/model" });
    }
  });
});
