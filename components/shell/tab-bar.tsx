"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { HUB_TABS } from "./tabs";

/** Navigation between the hub's sections; the current one is marked for assistive technology too. */
export function TabBar() {
  const pathname = usePathname();
  return (
    <nav aria-label="LLM Hub sections" className="tab-bar">
      <ul>
        {HUB_TABS.map((tab) => {
          const current = pathname === tab.href || pathname.startsWith(`${tab.href}/`);
          return (
            <li key={tab.href}>
              <Link href={tab.href} aria-current={current ? "page" : undefined} className="tab">
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
