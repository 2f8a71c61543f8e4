"""gunicorn settings for Newsroom: `gunicorn -c gunicorn.conf.py newsroom.wsgi`.

Every value can be overridden with an environment variable of the same purpose. The
workers are gunicorn's sync workers, one request at a time each, which need a buffering
proxy in front: nginx (deploy/nginx.conf) takes slow uploads and downloads entirely, so a
worker only ever talks to a fast local proxy.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Sync workers: a page rendered is CPU work, and a worker busy with one takes no other
# connection, so the kernel hands each new one to a worker that is free. gthread workers
# accept every connection offered, busy or not, and keep it (keep-alive): under wrk at 32
# connections one of four workers held 16 to 28 of them while others held none, and a
# page's p99 was 1.6 to 4.4 times its median; sync workers held it at 1.2, at 64
# connections 1.5 (gthread: 5.1), with 6 MB less a worker (`scripts/bench_gunicorn.py
# --mixes 4x4,4x4c4,4x4c8,4x0`; the figures and their CPU in the README). A frozen
# database holds a worker for one deadline at most (newsroom/postgres/base.py), after
# which the process fails fast and serves the page cache again, as its threads did.
# GUNICORN_THREADS=N gives gthread workers of N threads each, taking a connection only
# when a thread is free for it (gunicorn issue #908).
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "sync" if threads == 1 else "gthread"
worker_connections = threads
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# No keep-alive: a sync worker closes each connection after its answer whatever this
# says, and gthread workers taking a connection only when a thread is free have no room
# for idle ones (gunicorn warns when asked to keep some).
keepalive = 0
# Recycle workers now and then, so a slow leak can never grow without bound, but
# seldom: a new worker loads the project again (about a second of CPU) and renders its
# first pages cold. At 2,000 requests, under the 400 pages a second that 4 workers serve
# uncached on a 2-core machine, each worker was replaced every 20 s:
# `scripts/bench_gunicorn.py --mixes 4x4 --seconds 40` measured 4.8 ms of CPU a page and
# a p99 of 2.7 times the median, and with GUNICORN_CMD_ARGS="--max-requests 0" 4.3 ms and
# 2.1 times; a worker's memory did not grow over its ~4,000 requests (111-113 MB).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 50_000))
max_requests_jitter = max_requests // 10
# Logs go to the terminal (or journald/docker): access log to stdout, errors to stderr.
# Django's own logging (settings.LOGGING) writes each 500 with its traceback to stderr.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# No control socket: its default path is per user, so two nodes on one machine would
# take it from each other.
control_socket_disable = True
# Only the local proxy may set X-Forwarded-*; Django reads them via TRUSTED_PROXIES.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """The application is loaded: the ~130,000 objects of Django and the project, which
    live as long as the worker, are moved out of the garbage collector's reach. Its full
    pass otherwise walks them all every few hundred requests (~40 ms on a 2-core VM, one
    request's worth of latency added to whichever request triggers it; ~6 ms once they
    are frozen). Instagram's reason for gc.freeze(), which Python 3.7 added for it."""
    gc.freeze()
