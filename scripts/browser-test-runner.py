#!/usr/bin/env python3
"""Cargo's runner for wasm32 test binaries (see .cargo/config.toml).

The browser tests need the addresses of the servers scripts/servers.sh
started, but they run inside Chromium, which sees no environment. So this
runner hands them over at run time: it copies the test binary, appends to
the copy a WebAssembly custom section named `cxr-servers` holding every
`CXR_*` variable of its environment as a JSON object, and runs
wasm-bindgen-test-runner on the copy. The tests read the section back
through `WebAssembly.Module.customSections` (tests/common/mod.rs). Nothing
is compiled in, so servers on other ports rebuild nothing.

Without any `CXR_*` variable the binary runs unchanged (the unit tests need
no servers; a browser test then says how to start them).

    scripts/browser-test-runner.py target/.../viewer-0123.wasm [runner args...]
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

SECTION = b"cxr-servers"
# Where the driver makes the browser's profile folders.
PROFILES = os.path.join(tempfile.gettempdir(), "org.chromium.Chromium.scoped_dir.*")
RUNNER = os.environ.get("CXR_WASM_TEST_RUNNER", "wasm-bindgen-test-runner")


def leb128(n):
    """Unsigned LEB128, as the WebAssembly binary format writes sizes."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def custom_section(name, payload):
    """A custom section (id 0): its size, its name, then the payload."""
    body = leb128(len(name)) + name + payload
    return b"\x00" + leb128(len(body)) + body


def main(argv):
    if len(argv) < 2:
        sys.exit("usage: browser-test-runner.py WASM-FILE [wasm-bindgen-test-runner args...]")
    wasm, rest = argv[1], argv[2:]
    settings = {k: v for k, v in os.environ.items() if k.startswith("CXR_")}
    if not settings or not wasm.endswith(".wasm"):
        os.execvp(RUNNER, [RUNNER, wasm, *rest])

    # A directory of its own beside the binary: the copy keeps the file name
    # (wasm-bindgen names the module after it), and two runs at once (two
    # shells, other ports) do not overwrite each other's copy.
    with tempfile.TemporaryDirectory(prefix="cxr-servers-", dir=os.path.dirname(wasm) or ".") as tmp:
        copy = os.path.join(tmp, os.path.basename(wasm))
        shutil.copyfile(wasm, copy)
        payload = json.dumps(settings, sort_keys=True).encode()
        with open(copy, "ab") as f:
            f.write(custom_section(SECTION, payload))
        # The runner and the browser it drives get a process group of their
        # own: when the runner ends, whatever it started and left running (a
        # headless Chromium whose driver was stopped, with its profile
        # folder in /tmp) is stopped and removed with it.
        before = set(glob.glob(PROFILES))
        child = subprocess.Popen([RUNNER, copy, *rest], start_new_session=True)

        def forward(signum, _frame):
            try:
                os.killpg(child.pid, signum)
            except ProcessLookupError:
                pass

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, forward)
        status = child.wait()
        stop_leftovers(child.pid, before)
    sys.exit(128 - status if status < 0 else status)


def stop_leftovers(group, before):
    """Stops every process still in process group `group`, then removes the
    Chromium profile folders that appeared since `before` and that no
    running process uses (another run's browser keeps its own)."""
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass
    in_use = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        for arg in args:
            if arg.startswith(b"--user-data-dir="):
                in_use.add(os.fsdecode(arg.split(b"=", 1)[1]))
    for profile in set(glob.glob(PROFILES)) - before - in_use:
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv)
