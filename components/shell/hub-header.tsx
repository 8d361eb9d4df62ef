import Link from "next/link";
import "./hub-header.css";
import type { SessionUser } from "@/lib/auth/session";
import { NotificationBell } from "./notification-bell";
import { TabBar } from "./tab-bar";
import { UserMenu } from "./user-menu";

/** The hub's header: its name, the section tabs and the notification bell (admins only), and the account menu. */
export function HubHeader({ user }: { user: SessionUser | null }) {
  // a one-time password must be replaced before anything else: no sections until then
  const admin = user?.role === "admin" && !user.mustChangePassword;
  return (
    <header className="hub-header">
      <div className="hub-header-inner">
        <Link href="/llm-hub" className="hub-title">
          {/* the app icon (public/favicon.svg), decorative beside the name */}
          {/* a 22 px static SVG: next/image would not optimise it (SVGs pass through), only add a wrapper */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src="/favicon.svg" alt="" width={22} height={22} className="hub-logo" />
          LLM Hub
        </Link>
        {admin && <TabBar />}
        {admin && <NotificationBell />}
        {user && <UserMenu email={user.email} role={user.role} />}
      </div>
    </header>
  );
}
