"""What the Web Push tests share: the local push service, a device, and members whose
earlier mail is gone already."""
import pytest

from tests.notifications.conftest import desk, make_user  # noqa: F401  (fixtures)
from tests.push.push_endpoint import Device, PushEndpoint


@pytest.fixture
def push_endpoint(app):
    """The local push service, and the app allowed to post to it over plain http."""
    endpoint = PushEndpoint().start()
    app.config.update(PUSH_INSECURE_HOSTS="127.0.0.1", PUSH_TIMEOUT_SECONDS=1)
    yield endpoint
    endpoint.stop()


@pytest.fixture
def device():
    return Device()
