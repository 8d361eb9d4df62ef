import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = { title: "LLM Hub", description: "Manage LLM provider keys" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request, the not-found page and the redirects included: scripts of a
  // page prerendered at build time would carry no nonce, and the CSP (proxy.ts) would block them.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
