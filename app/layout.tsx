import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = { title: "LLM Hub", description: "Manage LLM provider keys" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
