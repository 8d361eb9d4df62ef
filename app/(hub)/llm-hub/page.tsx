import { redirect } from "next/navigation";
import { HUB_TABS } from "@/components/shell/tabs";

export default function LlmHub() {
  redirect(HUB_TABS[0].href);
}
