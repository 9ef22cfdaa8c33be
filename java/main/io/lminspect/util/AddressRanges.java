package io.lminspect.util;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The one binary search over address ranges sorted by start and not overlapping, with
 * addresses compared unsigned (a 64-bit address above 2^63 is not negative): the mapping
 * list of a process (100k mappings are possible) and a core's NT_FILE ranges use it.
 */
public final class AddressRanges {
    private AddressRanges() {}

    /** The range of sorted holding addr ([start, end)), or null. */
    public static <T> T find(List<T> sorted, long addr, ToLongFunction<T> start, ToLongFunction<T> end) {
        int lo = 0, hi = sorted.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            T r = sorted.get(mid);
            if (Long.compareUnsigned(addr, start.applyAsLong(r)) < 0) hi = mid - 1;
            else if (Long.compareUnsigned(addr, end.applyAsLong(r)) >= 0) lo = mid + 1;
            else return r;
        }
        return null;
    }
}
