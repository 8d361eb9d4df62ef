/**
 * One admin per spec: the key-test budget (10 a minute) is per user, so specs never spend each
 * other's. Passwords are made fresh by the global setup.
 */
export const E2E_USERS = {
  crud: { email: "e2e-crud@example.com", role: "admin" },
  custom: { email: "e2e-custom@example.com", role: "admin" },
  limits: { email: "e2e-limits@example.com", role: "admin" },
  keyboard: { email: "e2e-keyboard@example.com", role: "admin" },
  access: { email: "e2e-access@example.com", role: "admin" },
  looks: { email: "e2e-looks@example.com", role: "admin" },
  alerts: { email: "e2e-alerts@example.com", role: "admin" },
  usage: { email: "e2e-usage@example.com", role: "admin" },
  webhooks: { email: "e2e-webhooks@example.com", role: "admin" },
  security: { email: "e2e-security@example.com", role: "admin" },
  hubKeys: { email: "e2e-hub-keys@example.com", role: "admin" },
  hubKeysKeyboard: { email: "e2e-hub-keys-keyboard@example.com", role: "admin" },
  hubKeysLooks: { email: "e2e-hub-keys-looks@example.com", role: "admin" },
  users: { email: "e2e-users@example.com", role: "admin" },
  audit: { email: "e2e-audit@example.com", role: "admin" },
  viewer: { email: "e2e-viewer@example.com", role: "viewer" },
} as const;

export type E2EUser = { email: string; role: "admin" | "viewer"; password: string };
export type E2EUsers = Record<keyof typeof E2E_USERS, E2EUser>;
