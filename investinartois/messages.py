"""Django's message storage (a cookie, then the session), set up only when a
request reads or adds a message: a public page never does, and making both
storages (a cookie signer each) cost every request."""

from django.contrib.messages.storage.base import BaseStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.utils.functional import cached_property


class LazyFallbackStorage(FallbackStorage):
    def __init__(self, request, *args, **kwargs):
        BaseStorage.__init__(self, request, *args, **kwargs)
        self._used_storages = set()

    @cached_property
    def storages(self):
        return [storage_class(self.request) for storage_class in self.storage_classes]
