// Client side of the socket, modelled on home-assistant-js-websocket's `Connection`:
// in-flight commands reject with `{type:"result", success:false, error:{code:3,…}}` when the
// socket drops, commands sent while disconnected reject with the bare number 3, subscriptions
// made with `resubscribe` (default true) are replayed after a reconnect (same callback, same
// original message), the others go silent and their unsubscribe then fails with not_found.
import { connectionLost, ERR_CONNECTION_LOST, wsError } from "./services/errors.js";

export class SimConnection {
  /**
   * @param {object} b backend: {ws, user(), wsDelay(), later(ms, fn), log(type, fields),
   *   callService(msg) → Promise, onReady(), onDisconnected()}
   */
  constructor(b) {
    this._b = b;
    this._connected = true;
    this._cmdId = 1;
    this._pending = new Set();
    this._subs = new Map();
    this._queued = [];
    this._listeners = new Map();
    this.haVersion = "2026.11.0";
    this.options = { setupRetry: 0 };
  }

  get connected() {
    return this._connected;
  }

  addEventListener(type, cb) {
    let list = this._listeners.get(type);
    if (!list) this._listeners.set(type, (list = []));
    list.push(cb);
  }

  removeEventListener(type, cb) {
    const list = this._listeners.get(type);
    const i = list ? list.indexOf(cb) : -1;
    if (i !== -1) list.splice(i, 1);
  }

  fireEvent(type, data) {
    for (const cb of [...(this._listeners.get(type) ?? [])]) {
      try {
        cb(this, data);
      } catch (err) {
        console.error(`[sim] ${type} listener failed`, err);
      }
    }
  }

  /**
   * Run `fn` on the "server" after the websocket latency; settle with its (async) result
   * unless the socket drops first. `entry` is the sim.log record to complete.
   */
  _request(fn, entry) {
    if (!this._connected) {
      this._b.finish(entry, "error", ERR_CONNECTION_LOST);
      // js-websocket: sendMessage() throws ERR_CONNECTION_LOST inside the promise executor.
      return Promise.reject(ERR_CONNECTION_LOST);
    }
    return new Promise((resolve, reject) => {
      const cmd = {
        done: false,
        reject: (err) => {
          if (cmd.done) return;
          cmd.done = true;
          this._pending.delete(cmd);
          this._b.finish(entry, "error", err);
          reject(err);
        },
      };
      this._pending.add(cmd);
      this._b.later(this._b.wsDelay(), () => {
        if (cmd.done) return;
        Promise.resolve()
          .then(fn)
          .then(
            (result) => {
              if (cmd.done) return;
              cmd.done = true;
              this._pending.delete(cmd);
              this._b.finish(entry, "ok", result);
              resolve(result);
            },
            (err) => cmd.reject(err),
          );
      });
    });
  }

  /** `hass.callWS` lands here. `call_service` is accepted too, as HA does. */
  sendMessagePromise(msg) {
    const entry = this._b.log("callWS", { msg });
    if (msg?.type === "call_service") {
      return this._request(() => this._b.callService({
        domain: msg.domain, service: msg.service, data: msg.service_data, target: msg.target, returnResponse: msg.return_response,
      }), entry);
    }
    if (this._b.ws.isSubscription(msg?.type)) {
      // Without a callback the events would go nowhere; HA would still answer `null`.
      return this._request(() => null, entry);
    }
    return this._request(() => this._b.ws.handle(msg, this._b.user()), entry);
  }

  sendMessage(msg) {
    this.sendMessagePromise(msg).catch(() => {});
  }

  ping() {
    return this.sendMessagePromise({ type: "ping" });
  }

  subscribeEvents(cb, eventType) {
    return this.subscribeMessage(cb, eventType ? { type: "subscribe_events", event_type: eventType } : { type: "subscribe_events" });
  }

  /** `subscribeMessage(callback, msg, {resubscribe})` → Promise<() => Promise<void>>. */
  subscribeMessage(callback, msg, options) {
    const info = {
      id: ++this._cmdId,
      callback,
      msg,
      resubscribe: options?.resubscribe !== false,
      server: null,
      removed: false,
      dead: false,
    };
    const entry = this._b.log("subscribeMessage", { msg, resubscribe: info.resubscribe, subscription: info.id });
    const unsubscribe = () => this._unsubscribe(info);
    return new Promise((resolve, reject) => {
      const start = () => {
        this._b.later(this._b.wsDelay(), () => {
          if (info.removed) return;
          if (!this._connected) {
            this._queued.push(start);
            return;
          }
          try {
            this._startServer(info);
          } catch (err) {
            this._b.finish(entry, "error", err);
            reject(err);
            return;
          }
          this._subs.set(info.id, info);
          this._b.finish(entry, "ok", null);
          resolve(unsubscribe);
          // The result comes first, then the initial event (as on the wire).
          queueMicrotask(() => info.server?.sendInitial());
        });
      };
      // Subscribing while disconnected waits for the connection to come back.
      if (this._connected) start();
      else this._queued.push(start);
    });
  }

  _startServer(info) {
    const sub = this._b.ws.subscribe(info.id, info.msg, this._b.user(), (events) => {
      queueMicrotask(() => {
        if (info.server !== sub || info.removed || !this._connected) return;
        this._b.delivered?.(info.msg?.type);
        for (const ev of events) {
          try {
            info.callback(ev);
          } catch (err) {
            console.error("[sim] subscription callback failed", err);
          }
        }
      });
    });
    info.server = sub;
  }

  _unsubscribe(info) {
    const entry = this._b.log("unsubscribe", { subscription: info.id, msg: info.msg });
    if (!this._connected) {
      // js-websocket skips the message while disconnected and forgets the subscription.
      info.removed = true;
      info.server?.close();
      info.server = null;
      this._subs.delete(info.id);
      this._b.finish(entry, "ok", null);
      return Promise.resolve();
    }
    return this._request(() => {
      if (info.removed || info.dead || !info.server) {
        throw wsError("not_found", "Subscription not found.");
      }
      info.removed = true;
      info.server.close();
      info.server = null;
      this._subs.delete(info.id);
      return undefined;
    }, entry);
  }

  /** Socket closed: server-side subscriptions die, in-flight commands reject. */
  _drop() {
    if (!this._connected) return;
    this._connected = false;
    for (const info of this._subs.values()) {
      info.server?.close();
      info.server = null;
    }
    for (const cmd of [...this._pending]) cmd.reject(connectionLost());
    this._pending.clear();
    this.fireEvent("disconnected");
  }

  /** Socket back: replay resubscribing subscriptions, flush queued ones, fire "ready". */
  _restore() {
    if (this._connected) return;
    this._connected = true;
    for (const info of [...this._subs.values()]) {
      if (info.removed) continue;
      if (!info.resubscribe) {
        info.dead = true;
        continue;
      }
      this._b.log("resubscribe", { subscription: info.id, msg: info.msg });
      this._b.later(this._b.wsDelay(), () => {
        if (!this._connected || info.removed) return;
        try {
          this._startServer(info);
          info.server.sendInitial();
        } catch (err) {
          console.error("[sim] resubscribe failed", err);
        }
      });
    }
    const queued = this._queued;
    this._queued = [];
    queued.forEach((start) => start());
    this.fireEvent("ready");
  }

  /** Live server-side subscriptions (for sim.activeSubscriptions()). */
  activeInfos() {
    return [...this._subs.values()].filter((i) => i.server && !i.removed);
  }

  close() {
    this._drop();
  }
}
