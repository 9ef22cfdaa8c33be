package io.lminspect.inferior;

/** The one errno table: the values the native helper returns (negated) that lminspect tells apart or names. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EIO = 5, ENOMEM = 12, EACCES = 13, EFAULT = 14, EINVAL = 22,
            EMFILE = 24, ENOSPC = 28, ENOSYS = 38, ETIMEDOUT = 110;

    private Errno() {}

    public static String name(int e) {
        return switch (e) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EIO -> "EIO";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EINVAL -> "EINVAL";
            case EMFILE -> "EMFILE";
            case ENOSPC -> "ENOSPC";
            case ENOSYS -> "ENOSYS";
            case ETIMEDOUT -> "ETIMEDOUT";
            default -> "errno " + e;
        };
    }
}
