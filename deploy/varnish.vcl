vcl 4.1;

# Varnish in front of Newsroom: nginx (TLS, :443) -> Varnish (127.0.0.1:6081) -> gunicorn
# (127.0.0.1:8000). For Debian 12's varnish 7.1 with varnish-modules (vmod xkey).
#
# Run it with this file and a listening address nginx's upstream points at, e.g.
#   varnishd -a 127.0.0.1:6081 -f /etc/varnish/newsroom.vcl -s malloc,1g
# (the README shows the systemd override). Replace news.example.com below (the health
# probe) with the site's host name, as in deploy/nginx.conf and ALLOWED_HOSTS.
#
# What the app promises (newsroom's middleware and purges):
# - a response Varnish may keep says `Cache-Control: public, ..., s-maxage=N` and names
#   what it shows in `xkey: article-12 section-3 ...`; anything personal says private,
#   no-cache or no-store, or sets a cookie, and is never kept here;
# - after each commit the app sends `PURGE /` with `xkey-purge: <keys>` (gone now:
#   removals) and/or `xkey-softpurge: <keys>` (stale now: served while one background
#   fetch refreshes it), from an address in the `purgers` ACL.
#
# man vcl, vcl-var, vcl-probe, vmod_std and vmod_xkey document what is used here;
# `varnishd -x builtin` prints the built-in VCL this file replaces in every subroutine
# that ends with a return.

import std;
import xkey;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;      # gunicorn's own timeout is 30 s
    .between_bytes_timeout = 10s;
    # /healthz answers 503 while the app cannot reach its database: the backend is then
    # "sick", and readers are served the last good copy of each page (grace, below)
    # without the app being asked. The request carries the site's host (Django refuses
    # other hosts) and says HTTPS (else the production settings redirect it).
    .probe = {
        .request =
            "GET /healthz HTTP/1.1"
            "Host: news.example.com"
            "X-Forwarded-Proto: https"
            "User-Agent: Varnish health probe"
            "Connection: close";
        .interval = 1s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;             # sick after 3 failed probes of the last 5 (~3 s)
        .initial = 3;               # healthy from the start, not after 3 probes
    }
}

