"use client";

import { RelativeTime } from "@/components/ui/relative-time";
import { creditFigures } from "@/lib/providers/credits";
import type { ProviderCredits } from "@/lib/providers/types";

/** What a key's provider said is left of its credit ("$3.20 credit left of $10.00", "no limit"), and when it said so. */
export function CreditLeft({ credits, readAt }: { credits: ProviderCredits; readAt: string }) {
  return (
    <>
      <span>{creditFigures(credits)}</span>{" "}
      <span className="muted small">
        (read <RelativeTime iso={readAt} />)
      </span>
    </>
  );
}
