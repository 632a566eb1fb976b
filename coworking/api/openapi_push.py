"""The Web Push part of the OpenAPI document: a member's device subscriptions."""

AUTH = [{"bearer": []}, {"session": []}]
_KEY = {"type": "string", "pattern": "^[A-Za-z0-9_-]+={0,2}$"}


def paths(json, problem, body):
    signed_out = problem("Not signed in")
    malformed = problem("Malformed JSON, or a session write without its CSRF token")
    subscription = {
        "type": "object", "required": ["id", "endpoint", "created_at"],
        "properties": {"id": {"type": "integer"}, "endpoint": {"type": "string"},
                       "created_at": {"type": "string", "format": "date-time"}}}
    return {
        "/api/v1/me/push-subscriptions": {"post": {
            "summary": "Store a browser's Web Push subscription for the current member",
            "description": "The body is what the browser's `PushSubscription.toJSON()` gives. "
                           "Waiting-list offers, reminders and changes the space makes reach "
                           "that device from then on. The endpoint must be `https` on a "
                           "public host (no loopback, private or link-local address), except "
                           "for the hosts the server names in PUSH_INSECURE_HOSTS. An "
                           "endpoint stored already (for anyone) now belongs to the caller, "
                           "with the keys sent.",
            "security": AUTH,
            "requestBody": body({
                "type": "object", "required": ["endpoint", "keys"],
                "properties": {
                    "endpoint": {"type": "string", "format": "uri", "maxLength": 1000},
                    "expirationTime": {"type": ["number", "null"]},
                    "keys": {"type": "object", "required": ["p256dh", "auth"],
                             "properties": {
                                 "p256dh": {**_KEY, "description": "The device's P-256 public "
                                            "key, uncompressed (65 bytes), base64url"},
                                 "auth": {**_KEY, "description": "The device's 16-byte "
                                          "authentication secret, base64url"}}}}}),
            "responses": {
                "201": json(subscription, "Stored"),
                "400": malformed, "401": signed_out,
                "409": problem("Web Push is not set up on this server (no VAPID keys)"),
                "415": problem("The body is not sent as Content-Type: application/json"),
                "422": problem("An endpoint that is not https on a public host, or keys that "
                               "are not a P-256 public key and a 16-byte secret; `errors` "
                               "names `endpoint`, `keys.p256dh` or `keys.auth`")}}},
        "/api/v1/me/push-subscriptions/{subscription_id}": {"delete": {
            "summary": "End one of your Web Push subscriptions",
            "security": AUTH,
            "parameters": [{"name": "subscription_id", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 1}}],
            "responses": {"204": {"description": "Ended"}, "400": malformed,
                          "401": signed_out,
                          "404": problem("No such subscription of yours")}}},
    }
