// Server side of `call_service`: lookup, permission, schema validation, response rules, target
// expansion and failure injection, then the integration-specific behaviour. Errors are thrown
// as the websocket error objects HA would send.
import { coreContainerActions, coreRecreateService, coreStackActions } from "./actions-core.js";
import { linkContainerActions, linkStackActions } from "./actions-link.js";
import { balenaEntityActions, balenaServices } from "./actions-balena.js";
import { genericActions } from "./actions-generic.js";
import { describeServices, registeredServices, SchemaError, validate } from "./registry.js";
import { haError, notFound, unauthorized, validationError, wsError } from "./errors.js";
import { isoPy, ulid } from "../util.js";

const ENTITY_ACTIONS = {
  coreContainer: coreContainerActions,
  coreStack: coreStackActions,
  linkContainer: linkContainerActions,
  linkStack: linkStackActions,
  balenaDevice: balenaEntityActions,
};

const noop = (w, call) => w.sleep(call.d * 0.3);
const INTEGRATION_SERVICES = {
  balena_cloud: balenaServices,
  portainer: { recreate_container: coreRecreateService },
};

/** HA's target expansion: explicit entity ids of the service's domain, plus the entities of
 *  targeted devices — excluding config/diagnostic entities, as HA does for device targets. */
function resolveTargets(w, def, domain, data) {
  const ids = new Set();
  const inDomain = (eid) => def.anyDomain || eid.startsWith(`${domain}.`);
  const ent = data.entity_id;
  if (ent === "all") {
    for (const eid in w.store.states) if (inDomain(eid)) ids.add(eid);
  } else if (ent != null && ent !== "none") {
    for (const eid of [].concat(ent)) if (inDomain(eid)) ids.add(eid);
  }
  for (const dev of [].concat(data.device_id ?? [])) {
    for (const eid of w.model.deviceEntities.get(dev) ?? []) {
      if (inDomain(eid) && w.entities[eid]?.entity_category == null) ids.add(eid);
    }
  }
  return [...ids];
}

export function createServiceServer(w) {
  let registered = registeredServices(w.flags, w.domains);
  let described = describeServices(registered);

  async function runEntityService(call, def, targets) {
    const { domain, service } = call;
    const rule = w.takeFailure(domain, service, targets);
    // HA silently skips referenced entities that are missing or unavailable.
    const avail = targets.filter((id) => {
      const st = w.store.get(id);
      return st && st.state !== "unavailable";
    });
    if (domain === "update" && service === "install") {
      for (const eid of avail) {
        if (!((w.store.get(eid).attributes.supported_features ?? 0) & 1)) {
          throw validationError(`Entity ${eid} does not support action update.install`);
        }
      }
    }
    if (domain === "button" && service === "press" && avail.length) {
      // ButtonEntity writes its "last pressed" state BEFORE running async_press, so the
      // timestamp moves even when the press then fails.
      const tx = w.tx(call);
      const pressed = isoPy(Date.now(), { micro: true });
      for (const eid of avail) tx.set(eid, pressed);
      tx.commit();
    }
    let failure = null;
    const jobs = [];
    for (const eid of avail) {
      const owner = w.model.owner.get(eid);
      if (rule && (!rule.entityIds || rule.entityIds.includes(eid))) {
        // Random failures of balena buttons stay invisible: the integration only logs them.
        if (!(rule.random && owner?.type === "balenaDevice" && domain === "button")) failure ??= rule.error;
        continue;
      }
      const key = domain === "homeassistant" && service !== "update_entity" ? `${eid.split(".")[0]}.${service}` : `${domain}.${service}`;
      const fn = ENTITY_ACTIONS[owner?.type]?.[key] ?? genericActions[key] ?? noop;
      jobs.push(Promise.resolve().then(() => fn(w, call, eid, owner ?? {})));
    }
    if (rule && !rule.entityIds && !avail.length && !rule.random) failure = rule.error;
    const results = await Promise.allSettled(jobs);
    if (failure) {
      if (!jobs.length) await w.sleep(call.d * 0.5);
      throw failure;
    }
    const rejected = results.find((r) => r.status === "rejected");
    if (rejected) throw rejected.reason;
  }

  return {
    get described() {
      return described;
    },
    /** Re-evaluate which services exist (flags changed). Returns the new `hass.services`. */
    refresh() {
      registered = registeredServices(w.flags, w.domains);
      described = describeServices(registered);
      return described;
    },
    async call({ domain, service, data, target, returnResponse, user }) {
      // HA folds `target` into the service data before validating it.
      const merged = { ...(data ?? {}), ...(target ?? {}) };
      const def = registered[domain]?.[service];
      const d = w.delay();
      const quick = Math.min(d, 40);
      if (!def) {
        await w.sleep(quick);
        throw notFound(domain, service);
      }
      if (def.admin && !user.is_admin) {
        await w.sleep(quick);
        throw unauthorized();
      }
      try {
        validate(def, merged);
      } catch (err) {
        if (!(err instanceof SchemaError)) throw err;
        await w.sleep(quick);
        throw wsError("invalid_format", err.message);
      }
      const wantsResponse = !!returnResponse;
      if (wantsResponse && !def.desc.response) {
        await w.sleep(quick);
        throw validationError("An action which does not return responses can't be called with return_response=True");
      }
      if (!wantsResponse && def.desc.response && !def.desc.response.optional) {
        await w.sleep(quick);
        throw validationError("The action requires responses and must be called with return_response=True");
      }
      const context = { id: ulid(Date.now(), w.rng.next), parent_id: null, user_id: user.id };
      const call = { domain, service, data: merged, d, context, direct: null };
      let response;
      if (def.entity) {
        const targets = resolveTargets(w, def, domain, merged);
        call.direct = new Set(targets);
        await runEntityService(call, def, targets);
      } else {
        const rule = w.takeFailure(domain, service, null);
        if (rule) {
          await w.sleep(d * 0.5);
          throw rule.error;
        }
        const fn = INTEGRATION_SERVICES[domain]?.[service] ?? noop;
        response = await fn(w, call);
      }
      return wantsResponse ? { context, response: response ?? null } : { context };
    },
  };
}

/** The message a random (failureRate) failure carries, per integration. */
export function randomFailure(domain) {
  return domain === "balena_cloud"
    ? haError("Balena Cloud API error: 503 Service Unavailable")
    : haError("Error communicating with the Portainer API: 500 Internal Server Error");
}
