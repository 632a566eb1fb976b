"""A member's Web Push subscriptions: a browser that turned notifications on stores its
subscription here, and ends it here when they are turned off."""
from flask import jsonify
from flask_login import current_user

from coworking.api import bp
from coworking.api.common import login_required, programme_time
from coworking.api.inputs import Fields, json_fields
from coworking.push import service
from coworking.push.models import ENDPOINT_MAX


def subscription_json(subscription):
    return {"id": subscription.id, "endpoint": subscription.endpoint,
            "created_at": programme_time(subscription.created_at)}


@bp.post("/me/push-subscriptions")
@login_required
def create_push_subscription():
    fields = json_fields()
    endpoint = fields.string("endpoint", ENDPOINT_MAX + 1000)
    keys = Fields(fields.object("keys"))
    p256dh, auth = None, None
    if "keys" not in fields.errors:
        p256dh = keys.string("p256dh", 200)
        auth = keys.string("auth", 100)
        fields.errors.update({f"keys.{name}": messages for name, messages in keys.errors.items()})
    fields.raise_if_invalid()
    subscription = service.subscribe(current_user, endpoint, p256dh, auth)
    return jsonify(subscription_json(subscription)), 201


@bp.delete("/me/push-subscriptions/<int:subscription_id>")
@login_required
def delete_push_subscription(subscription_id):
    service.unsubscribe(current_user, subscription_id)
    return "", 204
