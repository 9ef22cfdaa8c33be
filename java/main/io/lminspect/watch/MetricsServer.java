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

/**
 * --listen: GET /metrics and nothing else (404), on loopback unless an address is given. A client
 * cannot hold it: a request must arrive whole within REQUEST_SECONDS and a response be taken
 * within RESPONSE_SECONDS (the JDK server's own timers), and THREADS connections are served at
 * once, more wait in the backlog.
 */
final class MetricsServer implements AutoCloseable {
    static final int THREADS = 4, REQUEST_SECONDS = 5, RESPONSE_SECONDS = 10;
    private final HttpServer server;

    static {
        // read once, when the JDK's server classes load: set before the first HttpServer is made
        System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
        System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(RESPONSE_SECONDS));
        System.setProperty("sun.net.httpserver.maxIdleConnections", "16");
    }

    MetricsServer(InetSocketAddress at, Supplier<byte[]> metrics) {
        try {
            server = HttpServer.create(at, 16);
        } catch (IOException e) {
            throw new InspectException(Failure.IO_ERROR, "listen on " + at.getHostString() + ":" + at.getPort(), e.getMessage()).because(e);
        }
        server.createContext("/", x -> answer(x, metrics));
        server.setExecutor(Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "lminspect-metrics");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    private static void answer(HttpExchange x, Supplier<byte[]> metrics) throws IOException {
        try (x) {
            boolean head = "HEAD".equals(x.getRequestMethod());
            if (head) { // headers only: a HEAD response has no body, so no length is sent (the JDK warns when one is)
                x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                x.sendResponseHeaders("/metrics".equals(x.getRequestURI().getPath()) ? 200 : 404, -1);
                return;
            }
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
