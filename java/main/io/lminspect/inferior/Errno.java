package io.lminspect.inferior;

/** The errno values the native helper returns (negated) that lminspect tells apart. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EIO = 5, EACCES = 13, EFAULT = 14, ENOSYS = 38, ETIMEDOUT = 110;

    private Errno() {}

    public static String name(int e) {
        return switch (e) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EIO -> "EIO";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case ENOSYS -> "ENOSYS";
            case ETIMEDOUT -> "ETIMEDOUT";
            default -> "errno " + e;
        };
    }
}
