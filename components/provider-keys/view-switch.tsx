"use client";

import { Icon } from "@/components/icons/icon";
import type { View } from "./use-view-choice";

const VIEWS: { value: View; label: string; icon: "cards" | "compact" }[] = [
  { value: "cards", label: "Cards", icon: "cards" },
  { value: "compact", label: "Compact", icon: "compact" },
];

/** Cards or one row per provider: a radio group, so arrow keys move between the two as usual. */
export function ViewSwitch({ choice, onChoose }: { choice: View; onChoose: (v: View) => void }) {
  return (
    <fieldset className="view-switch">
      <legend className="small muted">View</legend>
      {VIEWS.map((v) => (
        <label key={v.value} className={choice === v.value ? "view-option checked" : "view-option"}>
          <input type="radio" name="provider-keys-view" value={v.value} checked={choice === v.value} onChange={() => onChoose(v.value)} />
          <Icon name={v.icon} />
          {v.label}
        </label>
      ))}
    </fieldset>
  );
}
