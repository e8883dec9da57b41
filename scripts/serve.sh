#!/usr/bin/env bash
# Sets up everything, builds the release site and serves it locally.
# Usage: bash scripts/serve.sh [PORT]   (default: the first free port from 8080)
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"

ensure_build_tools
build_site

port="${1:-${PORT:-}}"
if [[ -z "$port" ]]; then
  port="$(python3 -c 'import socket
for p in range(8080, 8180):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: s.close()')"
fi
step "Serving dist/ at http://127.0.0.1:$port/  (Ctrl+C stops)"
exec python3 - "$ROOT/dist" "$port" <<'PY'
import functools, http.server, sys
root, port = sys.argv[1], int(sys.argv[2])
class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript", ".json": "application/json"}
http.server.ThreadingHTTPServer(("127.0.0.1", port),
    functools.partial(Handler, directory=root)).serve_forever()
PY
