#!/usr/bin/env bash
# A local try-out of Exit as a cluster: PostgreSQL (scripts/start-postgres.sh), three hosts on one database
# (ports 5081-5083, Quartz clustered) and a tiny round-robin proxy on http://localhost:5080 that sends each request
# to the next host whose /health/ready answers 200. Demo mode (demo users, example data seeded by the first host).
# Ctrl-C (or SIGTERM to the script) stops the proxy and the hosts (SIGTERM: they drain and release their claims); PostgreSQL keeps running
# (the tests share it); `scripts/cluster.sh --drop` also drops the try-out database.
#   EXIT_CLUSTER_HOSTS=3  EXIT_CLUSTER_DB=exit_cluster  EXIT_CLUSTER_NO_BUILD=1 (use the last build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HOSTS=${EXIT_CLUSTER_HOSTS:-3}
DB=${EXIT_CLUSTER_DB:-exit_cluster}
STATE=${EXIT_CLUSTER_STATE:-/tmp/exit-cluster}
SERVER=$("$ROOT/scripts/start-postgres.sh")
PSQL=(/usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "${EXIT_PG_PORT:-55432}" -U postgres -d postgres -qtA)
if [ "${1:-}" = "--drop" ]; then "${PSQL[@]}" -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)"; echo "dropped $DB"; exit 0; fi
[ -n "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ] || "${PSQL[@]}" -c "CREATE DATABASE \"$DB\""
mkdir -p "$STATE"
[ -n "${EXIT_CLUSTER_NO_BUILD:-}" ] || dotnet build "$ROOT/src/Host" -c Release -v quiet -nologo >/dev/null
DLL="$ROOT/src/Host/bin/Release/net10.0/Exit.Host.dll"

PIDS=()
stop() {
  trap - INT TERM EXIT
  echo "stopping (SIGTERM, each host drains)"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop INT TERM EXIT

wait_ready() {
  for _ in $(seq 1 180); do
    curl -fsS "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "host on port $1 did not become ready; see $STATE/host-$1.log" >&2
  return 1
}

for i in $(seq 1 "$HOSTS"); do
  port=$((5080 + i))
  # One after another: the first migrates the database and seeds the demo data, the others find it done.
  (cd "$(dirname "$DLL")" && ASPNETCORE_ENVIRONMENT=Development \
    Exit__Database__Provider=Postgres \
    Exit__Database__ConnectionString="$SERVER;Database=$DB" \
    Exit__Scheduling__Clustered=true \
    Exit__Hosting__DrainDelay=00:00:02 \
    Exit__Logging__Json=false \
    exec dotnet "$DLL" --demo --urls "http://127.0.0.1:$port" >"$STATE/host-$port.log" 2>&1) &
  PIDS+=($!)
  wait_ready "$port"
  echo "host $i ready on http://127.0.0.1:$port (log $STATE/host-$port.log)"
done

echo "round-robin proxy on http://localhost:5080 (sign in as a demo user, see README *Demo data*); Ctrl-C stops"
python3 - "$HOSTS" <<'PY' &
import http.client, http.server, itertools, socketserver, sys
ports = [5080 + i for i in range(1, int(sys.argv[1]) + 1)]
turn = itertools.cycle(ports)
HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer"}
def ready(port):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1); c.request("GET", "/health/ready")
        return c.getresponse().status == 200
    except OSError:
        return False
class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        for _ in ports:
            port = next(turn)
            if not ready(port): continue
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                c.request(self.command, self.path, body, {k: v for k, v in self.headers.items() if k.lower() not in HOP})
                r = c.getresponse(); data = r.read()
            except OSError:
                continue
            self.send_response(r.status)
            for k, v in r.getheaders():
                if k.lower() not in HOP and k.lower() != "content-length": self.send_header(k, v)
            self.send_header("Content-Length", str(len(data))); self.send_header("X-Exit-Host", str(port)); self.end_headers()
            self.wfile.write(data); return
        self.send_error(503, "no host is ready")
    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = forward
    def log_message(self, *args): pass
class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
Server(("127.0.0.1", 5080), Proxy).serve_forever()
PY
PIDS+=($!)
wait
