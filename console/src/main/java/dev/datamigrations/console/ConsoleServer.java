package dev.datamigrations.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Serves a {@link Console} on the JDK's own {@code com.sun.net.httpserver.HttpServer}: no server
 * dependency for a page that a handful of people open now and then. Bind it to {@code 127.0.0.1}
 * (the command line's default) and reach it through an SSH tunnel or a proxy that adds TLS.
 *
 * <pre>{@code
 * ConsoleServer server = ConsoleServer.start(console, new InetSocketAddress("127.0.0.1", 8080));
 * }</pre>
 */
public final class ConsoleServer implements AutoCloseable {
  /**
   * Request bodies larger than this are refused: actions carry a reason of at most 500 characters.
   */
  static final int MAX_BODY = 16 * 1024;

  /**
   * Threads that answer requests; a request holds one from its first byte until its answer is sent.
   */
  static final int THREADS = 4;

  /** A request's line, headers and body must arrive within this, or the connection is closed. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final HttpServer server;
  private final RequestDeadlines threads;

  private ConsoleServer(HttpServer server, RequestDeadlines threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Starts serving {@code console} at {@code address} (port 0: any free port); returns once it
   * listens. A request whose line, headers and body have not arrived within {@link
   * #REQUEST_TIMEOUT} is cut off, so that a few slow or idle clients cannot hold every thread.
   */
  public static ConsoleServer start(Console console, InetSocketAddress address) {
    return start(console, address, REQUEST_TIMEOUT);
  }

  /**
   * Starts serving, cutting off a request whose line, headers and body have not arrived within
   * {@code requestTimeout}.
   */
  static ConsoleServer start(Console console, InetSocketAddress address, Duration requestTimeout) {
    RequestDeadlines threads = new RequestDeadlines(THREADS, requestTimeout);
    try {
      HttpServer server = HttpServer.create(address, 50);
      server.setExecutor(threads);
      server.createContext("/", exchange -> serve(console, threads, exchange));
      server.start();
      return new ConsoleServer(server, threads);
    } catch (IOException e) {
      threads.close();
      throw new UncheckedIOException("Cannot listen on " + address + ": " + e.getMessage(), e);
    }
  }

  private static void serve(Console console, RequestDeadlines deadlines, HttpExchange exchange)
      throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (!deadlines.arrived()) {
        return; // cut off while its body trickled in; the connection is closed
      }
      ConsoleResponse response =
          body.length > MAX_BODY
              ? ConsoleResponse.error(413, "Request body over " + MAX_BODY + " bytes.")
              : console.handle(
                  new ConsoleRequest(
                      exchange.getRequestMethod(),
                      exchange.getRequestURI().getRawPath(),
                      "",
                      exchange.getRequestHeaders(),
                      body));
      for (Map.Entry<String, String> header : response.headers().entrySet()) {
        exchange.getResponseHeaders().set(header.getKey(), header.getValue());
      }
      boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
      exchange.sendResponseHeaders(
          response.status(), head || response.body().length == 0 ? -1 : response.body().length);
      if (!head && response.body().length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    }
  }

  /** Returns the port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Returns the page's address, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
  }

  /**
   * Stops accepting requests, lets running ones finish for up to a second, and stops the threads.
   */
  @Override
  public void close() {
    server.stop(1);
    threads.close();
  }
}
