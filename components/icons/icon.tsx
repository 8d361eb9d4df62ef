import "./icon.css";
import "./icons.css";
import type { IconName } from "./icon-names";

export type { IconName };

/**
 * A lucide icon drawn by CSS (a static SVG as a mask; no JavaScript per icon). Decorative by
 * default: the control it sits in must carry the words. Give `label` only when the icon stands alone.
 */
export function Icon({ name, label, className }: { name: IconName; label?: string; className?: string }) {
  const cls = `icon icon-${name}${className ? ` ${className}` : ""}`;
  return label ? <span className={cls} role="img" aria-label={label} /> : <span className={cls} aria-hidden="true" />;
}