# Who may PURGE: this host (the app on the same machine). App servers on other hosts
# go here too, one line each ("10.0.0.12"; or a network: "10.0.0.0"/24;), and Varnish
# must then listen on an address they reach (-a 10.0.0.5:6081 as well).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # Headers this file uses to remember things across a restart: never the client's.
    if (req.restarts == 0) {
        unset req.http.X-Newsroom-Stale-Only;
        unset req.http.X-Newsroom-Fetched;
        unset req.http.X-Newsroom-Purged;
        unset req.http.X-Newsroom-Brotli;
        # Whether the client takes Brotli (browsers do), read here and kept across a
        # restart: once vcl_recv returns, Varnish reduces Accept-Encoding to "gzip" or
        # nothing (http_gzip_support), and a restart looks for the copy already served.
        if (req.http.Accept-Encoding ~ "(?i)(^|,)\s*br\s*(,|$|;\s*q=(1|0?\.0*[1-9]))") {
            set req.http.X-Newsroom-Brotli = "1";
        }
    }
    unset req.http.X-Newsroom-Identity;
    if (req.http.host ~ "[[:upper:]]") {
        set req.http.host = req.http.host.lower();
    }
    if (!req.http.host && req.proto == "HTTP/1.1") {
        return (synth(400));
    }

    if (req.method == "PURGE") {
        call newsroom_purge;
    }

    # ---- Never cached: the request goes to the app as it came. -------------------
    # The admin's prefix is settings.ADMIN_URL ("admin/" by default). When production
    # moves it (ADMIN_URL=desk/), write the same prefix here: "^/desk/".
    if (req.url ~ "^/admin/"
        || req.url ~ "^/preview/"       # drafts, for editors and share links
        || req.url ~ "^/comments/"      # comment posts and reports
        || req.url ~ "^/ads/"           # click redirects and impression beacons
        || req.url ~ "^/beacons/"       # story views, for Most read
        || req.url ~ "^/healthz") {
        return (pass);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # A signed-in editor (session) or a form's CSRF token: Django's names, and the
    # production ones (settings/prod.py: __Host-sessionid, __Host-csrftoken); or a
    # reader who has just written (a comment), whose reads the app keeps on the
    # PostgreSQL primary for a few seconds (newsroom/dbrouters.py).
    if (req.http.Cookie ~ "(^|;)\s*(__Host-)?(sessionid|csrftoken|newsroom_primary)=") {
        return (pass);
    }
    # Any other cookie (analytics) means nothing to the public pages: dropped, so it
    # cannot split the cache or reach the app.
    unset req.http.Cookie;

    # ---- Query strings: the public pages read page, before (a list's cursor), q,
    # comment, comments (a page of a story's thread), reported and reply_to.
    # Every other parameter (utm_*, fbclid, gclid, ?x=...) is removed before the lookup
    # and before the app sees the URL, and the rest are sorted, so ?q=a&page=2 and
    # ?page=2&q=a&utm_source=x are one cache entry and one URL for the app.
    if (req.url ~ "\?") {
        set req.http.X-Newsroom-Query = "&" + regsub(req.url, "^[^?]*\?", "");
        set req.http.X-Newsroom-Query = regsuball(
            req.http.X-Newsroom-Query,
            "&(?!(page|before|q|comment|comments|reported|reply_to)(=|&|$))[^&]*",
            "");
        set req.url = regsub(req.url, "\?.*$", "")
            + regsub(req.http.X-Newsroom-Query, "^&", "?");
        unset req.http.X-Newsroom-Query;
        set req.url = std.querysort(req.url);
    }

    # ---- Grace: how stale a copy may be served while a fresh one is fetched. ---------
    # While the app is healthy, a copy at most 10 s past its time (or soft-purged less
    # than 10 s ago) is served once more while one background fetch refreshes it; an
    # older one is fetched while the reader waits. While the app is sick, any copy still
    # kept (beresp.grace: 24 h) is served, so readers see news instead of errors.
    if (req.http.X-Newsroom-Stale-Only) {
        set req.grace = 24h;
    } elsif (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub newsroom_purge {
    # Refused through nginx as well: nginx connects from 127.0.0.1, so a purge sent to
    # the public site would otherwise pass the ACL. Varnish appends the connecting
    # address to X-Forwarded-For; a request straight from the app has no other hop.
    if (client.ip !~ purgers || req.http.X-Forwarded-For ~ ",") {
        return (synth(403, "Forbidden"));
    }
    if (!req.http.xkey-purge && !req.http.xkey-softpurge) {
        return (synth(400, "Send xkey-purge and/or xkey-softpurge"));
    }
    # Hard first: a key in both headers is gone, and each object is counted once.
    set req.http.X-Newsroom-Purged = 0;
    if (req.http.xkey-purge) {
        set req.http.X-Newsroom-Purged = xkey.purge(req.http.xkey-purge);
    }
    if (req.http.xkey-softpurge) {
        set req.http.X-Newsroom-Purged = std.integer(req.http.X-Newsroom-Purged, 0)
            + xkey.softpurge(req.http.xkey-softpurge);
    }
    return (synth(200, "Purged"));
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.host) {
        hash_data(req.http.host);
    } else {
        hash_data(server.ip);
    }
    # nginx says https; anything else (a test on the box) gets entries of its own, so a
    # redirect to HTTPS is never served to a reader who already is on HTTPS.
    hash_data(req.http.X-Forwarded-Proto);
    # A page is kept in up to three codings, each sent as it is stored: Brotli for the
    # readers whose browsers take it (all of them; the app compresses it, once per
    # render), gzip for the clients that take only gzip, and as the app sent it for the
    # clients that take neither (feed readers, bots, scripts), instead of unzipping one
    # copy for each of them. Varnish has reduced Accept-Encoding to "gzip" or nothing
    # before this point (http_gzip_support); vcl_backend_fetch reads the marks.
    if (req.http.X-Newsroom-Brotli) {
        hash_data("br");
    } elsif (req.http.Accept-Encoding) {
        hash_data("gzip");
    } else {
        set req.http.X-Newsroom-Identity = "1";
    }
    return (lookup);
}

sub vcl_miss {
    # The second look after the app failed (vcl_synth): no copy was left to serve.
    if (req.http.X-Newsroom-Stale-Only) {
        return (synth(503, "Service Unavailable"));
    }
    set req.http.X-Newsroom-Fetched = "1";
    return (fetch);
}

sub vcl_backend_fetch {
    unset bereq.http.X-Newsroom-Fetched;
    unset bereq.http.X-Newsroom-Stale-Only;
    # The copy for clients without gzip: asked of the app as they asked for it (Varnish
    # asks for gzip on every fetch), so that vcl_backend_response stores it as sent.
    if (bereq.http.X-Newsroom-Identity) {
        unset bereq.http.X-Newsroom-Identity;
        unset bereq.http.Accept-Encoding;
    }
    # The Brotli copy: asked of the app in Brotli alone (Varnish compresses only gzip).
    if (bereq.http.X-Newsroom-Brotli) {
        unset bereq.http.X-Newsroom-Brotli;
        set bereq.http.Accept-Encoding = "br";
    }
    if (bereq.method == "GET") {
        unset bereq.body;
    }
    return (fetch);
}

sub vcl_backend_response {
    # Passed requests (admin, previews, posts, signed-in editors): delivered as the app
    # sent them, never stored and never compressed here, as they may carry a CSRF token
    # or a session (BREACH).
    if (bereq.uncacheable) {
        return (deliver);
    }

    # The app failed (its database is down, a timeout, a bug). A background refresh
    # gives up and the stale copy stays; a reader's fetch gives up too, and vcl_synth
    # looks again for a stale copy to serve (else the short "unavailable" page).
    if (beresp.status >= 500) {
        return (abandon);
    }

    # A public answer for no time (s-maxage=0): the app rendered it while what it shows
    # was being purged, so it may show the rows from before (or it cannot tell how long
    # the page stays right).
    # - With stale-while-revalidate, only additions were purged meanwhile (an approved
    #   comment, a new story): it is newer than the copy kept, so it replaces it, stale
    #   at once, served while the next request refreshes it. On a busy day a page purged
    #   more often than it renders (a busy story's page: an approval a second on it)
    #   would otherwise keep its old copy until a render ran between two purges.
    # - Without, something it may show was removed: it is not kept, and leaves no
    #   hit-for-miss behind. A background refresh gives up and the copy it was
    #   refreshing stays (purged softly, it is served once more while the next request
    #   refreshes it again); a reader's fetch takes it to the reader, and the next
    #   request asks the app again.
    if (beresp.http.Cache-Control ~ "(?i)\bpublic\b" && beresp.ttl <= 0s
        && !beresp.http.Set-Cookie) {
        if (beresp.http.Cache-Control ~ "(?i)\bstale-while-revalidate=[1-9]") {
            set beresp.ttl = 0s;
            set beresp.http.X-Newsroom-Stale = "1";
        } else {
            if (bereq.is_bgfetch) {
                return (abandon);
            }
            set beresp.ttl = 0s;
            set beresp.grace = 0s;
            set beresp.uncacheable = true;
            return (deliver);
        }
    }

    # Only what the app marks public is kept; a cookie or any private, no-cache or
    # no-store is never kept. Such a URL is remembered for 2 minutes as "hit-for-miss"
    # (as Varnish's built-in VCL does), so requests for it go straight to the app
    # instead of queueing behind each other; a later cacheable answer is still kept.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "(?i)\bpublic\b"
        || beresp.http.Cache-Control ~ "(?i)\b(private|no-cache|no-store)\b"
        || beresp.http.Vary == "*"
        || (beresp.ttl <= 0s && !beresp.http.X-Newsroom-Stale)) {
        set beresp.ttl = 120s;
        set beresp.grace = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }

    # beresp.ttl comes from s-maxage (the app keeps it short of any scheduled change).
    # Kept a day past it, for grace (vcl_recv decides how much of it a reader may get).
    unset beresp.http.X-Newsroom-Stale;
    set beresp.grace = 24h;

    # The copy for clients that accept gzip: the app compresses its pages, feeds and
    # sitemaps; any other text it did not is compressed once here, when stored. The
    # other copies are kept as sent (vcl_hash).
    if (bereq.http.Accept-Encoding == "gzip" && !beresp.http.Content-Encoding
        && beresp.http.Content-Type ~ "^(text/html|text/plain|text/xml|application/xml|application/rss\+xml|application/atom\+xml|application/json)\b") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_backend_error {
    # The app did not answer (refused, timed out, or sick with no copy to serve).
    # Same as a 5xx above: the client side serves a stale copy or the short page.
    return (abandon);
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are Varnish's business. Surrogate-Key and Cache-Tag are left alone: the
    # app sends them only when a CDN sits in front of nginx, and that CDN needs them
    # (Fastly and Cloudflare remove them before readers see them). An operator on this
    # host sees the keys with `curl -H 'X-Newsroom-Debug: 1' http://127.0.0.1:6081/...`.
    if (!(req.http.X-Newsroom-Debug && client.ip ~ purgers
          && req.http.X-Forwarded-For !~ ",")) {
        unset resp.http.xkey;
        unset resp.http.X-Varnish;
        unset resp.http.Via;
    }
    return (deliver);
}

sub vcl_synth {
    if (req.method == "PURGE" && resp.status == 200) {
        set resp.http.xkey-purged = req.http.X-Newsroom-Purged;
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = req.http.X-Newsroom-Purged + " purged" + {"
"};
        return (deliver);
    }
    # A reader's fetch failed: look once more, now accepting any stale copy kept.
    if (resp.status == 503 && req.http.X-Newsroom-Fetched
        && !req.http.X-Newsroom-Stale-Only) {
        set req.http.X-Newsroom-Stale-Only = "1";
        return (restart);
    }
    set resp.http.Cache-Control = "no-store";
    if (resp.status == 503) {
        set resp.http.Retry-After = "30";
        set resp.http.Content-Type = "text/html; charset=utf-8";
        set resp.body = {"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Briefly unavailable</title></head>
<body style="font-family: Georgia, serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>The site is briefly unavailable</h1>
<p>We are working on it. Please try again in a minute.</p>
</body>
</html>
"};
        return (deliver);
    }
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.body = "" + resp.status + " " + resp.reason + {"
"};
    return (deliver);
}
