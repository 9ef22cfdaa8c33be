# Makes gdb's `lminspect` command available in every gdb session (gdb reads
# /etc/gdb/gdbinit.d/ at start-up). Harmless once the package is removed.
import os
import gdb

_script = "/usr/share/lminspect/gdb/lminspect.py"
if os.path.exists(_script):
    gdb.execute("source " + _script)
