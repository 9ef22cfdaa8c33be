# gdb command `lminspect`: lminspect on what gdb is looking at.
#
#   (gdb) source /usr/share/lminspect/gdb/lminspect.py     (the .deb loads it for every gdb)
#   (gdb) lminspect                  live process: lminspect attach PID
#   (gdb) lminspect --json           arguments are passed through
#   gdb EXE CORE, then (gdb) lminspect    lminspect core CORE --exe EXE
#
# The launcher is $LMINSPECT, else `lminspect` on PATH, else the one beside this file
# (an install's bin/, or a source tree's scripts/). lminspect reads the process's
# memory itself while gdb holds it stopped; only `attach --regs` cannot work here,
# because gdb is already the process's tracer.

import inspect
import os
import re
import shutil
import subprocess

import gdb

# where this file is, taken while it is being sourced: gdb's `source` leaves __file__
# undefined in some versions, and a relative path means the directory gdb started in
_HERE = os.path.dirname(os.path.realpath(inspect.currentframe().f_code.co_filename))


def _launcher():
    env = os.environ.get("LMINSPECT")
    if env:
        return env
    on_path = shutil.which("lminspect")
    if on_path:
        return on_path
    here = _HERE
    # installed: PREFIX/share/lminspect/gdb/lminspect.py -> PREFIX/bin/lminspect
    # source tree: packaging/gdb/lminspect.py -> scripts/lminspect
    for rel in ("../../../bin/lminspect", "../../scripts/lminspect"):
        p = os.path.normpath(os.path.join(here, rel))
        if os.access(p, os.X_OK):
            return p
    raise gdb.GdbError("lminspect: launcher not found (set LMINSPECT=/path/to/lminspect or put it on PATH)")


def _target_kind(inferior):
    """'core', 'live' or None. The connection's type where gdb has it (gdb >= 12), else `info target`."""
    conn = getattr(inferior, "connection", None)
    kind = getattr(conn, "type", None) if conn is not None else None
    if kind == "core":
        return "core"
    if kind in ("native", "extended-remote", "remote") and inferior.pid:
        return "live" if kind == "native" else None
    text = gdb.execute("info target", to_string=True)
    if "core dump file" in text:
        return "core"
    if inferior.pid and ("running image" in text or "child process" in text or "Native process" in text):
        return "live"
    return None


def _core_file(inferior):
    """The core's file name: gdb's Corefile object where it exists (gdb >= 16), else `info target`."""
    corefile = getattr(inferior, "corefile", None)
    name = getattr(corefile, "filename", None) if corefile is not None else None
    if name:
        return name
    text = gdb.execute("info target", to_string=True)
    # "Local core dump file:\n\t`/path/core.123', file type elf64-x86-64."
    m = re.search(r"core dump file:\s*\n\s*`(.+)', file type", text)
    return m.group(1) if m else None


def _executable(inferior):
    progspace = getattr(inferior, "progspace", None) or gdb.current_progspace()
    return progspace.filename if progspace is not None else None


class LminspectCommand(gdb.Command):
    """Run lminspect on the inferior: attach PID for a live process, core CORE --exe EXE for a core.
Arguments are passed through to lminspect, e.g. `lminspect --json` or `lminspect --thorough`."""

    def __init__(self):
        super().__init__("lminspect", gdb.COMMAND_STATUS, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        inferior = gdb.selected_inferior()
        kind = _target_kind(inferior)
        if kind == "live":
            cmd = [_launcher(), "attach", str(inferior.pid)]
        elif kind == "core":
            core = _core_file(inferior)
            if not core:
                raise gdb.GdbError("lminspect: cannot tell which core file gdb has loaded")
            cmd = [_launcher(), "core", core]
            exe = _executable(inferior)
            if exe:
                cmd += ["--exe", exe]
        else:
            raise gdb.GdbError("lminspect: no live process or core file here (gdb -p PID, or gdb EXE CORE)")
        cmd += gdb.string_to_argv(arg)
        try:
            result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        except OSError as e:
            raise gdb.GdbError("lminspect: cannot run %s: %s" % (cmd[0], e))
        gdb.write(result.stdout.decode("utf-8", "replace"))
        if result.stderr:
            gdb.write(result.stderr.decode("utf-8", "replace"), gdb.STDERR)
        if result.returncode != 0:
            # the exit code is part of the answer: 1 warning, 2 critical, 3 could not inspect
            gdb.write("(lminspect exit %d)\n" % result.returncode)


LminspectCommand()
