import type { Metadata } from "next";
import { NotFoundPanel } from "@/components/ui/not-found-panel";

export const metadata: Metadata = { title: "Not found" };

// Any address no page answers: a styled page with a way back instead of Next's bare 404.
export default function NotFound() {
  return (
    <main className="px-4">
      <NotFoundPanel />
    </main>
  );
}
