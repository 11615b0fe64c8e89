// The reports page, rendered on the server: the widget for a signed-in user,
// the sign-in for anyone else.
import { ReportsScreen } from "@/components/ReportsScreen";

export const dynamic = "force-dynamic";

export default function Home() {
  return <ReportsScreen />;
}
