// `arena trade --live`'s gate: the bot object must be promoted to live in the registry, checked before any request; the served simulator on loopback is exempt.
import { shortId } from "../experiments/promotion/identity.ts";
import { DEFAULT_REGISTRY, readRecord, RegistryError } from "../experiments/promotion/registry.ts";
import { UsageError } from "./args.ts";
import { identityOf } from "./promote.ts";

/** Hosts `arena serve` listens on: a venue there is the simulator, not an exchange with money. */
const SERVED_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** True when every URL the config points the venue at is on the loopback host `arena serve` binds. */
export function isServedVenue(urls: { readonly public: string; readonly private: string; readonly ws?: string; readonly wsApi?: string } | undefined): boolean {
  if (urls === undefined) return false;
  return [urls.public, urls.private, urls.ws, urls.wsApi].filter((u) => u !== undefined).every((u) => {
    try {
      return SERVED_HOSTS.has(new URL(u).hostname);
    } catch {
      return false;
    }
  });
}

/**
 * Refuses live trading for a bot (name + params after its schema) that the registry does not
 * hold at the live stage, naming its hash and the stage it is at; reads files only.
 * @throws UsageError
 */
export async function checkLivePromotion(bot: string, params: Record<string, unknown>, urls: Parameters<typeof isServedVenue>[0], registry = DEFAULT_REGISTRY): Promise<void> {
  if (isServedVenue(urls)) return;
  const id = identityOf(bot, params);
  let stage;
  try {
    stage = (await readRecord(registry, id))?.stage ?? "sim";
  } catch (e) {
    if (e instanceof RegistryError) throw new UsageError(e.message);
    throw e;
  }
  if (stage !== "live") {
    throw new UsageError(`--live: ${shortId(id)} ${JSON.stringify(id.params)} (params hash ${id.hash}) is at stage ${stage} in the registry ${JSON.stringify(registry)}, not live: promote it (arena promote ${bot} --to ...) or trade it on paper`);
  }
}
