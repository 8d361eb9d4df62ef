import "./provider-logo.css";
import "./provider-logos.css";
import { LOGO_TYPES } from "./logo-types";

const KNOWN: ReadonlySet<string> = new Set(LOGO_TYPES);

/**
 * A provider's logo, drawn by CSS from a static SVG (no JavaScript per logo). Always decorative:
 * the provider's name is written next to it. Unknown and custom types get the neutral endpoint glyph.
 */
export function ProviderLogo({ type, size = "md", tile = false }: { type: string; size?: "sm" | "md" | "lg"; tile?: boolean }) {
  const logo = <span className={`provider-logo provider-logo-${KNOWN.has(type) ? type : "custom"} provider-logo-${size}`} aria-hidden="true" />;
  return tile ? (
    <span className="provider-logo-tile" aria-hidden="true">
      {logo}
    </span>
  ) : (
    logo
  );
}
