#!/usr/bin/env python3
"""Puts the prerendered first view into the built index.html (a trunk post_build hook).

`mi-sim-prerender` renders the app natively as a first visit opens it: the plain address,
nothing saved, the default scenario. The page shows that HTML at once, inert, and the app takes
its place when it has rendered (src/ui/app.rs). A small inline script first checks whether the
app will open something else (a share link, an embed or a presentation, an autosave); then the
first view stays hidden and the page shows a line saying the simulator is starting, so nothing
on screen changes into something else.

The wasm's preload is lowered in priority so that the first view's own files, the HTML and the
stylesheet, are not slowed by it on a slow connection.
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
if not first_view.startswith('<div class="app">'):
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
block = f'{starting}<div id="first-view" inert>{first_view}</div>'
html = html[: body.end()] + block + html[body.end() :]
at = title + len("</title>")
html = html[:at] + f"<script>{check}</script>" + html[at:]

preload = re.search(r"<link[^>]*rel=\"?preload\"?[^>]*>", html)
if not preload or "application/wasm" not in preload.group(0):
    sys.exit("index.html has no preload of the wasm to lower in priority")
html = html[: preload.start()] + preload.group(0).replace("<link", "<link fetchpriority=low", 1) + html[preload.end() :]

with open(path, "w", encoding="utf-8") as f:
    f.write(html)
print(f"prerender.py: first view added ({len(first_view)} bytes)")
