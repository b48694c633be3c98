"""Uploaded media (photos) on S3-compatible object storage through
django-storages when MEDIA_S3_BUCKET is set, else files under MEDIA_ROOT.
Web workers on several machines then share the photos without a volume."""

from urllib.parse import urlsplit

from investinartois.env import env

MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET", None)


def _media_host(endpoint, domain, region):
    """Where browsers fetch the photos from (the Content Security Policy's img-src)."""
    if domain:
        return f"https://{domain}"
    if endpoint:
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    return f"https://{MEDIA_S3_BUCKET}.s3.{region or 'us-east-1'}.amazonaws.com"


if MEDIA_S3_BUCKET:
    _endpoint = env("MEDIA_S3_ENDPOINT_URL", None)
    _domain = env("MEDIA_S3_CUSTOM_DOMAIN", None)
    _region = env("MEDIA_S3_REGION", None)
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            # Required with a bucket: a missing key fails at start, not at the
            # first upload.
            "access_key": env("MEDIA_S3_ACCESS_KEY_ID"),
            "secret_key": env("MEDIA_S3_SECRET_ACCESS_KEY"),
            "endpoint_url": _endpoint,
            "region_name": _region,
            "custom_domain": _domain,
            # Public photos under stable addresses (the bucket's policy lets
            # anyone read them); names are random and never overwritten.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    MEDIA_HOST = _media_host(_endpoint, _domain, _region)
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    MEDIA_HOST = None
