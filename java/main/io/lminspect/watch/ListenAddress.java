package io.lminspect.watch;

import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** --listen ADDR:PORT. */
public final class ListenAddress {
    private ListenAddress() {}

    /** "PORT", ":PORT", "HOST:PORT", "[V6]:PORT"; no host means loopback (never every interface by accident). */
    public static InetSocketAddress parse(String spec) {
        String host = "127.0.0.1";
        String port = spec;
        int colon = spec.lastIndexOf(':');
        if (colon >= 0) {
            host = spec.substring(0, colon);
            port = spec.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) host = "127.0.0.1";
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 0 || p > 65535) throw new InspectException(Failure.BAD_ARGUMENT, "--listen: '" + io.lminspect.util.SafeText.clean(spec)
                + "' is not ADDR:PORT (e.g. 127.0.0.1:9477)");
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (IOException e) {
            throw new InspectException(Failure.BAD_ARGUMENT, "--listen: unknown address " + io.lminspect.util.SafeText.clean(host));
        }
    }

}
