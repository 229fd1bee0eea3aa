// Error objects exactly as a websocket `result` carries them (`msg.error`), which is what
// home-assistant-js-websocket rejects `callService`/`callWS` promises with: plain objects, not
// Error instances.

export const wsError = (code, message, extra = {}) => ({ code, message, ...extra });

export const notFound = (domain, service) =>
  wsError("not_found", `Service ${domain}.${service} not found.`, {
    translation_key: "service_not_found",
    translation_domain: "homeassistant",
    translation_placeholders: { domain, service },
  });

export const haError = (message) => wsError("home_assistant_error", message);
export const validationError = (message) => wsError("service_validation_error", `Validation error: ${message}`);
export const unauthorized = () => wsError("unauthorized", "Unauthorized");

/** js-websocket's `ERR_CONNECTION_LOST`. */
export const ERR_CONNECTION_LOST = 3;
/** What in-flight commands are rejected with when the socket closes (`messages.error(3, …)`). */
export const connectionLost = () => ({ type: "result", success: false, error: { code: ERR_CONNECTION_LOST, message: "Connection lost" } });
