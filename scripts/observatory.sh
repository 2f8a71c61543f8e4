#!/usr/bin/env bash
# Score the production stack with Mozilla's HTTP Observatory scanner (the open-source
# @mdn/mdn-http-observatory, run locally), and print the grade, score and each test.
#
# What runs, all on this machine and all removed on exit:
#   - gunicorn with newsroom.settings.prod on a spare port, on a fresh PostgreSQL
#     database (demo content loaded) and the local Redis (a key prefix of its own);
#   - nginx with deploy/nginx.conf as shipped, only rendered with sed (server name,
#     certificate paths, media alias, upstream port, loopback listen addresses), on
#     127.0.0.1:80 and :443 as the scanner only fetches http://HOST/ and https://HOST/;
#   - a throwaway local CA and a certificate for HOST, trusted by the scanner through
#     NODE_EXTRA_CA_CERTS; HOST is added to /etc/hosts (127.0.0.1) if it doesn't resolve.
#
# Usage: bash scripts/observatory.sh   (as root: nginx binds ports 80 and 443)
# Exit status: 0 for an A+, 1 for any lower grade, 2 when the scan itself failed.
# Environment: OBSERVATORY_HOST (newsroom.test), OBSERVATORY_DB (newsroom_observatory),
#   OBSERVATORY_PG (postgres://postgres@127.0.0.1:5432), OBSERVATORY_REDIS_URL
#   (redis://127.0.0.1:6379/0), OBSERVATORY_SCANNER_VERSION (1.4.8),
#   OBSERVATORY_JSON (a file to keep the scanner's raw JSON in), OBSERVATORY_VERBOSE=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$ROOT/.venv/bin
HOST=${OBSERVATORY_HOST:-newsroom.test}
DB_NAME=${OBSERVATORY_DB:-newsroom_observatory}
PG=${OBSERVATORY_PG:-postgres://postgres@127.0.0.1:5432}
REDIS_URL_BASE=${OBSERVATORY_REDIS_URL:-redis://127.0.0.1:6379/0}
SCANNER_VERSION=${OBSERVATORY_SCANNER_VERSION:-1.4.8}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/newsroom-observatory
SCANNER_DIR=$CACHE/scanner-$SCANNER_VERSION
SCANNER_PKG=$SCANNER_DIR/node_modules/@mdn/mdn-http-observatory

say() { echo "observatory: $*" >&2; }
die() {
    say "$*"
    exit 2
}

[[ -x $BIN/python ]] || die "no virtualenv at $BIN: run 'make install' first"
command -v node >/dev/null || die "node is needed"
command -v npm >/dev/null || die "npm is needed"
command -v openssl >/dev/null || die "openssl is needed"
command -v curl >/dev/null || die "curl is needed"
command -v createdb >/dev/null || die "the PostgreSQL client tools (createdb, dropdb) are needed"

# nginx: Debian's package, installed once (as root).
if ! command -v nginx >/dev/null; then
    [[ $(id -u) == 0 ]] || die "nginx is not installed (apt-get install nginx-light, as root)"
    say "installing nginx-light"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
fi

# The scanner, installed once into the cache, never into the repository. Its install
# scripts download Chromium's HSTS preload list, IANA's TLD list and CCADB's
# intermediate certificates, none of which are reachable from every machine (and npm
# then fails the whole install), so they are skipped. The CLI needs the preload list
# file: an empty one is exact for a name like newsroom.test, which no list can hold.
if [[ ! -e $SCANNER_DIR/.installed ]]; then
    say "installing @mdn/mdn-http-observatory@$SCANNER_VERSION into $SCANNER_DIR"
    rm -rf "$SCANNER_DIR"
    mkdir -p "$SCANNER_DIR"
    echo '{"private": true}' >"$SCANNER_DIR/package.json"
    npm install --prefix "$SCANNER_DIR" --ignore-scripts --no-audit --no-fund --loglevel=error \
        "@mdn/mdn-http-observatory@$SCANNER_VERSION" >&2
    [[ -s $SCANNER_PKG/conf/hsts-preload.json ]] || echo '{}' >"$SCANNER_PKG/conf/hsts-preload.json"
    touch "$SCANNER_DIR/.installed"
fi

# Everything this run makes lives here (or is named here, for cleanup).
TMP=$(mktemp -d -t newsroom-observatory.XXXXXX)
chmod 755 "$TMP" # nginx's workers (www-data) read media and write temp files below it
REDIS_PREFIX=observatory-$$-$RANDOM
GUNICORN_PID=
NGINX_PID_FILE=$TMP/nginx/nginx.pid
HOSTS_LINE="127.0.0.1 $HOST # newsroom-observatory $$"
ADDED_HOSTS=
SCAN_DONE=

cleanup() {
    local rc=$?
    set +e
    if [[ -z $SCAN_DONE && $rc != 0 && $rc != 130 && $rc != 143 ]]; then
        for log in "$TMP/setup.log" "$TMP/gunicorn.log" "$TMP/nginx/error.log" "$TMP/scan.err"; do
            [[ -s $log ]] && { say "--- last lines of $(basename "$log")"; tail -n 25 "$log" >&2; }
        done
    fi
    if [[ -s $NGINX_PID_FILE ]]; then
        kill -QUIT "$(cat "$NGINX_PID_FILE")" 2>/dev/null
        for _ in $(seq 50); do [[ -e $NGINX_PID_FILE ]] || break; sleep 0.1; done
    fi
    if [[ -n $GUNICORN_PID ]]; then
        kill -QUIT "$GUNICORN_PID" 2>/dev/null # quick shutdown
        for _ in $(seq 100); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$GUNICORN_PID" 2>/dev/null
        wait "$GUNICORN_PID" 2>/dev/null
    fi
    dropdb --maintenance-db="$PG/postgres" --if-exists --force "$DB_NAME" 2>/dev/null
    "$BIN/python" - "$REDIS_URL_BASE" "$REDIS_PREFIX" <<'EOF' 2>/dev/null
import sys, redis
r = redis.Redis.from_url(sys.argv[1], socket_timeout=2)
for key in r.scan_iter(match=sys.argv[2] + ":*"):
    r.delete(key)
EOF
    if [[ -n $ADDED_HOSTS ]]; then
        # Rewritten in place (not sed -i): /etc/hosts is often a bind mount.
        grep -vxF "$HOSTS_LINE" /etc/hosts >"$TMP/hosts" && cat "$TMP/hosts" >/etc/hosts
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Run a setup step quietly; its output is shown if it fails (see cleanup).
quiet() { "$@" >>"$TMP/setup.log" 2>&1; }
free_port() { "$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# With SO_REUSEADDR, as nginx binds: a port left in TIME_WAIT by the last run is free.
can_bind() {
    "$BIN/python" - "$@" 2>/dev/null <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
EOF
}

for port in 80 443; do
    can_bind 127.0.0.1 $port || die "127.0.0.1:$port is taken (a system nginx?) or needs root; the scanner only uses ports 80 and 443"
done

# The name must resolve to this machine, for the scanner and for nginx's server_name.
if [[ $(getent ahostsv4 "$HOST" | awk 'NR == 1 { print $1 }') != 127.0.0.1 ]]; then
    [[ -w /etc/hosts ]] || die "$HOST does not resolve to 127.0.0.1 and /etc/hosts is not writable"
    say "adding '$HOST' to /etc/hosts for this run"
    echo "$HOSTS_LINE" >>/etc/hosts
    ADDED_HOSTS=1
fi

# A throwaway CA and a certificate for HOST signed by it.
say "making a local CA and a certificate for $HOST"
mkdir -p "$TMP/tls" "$TMP/media" "$TMP/static" "$TMP/nginx"
chmod 700 "$TMP/tls" # keys: root (nginx's master) only
(
    cd "$TMP/tls"
    quiet openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Newsroom observatory local CA" \
        -keyout ca.key -out ca.pem \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    quiet openssl req -newkey rsa:2048 -nodes -subj "/CN=$HOST" -keyout privkey.pem -out server.csr
    printf 'subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' \
        "$HOST" >server.ext
    quiet openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
        -extfile server.ext -out fullchain.pem
)

# The production settings, on a fresh database and a Redis key prefix of this run's own.
# Settings that change headers are left at their shipped defaults.
unset SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS AD_NETWORK_HOSTS MEDIA_S3_BUCKET DEBUG ADMIN_URL
APP_PORT=$(free_port)
export DJANGO_SETTINGS_MODULE=newsroom.settings.prod
export SECRET_KEY
SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
export ALLOWED_HOSTS=$HOST SITE_URL=https://$HOST TRUSTED_PROXIES=127.0.0.1
export DATABASE_URL=$PG/$DB_NAME
export REDIS_URL="$REDIS_URL_BASE?key_prefix=$REDIS_PREFIX"
export MEDIA_ROOT=$TMP/media STATIC_ROOT=$TMP/static
export PORT=$APP_PORT GUNICORN_WORKERS=2

say "preparing database $DB_NAME (migrate, collectstatic, load_demo)"
PGOPTIONS='-c client_min_messages=warning' dropdb --maintenance-db="$PG/postgres" --if-exists --force "$DB_NAME"
createdb --maintenance-db="$PG/postgres" "$DB_NAME"
cd "$ROOT"
quiet "$BIN/python" manage.py migrate --no-input
quiet "$BIN/python" manage.py collectstatic --no-input -v 0
quiet "$BIN/python" manage.py load_demo

say "starting gunicorn on 127.0.0.1:$APP_PORT"
"$BIN/gunicorn" -c gunicorn.conf.py newsroom.wsgi >"$TMP/gunicorn.log" 2>&1 &
GUNICORN_PID=$!

# Render the shipped config: only names, paths, the upstream port and listen addresses.
sed -E \
    -e "s#^(\s*server_name\s+)[^;]+;#\1$HOST;#" \
    -e "s#^(\s*ssl_certificate\s+)[^;]+;#\1$TMP/tls/fullchain.pem;#" \
    -e "s#^(\s*ssl_certificate_key\s+)[^;]+;#\1$TMP/tls/privkey.pem;#" \
    -e "s#^(\s*alias\s+)[^;]+;#\1$TMP/media/;#" \
    -e "s#^(\s*server\s+)127\.0\.0\.1:[0-9]+#\1127.0.0.1:$APP_PORT#" \
    -e "s#^(\s*listen\s+)\[::\]:#\1[::1]:#" \
    -e "s#^(\s*listen\s+)([0-9]+)#\1127.0.0.1:\2#" \
    "$ROOT/deploy/nginx.conf" >"$TMP/nginx/newsroom.conf"
can_bind ::1 0 || sed -E -i '/^\s*listen\s+\[::1\]/d' "$TMP/nginx/newsroom.conf"
if grep -nE '^\s*[^#[:space:]].*(example\.com|letsencrypt|/srv/newsroom|127\.0\.0\.1:8000)' "$TMP/nginx/newsroom.conf" >&2; then
    die "deploy/nginx.conf changed shape: the lines above were not rendered"
fi
if [[ -n ${OBSERVATORY_VERBOSE:-} ]]; then
    diff -u "$ROOT/deploy/nginx.conf" "$TMP/nginx/newsroom.conf" >&2 || true
fi

# A minimal main config (as Debian's /etc/nginx/nginx.conf would be) with pid, logs and
# temp paths of its own, so a system nginx is never touched.
N=$TMP/nginx
cat >"$N/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid $N/nginx.pid;
error_log $N/error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log $N/access.log;
    client_body_temp_path $N/client_body;
    proxy_temp_path $N/proxy;
    fastcgi_temp_path $N/fastcgi;
    uwsgi_temp_path $N/uwsgi;
    scgi_temp_path $N/scgi;
    include $N/newsroom.conf;
}
EOF
quiet nginx -e "$N/error.log" -p "$N" -c "$N/nginx.conf" -t
say "starting nginx (deploy/nginx.conf) on $HOST:80 and :443"
nginx -e "$N/error.log" -p "$N" -c "$N/nginx.conf"

# Wait until the whole chain answers over TLS with the local CA.
for i in $(seq 150); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$TMP/tls/ca.pem" "https://$HOST/healthz" || true)
    [[ $code == 200 ]] && break
    kill -0 "$GUNICORN_PID" 2>/dev/null || die "gunicorn exited"
    ((i < 150)) || die "https://$HOST/healthz never answered 200 (last: $code)"
    sleep 0.2
done

# The scanner's CLI. Its bin/wrapper.js only sets NODE_EXTRA_CA_CERTS to Mozilla's
# intermediate bundle (replacing ours) and runs src/scan.js, so run that directly.
say "scanning $HOST"
if ! NODE_EXTRA_CA_CERTS=$TMP/tls/ca.pem node "$SCANNER_PKG/src/scan.js" "$HOST" >"$TMP/scan.json" 2>"$TMP/scan.err"; then
    cat "$TMP/scan.json" >&2
    die "the scanner failed"
fi
[[ -n ${OBSERVATORY_JSON:-} ]] && cp "$TMP/scan.json" "$OBSERVATORY_JSON"
SCAN_DONE=1

# The table; exits 0 for A+, 1 otherwise, 2 if the output is not a scan.
"$BIN/python" - "$TMP/scan.json" "$HOST" <<'EOF'
import json, sys

with open(sys.argv[1]) as f:
    data = json.load(f)
if "scan" not in data:
    print("scanner error:", data.get("error", data), file=sys.stderr)
    sys.exit(2)
scan, tests = data["scan"], data["tests"]
rows = [
    (name, "pass" if t.get("pass") else "FAIL", f"{t.get('scoreModifier') or 0:+d}", t.get("result") or "")
    for name, t in tests.items()
]
head = ("test", "result", "score", "outcome")
widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(4)]
fmt = "  ".join("{:<%d}" % w for w in widths)


def line(*cells):
    print(fmt.format(*cells).rstrip())


print(f"HTTP Observatory ({sys.argv[2]}, algorithm v{scan.get('algorithmVersion')}): "
      f"grade {scan['grade']}, score {scan['score']}, "
      f"{scan['testsPassed']}/{scan['testsQuantity']} tests passed")
line(*head)
line(*("-" * w for w in widths))
for row in rows:
    line(*row)
for name, t in tests.items():
    if not t.get("pass"):
        print(f"{name}: expected {t.get('expectation')}, got {t.get('result')}")
sys.exit(0 if scan["grade"] == "A+" else 1)
EOF
