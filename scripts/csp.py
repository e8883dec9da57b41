#!/usr/bin/env python3
"""Adds the page's Content-Security-Policy to the built index.html (a trunk post_build hook).

The policy allows only the site's own files: its scripts, its wasm (compiled with
'wasm-unsafe-eval'), its stylesheet and images, frames of itself; no inline script except the
one loader trunk writes, allowed by its SHA-256 hash computed here; no inline styles, no
plugins, no <base>, no form posts.
"""
import base64
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR")
if not staging:
    sys.exit("csp.py runs as a trunk post_build hook (TRUNK_STAGING_DIR is not set)")
path = os.path.join(staging, "index.html")
with open(path, encoding="utf-8") as f:
    html = f.read()

inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
hashes = " ".join(
    "'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode()
    for s in inline
)
policy = (
    "default-src 'self'; "
    f"script-src 'self' 'wasm-unsafe-eval' {hashes}; "
    "style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)
meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}" />'
if "Content-Security-Policy" in html:
    sys.exit("index.html already has a Content-Security-Policy")
# After the charset declaration, written `<meta charset="utf-8" />` or, minified, `<meta charset=utf-8>`.
charset = re.search(r'<meta charset="?utf-8"?\s*/?>', html, flags=re.I)
if not charset:
    sys.exit("index.html has no <meta charset=\"utf-8\" /> to put the policy after")
html = html[: charset.end()] + "\n    " + meta + html[charset.end() :]
with open(path, "w", encoding="utf-8") as f:
    f.write(html)
print(f"csp.py: policy added with {len(inline)} inline script hash(es)")
