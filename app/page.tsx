import { redirect } from "next/navigation";

export default function Home() {
  redirect("/llm-hub/provider-keys");
}
