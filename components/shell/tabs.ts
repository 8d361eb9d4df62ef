/** The hub's tabs. A tab is listed only once its feature exists: no placeholders, no dead links. */
export const HUB_TABS = [
  { href: "/llm-hub/provider-keys", label: "Provider Keys" },
  { href: "/llm-hub/hub-keys", label: "Hub Keys" },
  { href: "/llm-hub/webhooks", label: "Webhooks" },
  { href: "/llm-hub/usage", label: "Usage" },
  { href: "/llm-hub/users", label: "Users" },
  { href: "/llm-hub/audit", label: "Audit" },
] as const;
