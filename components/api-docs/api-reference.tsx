"use client";
import { useEffect, useRef, useState } from "react";
import "swagger-ui-dist/swagger-ui.css";

type State = "loading" | "ready" | "error";

/**
 * The OpenAPI document at `url`, rendered by swagger-ui (its prebuilt bundle from swagger-ui-dist,
 * loaded on this page alone and only in the browser). Requests made with "Try it out" carry the
 * browser's session cookie, like the app's own.
 */
export function ApiReference({ url }: { url: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<State>("loading");
  useEffect(() => {
    let gone = false;
    import("swagger-ui-dist/swagger-ui-es-bundle.js")
      .then(({ default: SwaggerUIBundle }) => {
        if (gone || !host.current) return;
        SwaggerUIBundle({
          domNode: host.current,
          url,
          docExpansion: "list",
          defaultModelsExpandDepth: 0,
          deepLinking: true,
          onComplete: () => !gone && setState("ready"),
        });
      })
      .catch(() => !gone && setState("error"));
    return () => {
      gone = true;
    };
  }, [url]);
  return (
    <>
      {state === "loading" && (
        <p role="status" className="api-docs-status">
          Loading the API reference…
        </p>
      )}
      {state === "error" && (
        <p role="alert" className="api-docs-status error">
          The API reference could not be loaded. Reload the page, or read <a href={url}>the document itself</a>.
        </p>
      )}
      <div ref={host} className="api-docs-viewer" hidden={state === "error"} />
    </>
  );
}
