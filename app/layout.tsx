import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import "./globals.css";

// Pages name themselves ("Provider Keys"); the template says where ("Provider Keys · LLM Hub").
// The icons and manifest are files in public/, made by scripts/app-icons.mjs.
export const metadata: Metadata = {
  title: { default: "LLM Hub", template: "%s · LLM Hub" },
  description: "Manage LLM provider keys",
  applicationName: "LLM Hub",
  manifest: "/site.webmanifest",
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "16x16 32x32 48x48" },
      { url: "/favicon.svg", type: "image/svg+xml" },
      { url: "/favicon-32x32.png", sizes: "32x32", type: "image/png" },
      { url: "/favicon-16x16.png", sizes: "16x16", type: "image/png" },
    ],
    apple: { url: "/apple-touch-icon.png", sizes: "180x180" },
  },
};

export const viewport: Viewport = { themeColor: "#2563eb" };

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
