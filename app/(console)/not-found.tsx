import { NotFoundPanel } from "@/components/ui/not-found-panel";

// notFound() inside the console (an unknown request id, an authorizer that is gone): keeps the console's navigation.
export default function ConsoleNotFound() {
  return <NotFoundPanel />;
}
