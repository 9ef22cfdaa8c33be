package io.lminspect.watch;

import io.lminspect.host.Service;
import io.lminspect.host.ServiceResolver;
import io.lminspect.inferior.ProcFs;
import io.lminspect.report.model.Writer;

import java.nio.file.Files;

/** The process fanotify named as a writer, looked up at once in /proc (it may exit a moment later). */
final class WriterLookup {
    private WriterLookup() {}

    /** The writer, or null when it is gone already. */
    static Writer of(int pid, ServiceResolver services) {
        try {
            String comm = Files.readString(ProcFs.proc(pid, "comm")).strip();
            String exe = ProcFs.exe(pid); // null: a kernel thread, or not ours to read
            Service service;
            try {
                service = services.resolve(pid);
            } catch (RuntimeException e) {
                service = null;
            }
            return new Writer(pid, exe, comm, service);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
