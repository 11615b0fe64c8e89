// POST /api/cxreports/nonce: a fresh single-use nonce for the report viewer,
// for the signed-in user, never cached.
import { endpoint } from "@/lib/cxreports/guard";
import { mintNonce } from "@/lib/cxreports/upstream";

export const dynamic = "force-dynamic";

export const POST = endpoint("nonce", () => mintNonce());
