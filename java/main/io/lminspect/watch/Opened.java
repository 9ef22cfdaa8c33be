package io.lminspect.watch;

/** A notification source that opened, or the kernel's refusal (a negative errno): never an Object to test with instanceof. */
record Opened<T>(T source, int negErrno) {
    static <T> Opened<T> of(T source) {
        return new Opened<>(source, 0);
    }

    static <T> Opened<T> refused(int negErrno) {
        return new Opened<>(null, negErrno);
    }

    boolean ok() {
        return source != null;
    }
}
