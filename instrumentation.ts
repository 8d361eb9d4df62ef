// Runs once when the server starts: configuration check, migrations, first admin, backend report.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { bootAtStart } = await import("./lib/boot");
    await bootAtStart();
    const { installRequestGuard } = await import("./lib/api/request-guard");
    const { getEnv } = await import("./lib/env");
    installRequestGuard(getEnv().TRUST_PROXY);
    const { installShutdown } = await import("./lib/shutdown");
    installShutdown();
    const { startHealthHistoryPruning } = await import("./lib/key-health/retention");
    startHealthHistoryPruning();
    const { startHealthChecks } = await import("./lib/key-health/runner");
    startHealthChecks("app");
    const { startUsageMaintenance } = await import("./lib/usage/maintenance");
    startUsageMaintenance();
    const { startWebhookDelivery } = await import("./lib/webhooks/dispatcher");
    startWebhookDelivery();
  }
}
