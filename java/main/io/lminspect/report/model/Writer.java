package io.lminspect.report.model;

import io.lminspect.host.Service;

/**
 * Who wrote a watched file, as the kernel named it (fanotify reports the writing process's pid)
 * and as /proc showed it the moment the notification was read (a `cp` is gone a moment later).
 */
public record Writer(int pid, String exe, String comm, Service service) {}
