package io.lminspect.watch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lminspect.util.Failure;
import io.lminspect.util.InspectException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** --listen: GET /metrics and nothing else (404), on loopback unless an address is given. */
final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    MetricsServer(InetSocketAddress at, Supplier<byte[]> metrics) {
        try {
            server = HttpServer.create(at, 16);
        } catch (IOException e) {
            throw new InspectException(Failure.IO_ERROR, "listen on " + at.getHostString() + ":" + at.getPort(), e.getMessage()).because(e);
        }
        server.createContext("/", x -> answer(x, metrics));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lminspect-metrics");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    private static void answer(HttpExchange x, Supplier<byte[]> metrics) throws IOException {
        try (x) {
            if (!"GET".equals(x.getRequestMethod()) || !"/metrics".equals(x.getRequestURI().getPath())) {
                byte[] b = "only GET /metrics is served here\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                x.sendResponseHeaders(404, b.length);
                try (OutputStream o = x.getResponseBody()) {
                    o.write(b);
                }
                return;
            }
            byte[] b = metrics.get();
            x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            x.sendResponseHeaders(200, b.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(b);
            }
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
