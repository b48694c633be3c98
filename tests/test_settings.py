import secrets
import subprocess
import sys

from django.conf import settings

PROD_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "investinartois.fr",
    "DATABASE_URL": "postgis://portal@db/portal",
    "REDIS_URL": "redis://redis:6379/0",
    "EMAIL_HOST": "smtp.example.org",
}


def load_prod_settings(env):
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.DEBUG"],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "investinartois.settings.prod", **env},
        capture_output=True,
        text=True,
    )


def test_production_starts_with_its_required_values():
    result = load_prod_settings(PROD_ENV)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_each_required_value():
    for name in PROD_ENV:
        env = {key: value for key, value in PROD_ENV.items() if key != name}
        result = load_prod_settings(env)
        assert result.returncode != 0
        assert f"The environment variable {name} is required." in result.stderr


def test_production_static_files_build(tmp_path):
    """The manifest storage follows every url() and sourceMappingURL: a missing
    vendored file would break the deployment."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env={
            "DJANGO_SETTINGS_MODULE": "investinartois.settings.prod",
            "STATIC_ROOT": str(tmp_path),
            "PATH": "/usr/bin:/bin",
            **PROD_ENV,
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
