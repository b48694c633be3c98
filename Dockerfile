# Production image: Debian's GIS libraries and Python, the portal, gunicorn;
# pango, harfbuzz and a font for the plot sheets' PDFs (WeasyPrint).
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends gdal-bin libsqlite3-mod-spatialite \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .

ENV DJANGO_SETTINGS_MODULE=investinartois.settings.prod \
    PYTHONUNBUFFERED=1
# The production settings refuse to load without every required value: these
# stand in for the build only (tests/test_settings.py runs this line).
RUN SECRET_KEY=build-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=build.invalid SITE_URL=https://build.invalid TRUSTED_PROXIES=1 \
    DATABASE_URL=postgis://build/build REDIS_URL=redis://build:6379/0 \
    EMAIL_HOST=build.invalid STAFF_SUPPORT_EMAIL=build@build.invalid \
    python manage.py collectstatic --noinput

# The volumes mounted on media/, opendata/ and beat/ take these owners when
# created.
RUN useradd --system --uid 1000 portal \
    && mkdir -p /app/var /app/media /app/opendata /app/beat \
    && chown portal /app/var /app/media /app/opendata /app/beat
USER portal
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "investinartois.wsgi"]
