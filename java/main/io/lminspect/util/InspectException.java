package io.lminspect.util;

/**
 * "Could not inspect": the target or input cannot be read at all. The CLI prints
 * the message as one line and exits 3. Messages name the cause and what to do.
 */
public class InspectException extends RuntimeException {
    public InspectException(String message) {
        super(message);
    }

    public InspectException(String message, Throwable cause) {
        super(message, cause);
    }
}
