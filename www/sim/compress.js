// The websocket's compressed state format (`State.as_compressed_state`) and change diffs
// (`messages._state_diff`), byte-for-byte in key names and semantics.
import { deepEqual } from "./util.js";

const seconds = (iso) => Date.parse(iso) / 1000;

/** Context as HA compresses it: a bare id unless parent_id or user_id is set. */
export function compressContext(ctx) {
  return ctx.parent_id == null && ctx.user_id == null ? ctx.id : { id: ctx.id, parent_id: ctx.parent_id, user_id: ctx.user_id };
}

/** `{s, a, c, lc, lu?}`; `lu` only when it differs from `lc`. */
export function compressState(st) {
  const out = { s: st.state, a: st.attributes, c: compressContext(st.context), lc: seconds(st.last_changed) };
  if (st.last_updated !== st.last_changed) out.lu = seconds(st.last_updated);
  return out;
}

/** The `{"+": …, "-": …}` diff between two versions of one entity (HA `_state_diff`). */
export function stateDiff(oldSt, newSt) {
  const add = {};
  const diff = {};
  if (oldSt.state !== newSt.state) add.s = newSt.state;
  if (oldSt.last_changed !== newSt.last_changed) add.lc = seconds(newSt.last_changed);
  else if (oldSt.last_updated !== newSt.last_updated) add.lu = seconds(newSt.last_updated);

  const oc = oldSt.context;
  const nc = newSt.context;
  if (oc.parent_id !== nc.parent_id) add.c = { parent_id: nc.parent_id };
  if (oc.user_id !== nc.user_id) {
    if (add.c) add.c.user_id = nc.user_id;
    else add.c = { user_id: nc.user_id };
  }
  if (oc.id !== nc.id) {
    if (add.c) add.c.id = nc.id;
    else add.c = nc.id;
  }

  const oa = oldSt.attributes;
  const na = newSt.attributes;
  if (oa !== na) {
    let changed;
    for (const k in na) {
      if (!(k in oa) || !deepEqual(oa[k], na[k])) (changed ??= {})[k] = na[k];
    }
    if (changed) add.a = changed;
    let removed;
    for (const k in oa) if (!(k in na)) (removed ??= []).push(k);
    if (removed) diff["-"] = { a: removed };
  }
  if (Object.keys(add).length) diff["+"] = add;
  return diff;
}
