package io.lminspect.util;

/**
 * "Could not inspect": the target or input cannot be read at all. The CLI prints
 * the message as one line and exits 3. The message comes from the cause's entry
 * in {@link Failure}; callers that must tell causes apart use {@link #failure()}.
 */
public class InspectException extends RuntimeException {
    private final Failure failure;

    public InspectException(Failure failure, Object... specifics) {
        super(failure.message(specifics));
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }

    /** Keeps the exception this one explains, for the LMINSPECT_DEBUG trace. */
    public InspectException because(Throwable cause) {
        initCause(cause);
        return this;
    }
}
