#!/usr/bin/env python3
"""Puts the prerendered first view into the built index.html (a trunk post_build hook).

`mi-sim-prerender` renders the app natively as a first visit opens it: the plain address,
nothing saved, the default scenario. The page shows that HTML at once in the app's `#root`,
inert, and the app takes over its elements as they are (hydration, src/ui.rs). A small inline
script first checks whether the app will open something else (a share link, an embed or a
presentation, an autosave); then the first view stays hidden, the app renders afresh, and the
page says meanwhile that the simulator is starting, so nothing on screen changes into something
else.
"""
import os
import re
import subprocess
import sys

staging = os.environ.get("TRUNK_STAGING_DIR")
if not staging:
    sys.exit("prerender.py runs as a trunk post_build hook (TRUNK_STAGING_DIR is not set)")
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
first_view = subprocess.run(
    ["cargo", "run", "--quiet", "--locked", "--features", "prerender", "--bin", "mi-sim-prerender"],
    cwd=root,
    check=True,
    capture_output=True,
    text=True,
).stdout
if '<div class="app">' not in first_view[:200]:
    sys.exit(f"mi-sim-prerender printed no app view: {first_view[:200]!r}")

path = os.path.join(staging, "index.html")
with open(path, encoding="utf-8") as f:
    html = f.read()

# Only the plain address with nothing saved opens what was prerendered. The key is
# src/ui/storage.rs's KEY; a browser that refuses storage has nothing saved.
check = (
    "try{if(location.search||location.hash.length>1||localStorage.getItem('mi-sim:autosave')!==null)"
    "document.documentElement.classList.add('no-first-view')}"
    "catch(e){}"
)
starting = '<p id="starting" role="status">Starting the simulator…</p>'
# The check goes in the head, before the stylesheet: a script in the body would wait for the
# stylesheet before running, and hold up the page's parsing until then.
title = html.find("</title>")
body = re.search(r"<body[^>]*>", html)
if title < 0 or not body:
    sys.exit("index.html has no </title> for the check or no <body> for the first view")
block = f'{starting}<div id="root" inert>{first_view}</div>'
html = html[: body.end()] + block + html[body.end() :]
at = title + len("</title>")
html = html[:at] + f"<script>{check}</script>" + html[at:]

with open(path, "w", encoding="utf-8") as f:
    f.write(html)
print(f"prerender.py: first view added ({len(first_view)} bytes)")
